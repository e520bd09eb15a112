import type { ColdStart } from './cold-start';
import type { Config } from './config';
import { readInvocation } from './context';
import { ForwardError, StorageError } from './errors';
import type { Forwarded, Forwarder } from './forward/scf';
import { childLogger, type Logger } from './logger';
import type { MaskedTexts } from './mask/text';
import { plan, planFailure, type ArchiveObjects, type Plan } from './plan';
import type { Outcome } from './record';
import { writeAll, type ObjectStore, type StoredObject, type Written } from './store/store';

export interface HandlerDeps {
  config: Config;
  store: ObjectStore;
  logger: Logger;
  /** Absent when FORWARD_TO names no target. */
  forwarder?: Forwarder | undefined;
  /** The instance's load, given to its first invocation only. */
  coldStart?: () => ColdStart | undefined;
  now?: () => number;
}

export type Summary =
  | {
      result: 'archived';
      event_type: string;
      task_id: string | null;
      outcome: Outcome;
      objects: Record<keyof ArchiveObjects, Written>;
      forwarded: Forwarded[];
    }
  | { result: 'rejected'; error_type: string; message: string; error_key: string; bytes: number };

export type Handler = (event: unknown, context: unknown) => Promise<Summary>;

/** Logs why the event goes back to SCF, then lets the error through for SCF to see. */
function handBack(log: Logger, what: string, fields: Record<string, unknown>, error: unknown): never {
  log.error(fields, `${what}, SCF will retry it: ${error instanceof Error ? error.message : String(error)}`);
  throw error;
}

/**
 * parse → plan → write → forward → respond. Returning means every object is stored and every
 * target invoked: SCF will not retry. Throwing (a StorageError, a ForwardError) hands the event
 * back to SCF, which retries it twice and then sends it to the dead-letter queue; the archive is
 * rewritten under the same keys, so only forwarding can repeat. A payload whose planning fails
 * unforeseen is not thrown, since every retry would fail the same way: it is kept as an error
 * record of kind `internal`.
 */
export function createHandler({ config, store, logger, forwarder, coldStart, now = Date.now }: HandlerDeps): Handler {
  const maskedTexts: MaskedTexts = new Map();
  return async function main_handler(event, context) {
    const startedAt = now();
    const invocation = readInvocation(context, startedAt, config.functionName);
    const log = childLogger(logger, { request_id: invocation.requestId, function_name: invocation.functionName });
    const load = coldStart?.();
    if (load) {
      const fields = { cold_start: true, load_ms: Math.round(load.loadMs * 10) / 10, code_cache: load.codeCache, heap_limit_mb: load.heapLimitMb };
      log.info(fields, 'Cold start');
    }
    let planned: Plan;
    try {
      planned = plan(event, invocation, config, maskedTexts);
    } catch (error) {
      planned = planFailure(event, error, invocation, config);
    }

    /** Writes the named objects, or hands the event back to SCF, naming what was not stored. */
    const write = <Name extends string>(objects: Record<Name, StoredObject>) =>
      writeAll(store, objects, {
        deadline: invocation.deadline,
        onRetry: (error, attempt, delay_ms, backup_domain) =>
          log.warn(
            { key: error.key, code: error.code, status_code: error.statusCode, attempt, delay_ms, backup_domain },
            backup_domain ? "COS write failed, retrying on COS's backup domain" : 'COS write failed, retrying',
          ),
        onClockCorrected: (clock_offset_ms) => log.warn({ clock_offset_ms }, "COS's clock is apart from the instance's: requests are signed with COS's time from now on"),
      }).catch((error: unknown) => {
        const e = error instanceof StorageError ? error : undefined;
        const keys = Object.values<StoredObject>(objects).map((o) => o.key);
        const fields = { keys, key: e?.key, code: e?.code, status_code: e?.statusCode, cos_request_id: e?.requestId, ms: now() - startedAt };
        return handBack(log, 'Event not stored', fields, error);
      });

    if (planned.kind === 'reject') {
      const { error: written } = await write(planned.objects);
      const { kind, message, issues } = planned.error;
      const fields = { error_type: kind, issues: issues.length, error_key: written.key, bytes: written.bytes, ms: now() - startedAt };
      // A payload that is not an event is the sender's to fix; a failure nobody foresaw is ours.
      if (kind === 'internal') log.error(fields, `Payload kept as an error record: ${message}`);
      else log.warn(fields, `Event rejected: ${message}`);
      return { result: 'rejected', error_type: kind, message, error_key: written.key, bytes: written.bytes };
    }

    const { record, objects } = planned;
    const written = await write(objects);
    const { raw, normalized } = written;
    const taskId = record.task_id ?? null;
    const forwarded: Forwarded[] = forwarder
      ? await forwarder
          .forward(
            {
              raw: objects.raw.body,
              eventType: record.event_type,
              taskId,
              status: record.status ?? null,
              bucket: config.bucket,
              region: config.region,
              rawKey: raw.key,
              normalizedKey: normalized.key,
            },
            { deadline: invocation.deadline, log },
          )
          .catch((error: unknown) => {
            const e = error instanceof ForwardError ? error : undefined;
            return handBack(log, 'Event archived but not forwarded', { task_id: taskId, target: e?.target, code: e?.code, ms: now() - startedAt }, error);
          })
      : [];
    log.info(
      {
        event_type: record.event_type,
        task_id: taskId,
        status: record.status,
        outcome: record.outcome,
        raw_key: raw.key,
        normalized_key: normalized.key,
        bytes: raw.bytes + normalized.bytes,
        forwarded: forwarded.length,
        ms: now() - startedAt,
      },
      'Event archived',
    );
    return { result: 'archived', event_type: record.event_type, task_id: taskId, outcome: record.outcome, objects: written, forwarded };
  };
}
