import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Archive } from './archive';

/** One event to re-drive: where it comes from, and a way to read it when its turn comes. */
export interface ReplayItem {
  source: string;
  /** The key of the error record it was read from, when it was. */
  errorKey?: string;
  load(): Promise<unknown>;
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
  const keys = (await Promise.all(prefixes.map((p) => archive.list(p)))).flat();
  return keys
    .filter((key) => {
      const dt = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
      return dt !== undefined && (!filter.from || dt >= filter.from) && (!filter.to || dt <= filter.to);
    })
    .map((key) => ({
      source: key,
      errorKey: key,
      load: async () => (JSON.parse((await archive.get(key)).toString('utf8')) as { payload: unknown }).payload,
    }));
}

/** A text that is not JSON is replayed as the string it is, so that the handler records it. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Raw events on disk: a .json file is one event, each line of a .ndjson (or .jsonl) file is one,
 * and a folder holds such files.
 */
export function localEvents(paths: string[]): ReplayItem[] {
  return paths.flatMap((path): ReplayItem[] => {
    if (statSync(path).isDirectory()) {
      const files = readdirSync(path)
        .filter((f) => ['.json', '.ndjson', '.jsonl'].includes(extname(f)))
        .sort();
      return localEvents(files.map((f) => join(path, f)));
    }
    const text = readFileSync(path, 'utf8');
    if (extname(path) === '.json') return [{ source: path, load: async () => parse(text) }];
    return text
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, i }) => ({ source: `${path}:${i + 1}`, load: async () => parse(line) }));
  });
}
