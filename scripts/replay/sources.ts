import type { ErrorRecord } from '../../src/record';
import { SCHEMA_VERSION } from '../../src/schema-version';
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

export interface DayFilter {
  /** Inclusive YYYY-MM-DD bounds on the record's dt partition. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface ErrorRecordFilter extends DayFilter {
  types: string[];
}

/** The keys under the prefixes whose dt partition is within the days. */
async function keysOfDays(archive: Archive, prefixes: string[], { from, to }: DayFilter): Promise<string[]> {
  const keys = (await Promise.all(prefixes.map((p) => archive.list(p)))).flat().map((o) => o.key);
  return keys.filter((key) => {
    const dt = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
    return dt !== undefined && (!from || dt >= from) && (!to || dt <= to);
  });
}

/** Error records under {prefix}/errors/, of the given types and days; each replays its payload. */
export async function errorRecords(archive: Archive, prefix: string, filter: ErrorRecordFilter): Promise<ReplayItem[]> {
  const prefixes = filter.types.length > 0 ? filter.types.map((t) => `${prefix}/errors/error_type=${t}/`) : [`${prefix}/errors/`];
  return (await keysOfDays(archive, prefixes, filter))
    .map((key) => ({
      source: key,
      errorKey: key,
      async load() {
        const record = JSON.parse((await archive.get(key)).toString('utf8')) as ErrorRecord;
        return { payload: record.payload, receivedAt: record.received_at };
      },
    }));
}

/** What replay reads of a normalized record of any version. */
interface RecordHead {
  schema_version: number;
  raw_key: string;
  received_at: string;
}

/**
 * The normalized records of the days that an older version of the record wrote: each replays its
 * raw object at its first receipt, so that the record is written again, in the current version,
 * under its own key (the same raw bytes, the same event id, the same partition).
 */
export async function olderRecords(archive: Archive, prefix: string, filter: DayFilter): Promise<ReplayItem[]> {
  const items: ReplayItem[] = [];
  for (const key of await keysOfDays(archive, [`${prefix}/normalized/`], filter)) {
    const record = JSON.parse((await archive.get(key)).toString('utf8')) as RecordHead;
    if (record.schema_version >= SCHEMA_VERSION) continue;
    items.push({
      source: key,
      async load() {
        return { payload: JSON.parse((await archive.get(record.raw_key)).toString('utf8')) as unknown, receivedAt: record.received_at };
      },
    });
  }
  return items;
}

/** Raw events read from files: received now, as far as anyone can tell. */
export function fileItems(events: LocalEvent[]): ReplayItem[] {
  return events.map(({ source, payload, notJson }) => ({ source, load: async () => ({ payload, notJson }) }));
}
