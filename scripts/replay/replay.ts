import { readInvocation } from '../../src/context';
import type { Handler } from '../../src/handler';
import type { Layout } from '../../src/keys';
import { plan } from '../../src/plan';
import type { StoredObject } from '../../src/store/store';
import type { ReplayItem } from './sources';

export interface ReplayOptions {
  handler: Handler;
  /** Where the function writes, to show what a dry run would write. */
  layout: Layout;
  /** The SCF context to pass; each replay adds the event's first receipt to it. */
  context: () => Record<string, unknown>;
  dryRun: boolean;
  deleteReplayed: boolean;
  remove: (key: string) => Promise<void>;
  report: (line: string) => void;
  progress?: (done: number, total: number) => void;
}

export interface ReplaySummary {
  replayed: number;
  stillInvalid: number;
  /** Of the still invalid, those read from files and so written as error records. */
  recorded: number;
  failed: number;
  deleted: number;
}

/**
 * Re-drives events through the handler, one at a time, each record saying when it was replayed.
 * An event whose first receipt is known (an error record's) is passed it, so that it is archived
 * at that time and in that partition. An error record whose payload is still
 * invalid is left as it is rather than handled again, which would record it a second time; an
 * error record is deleted, when asked, only after the handler has stored both new objects.
 */
export async function replay(items: ReplayItem[], options: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { replayed: 0, stillInvalid: 0, recorded: 0, failed: 0, deleted: 0 };
  let done = 0;
  for (const item of items) {
    try {
      const { payload, receivedAt, notJson } = await item.load();
      if (notJson) options.report(`not JSON, sent as a string: ${item.source}`);
      const context = { ...options.context(), replay_of: receivedAt ? { received_at: receivedAt } : {} };
      // What the handler will plan, from the same context: a dry run shows the very keys.
      const planned = plan(payload, readInvocation(context, Date.now(), undefined), options.layout);
      if (planned.kind === 'reject' && item.errorKey) {
        summary.stillInvalid += 1;
        options.report(`still invalid, kept: ${item.source} (${planned.error.kind})`);
      } else if (options.dryRun) {
        summary[planned.kind === 'archive' ? 'replayed' : 'stillInvalid'] += 1;
        const deletes = options.deleteReplayed && item.errorKey && planned.kind === 'archive' ? `, then delete ${item.errorKey}` : '';
        options.report(`would write ${Object.values<StoredObject>(planned.objects).map((o) => o.key).join(' and ')}${deletes} (from ${item.source})`);
      } else {
        const result = await options.handler(payload, context);
        if (result.result === 'rejected') {
          summary.stillInvalid += 1;
          summary.recorded += 1;
          options.report(`invalid, recorded: ${item.source} → ${result.error_key}`);
        } else {
          summary.replayed += 1;
          if (options.deleteReplayed && item.errorKey) {
            await options.remove(item.errorKey);
            summary.deleted += 1;
          }
        }
      }
    } catch (error) {
      summary.failed += 1;
      options.report(`failed: ${item.source}: ${error instanceof Error ? error.message : String(error)}`);
    }
    options.progress?.(++done, items.length);
  }
  return summary;
}
