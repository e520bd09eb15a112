import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ERROR_KINDS } from '../../src/plan';
import { EVENT_TYPES } from '../../src/event/schema';
import type { Archive, ListedObject } from '../archive';

/*
 * A date range of the archive, copied from the bucket into a local folder as {key} files, for
 * DuckDB to read. A later pull of the same days fetches only what is new or changed and drops
 * what the bucket no longer holds, such as error records deleted after a replay. What is new or
 * changed is told by the listed ETag against the one each file was fetched with, kept in
 * {into}/.etags.json: an encrypted object's ETag is not the MD5 of its bytes (COS docs 436/7729).
 * A file fetched before that record existed counts as cached when its MD5 is the ETag.
 */

export interface PullSummary {
  fetched: number;
  cached: number;
  removed: number;
}

/** Each day from `from` to `to`, inclusive, as YYYY-MM-DD. */
function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const AREAS = ['raw', 'normalized'];

/** The event types the archive holds: the documented ones, and any other its keys name (one MPS has not documented). */
async function eventTypes(archive: Archive, prefix: string): Promise<string[]> {
  const folders = (await Promise.all(AREAS.map((area) => archive.folders(`${prefix}/${area}/`)))).flat();
  const named = folders.flatMap((folder) => /\/event_type=([^/]+)\/$/.exec(folder)?.[1] ?? []);
  return [...new Set([...EVENT_TYPES, ...named])];
}

/** The partitions of one day, listed apart: the day is under the first partition, not above it. */
function dayPrefixes(prefix: string, day: string, types: string[]): string[] {
  return [
    ...types.flatMap((t) => AREAS.map((area) => `${prefix}/${area}/event_type=${t}/dt=${day}/`)),
    ...ERROR_KINDS.map((k) => `${prefix}/errors/error_type=${k}/dt=${day}/`),
  ];
}

/** Runs `work` over the items, `size` at a time. */
async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

/** Beside the copy of the bucket, outside its prefix, so that no query reads it. */
const ETAGS_FILE = '.etags.json';

const md5Of = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');

export interface PullOptions {
  prefix: string;
  /** Inclusive YYYY-MM-DD bounds on the dt partition. */
  from: string;
  to: string;
  into: string;
  /** Called as each listed object is fetched or found cached. */
  progress?: (done: number, total: number) => void;
}

export async function pull(archive: Archive, options: PullOptions): Promise<PullSummary> {
  const types = await eventTypes(archive, options.prefix);
  const prefixes = daysFrom(options.from, options.to).flatMap((day) => dayPrefixes(options.prefix, day, types));
  const listed: ListedObject[] = (await inBatches(prefixes, 8, (p) => archive.list(p))).flat();
  const summary: PullSummary = { fetched: 0, cached: 0, removed: 0 };

  const etagsPath = join(options.into, ETAGS_FILE);
  const etags: Record<string, string> = existsSync(etagsPath) ? JSON.parse(readFileSync(etagsPath, 'utf8')) : {};

  const keys = new Set(listed.map((o) => o.key));
  for (const prefix of prefixes) {
    const folder = join(options.into, prefix);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      const key = relative(options.into, join(file.parentPath, file.name));
      if (file.isFile() && !keys.has(key)) {
        rmSync(join(options.into, key));
        delete etags[key];
        summary.removed += 1;
      }
    }
  }

  try {
    await inBatches(listed, 16, async ({ key, etag }) => {
      const path = join(options.into, key);
      // The function never writes such a key, but the bucket may hold anything.
      if (relative(options.into, path).split(sep).includes('..')) throw new Error(`Key ${key} would leave the cache folder`);
      if (existsSync(path) && (etags[key] === etag || md5Of(path) === etag)) {
        summary.cached += 1;
      } else {
        const body = await archive.get(key);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, body);
        summary.fetched += 1;
      }
      etags[key] = etag;
      options.progress?.(summary.cached + summary.fetched, listed.length);
    });
  } finally {
    // Even when a fetch failed: what was fetched before it need not be fetched again.
    mkdirSync(options.into, { recursive: true });
    writeFileSync(etagsPath, JSON.stringify(etags));
  }
  return summary;
}
