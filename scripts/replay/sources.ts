import type { ErrorRecord } from '../../src/record';
import type { Archive } from '../../src/store/archive';
import type { LocalEvent } from '../local-events';

export interface Loaded {
  payload: unknown;
  /** When the function first received it (ISO), when known. */
  receivedAt?: string;
  /** It was text that is not JSON, and is sent as that string. */
  notJson?: boolean;
}

/** One event to re-drive: where it comes from, and a way to read it when its turn comes. */
export interface ReplayItem {
  source: string;
  /** The key of the error record it was read from, when it was. */
  errorKey?: string;
  load(): Promise<Loaded>;
}

export interface ErrorRecordFilter {
  types: string[];
  /** Inclusive YYYY-MM-DD bounds on the record's dt partition. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Error records under {prefix}/errors/, of the given types and days; each replays its payload. */
export async function errorRecords(archive: Archive, prefix: string, filter: ErrorRecordFilter): Promise<ReplayItem[]> {
  const prefixes = filter.types.length > 0 ? filter.types.map((t) => `${prefix}/errors/error_type=${t}/`) : [`${prefix}/errors/`];
  const keys = (await Promise.all(prefixes.map((p) => archive.list(p)))).flat().map((o) => o.key);
  return keys
    .filter((key) => {
      const dt = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
      return dt !== undefined && (!filter.from || dt >= filter.from) && (!filter.to || dt <= filter.to);
    })
    .map((key) => ({
      source: key,
      errorKey: key,
      async load() {
        const record = JSON.parse((await archive.get(key)).toString('utf8')) as ErrorRecord;
        return { payload: record.payload, receivedAt: record.received_at };
      },
    }));
}

/** Raw events read from files: received now, as far as anyone can tell. */
export function fileItems(events: LocalEvent[]): ReplayItem[] {
  return events.map(({ source, payload, notJson }) => ({ source, load: async () => ({ payload, notJson }) }));
}
