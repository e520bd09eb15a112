import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isComplete, LATE_MARGIN_MS, readManifest } from '../../src/compact/manifest';
import { EVENT_TYPES } from '../../src/event/schema';
import { dayKeys, partitionValue } from '../../src/keys';
import { ERROR_KINDS } from '../../src/plan';
import type { Archive, ListedObject } from '../../src/store/archive';

/*
 * A date range of the archive, copied from the bucket into a local folder as {key} files, for
 * DuckDB to read. A later pull of the same days fetches only what is new or changed and drops
 * what the bucket no longer holds, such as error records deleted after a replay. What is new or
 * changed is told by the listed ETag against the one each file was fetched with, kept in
 * {into}/.etags.json: an encrypted object's ETag is not the MD5 of its bytes (COS docs 436/7729).
 * A file fetched before that record existed counts as cached when its MD5 is the ETag.
 * A compacted day comes as its Parquet and manifest, and of its per-event records only those
 * written since its compaction listed them (which the views read beside the Parquet); its raw
 * events only with `raw`. Each file keeps the time COS gives the object, which is how the views
 * tell those records apart.
 */

export interface PullSummary {
  fetched: number;
  cached: number;
  removed: number;
  /** Compacted days whose raw events were left in the bucket. */
  rawLeft: number;
}

/** Each day from `from` to `to`, inclusive, as YYYY-MM-DD. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The event types the archive holds: the documented ones, and any other its keys name (one MPS has not documented). */
async function eventTypes(archive: Archive, prefix: string): Promise<string[]> {
  const folders = (await Promise.all(['raw', 'normalized'].map((area) => archive.folders(`${prefix}/${area}/`)))).flat();
  const named = folders.flatMap((folder) => partitionValue(folder, 'event_type') ?? []);
  return [...new Set([...EVENT_TYPES, ...named])];
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
  /** The raw events of compacted days too (the raw view's rows of those days). */
  raw?: boolean;
  /** Called as each object to keep is fetched or found cached. */
  progress?: (done: number, total: number) => void;
}

export async function pull(archive: Archive, options: PullOptions): Promise<PullSummary> {
  const summary: PullSummary = { fetched: 0, cached: 0, removed: 0, rawLeft: 0 };
  const etagsPath = join(options.into, ETAGS_FILE);
  const etags: Record<string, string> = existsSync(etagsPath) ? JSON.parse(readFileSync(etagsPath, 'utf8')) : {};
  const pathOf = (key: string) => {
    const path = join(options.into, key);
    // The function never writes such a key, but the bucket may hold anything.
    if (relative(options.into, path).split(sep).includes('..')) throw new Error(`Key ${key} would leave the cache folder`);
    return path;
  };
  const got = new Map<string, Buffer>();
  /** The object's bytes, from the cache when they are the same, with the object's time. */
  const fetch = async ({ key, etag, lastModified }: ListedObject): Promise<Buffer> => {
    const path = pathOf(key);
    let body = got.get(key);
    if (body) return body;
    if (existsSync(path) && (etags[key] === etag || md5Of(path) === etag)) {
      body = readFileSync(path);
      summary.cached += 1;
    } else {
      body = await archive.get(key);
      mkdirSync(dirname(path), { recursive: true });
      // Written beside, then renamed: its folder's time then tells that it changed (catalog.ts).
      writeFileSync(`${path}.pulling`, body);
      renameSync(`${path}.pulling`, path);
      summary.fetched += 1;
    }
    utimesSync(path, new Date(lastModified), new Date(lastModified));
    etags[key] = etag;
    got.set(key, body);
    return body;
  };

  try {
    const types = await eventTypes(archive, options.prefix);
    /** Prefixes listed, each with the objects of it to keep. */
    const listed: { prefix: string; keep: ListedObject[] }[] = [];
    const whole = async (prefix: string) => {
      listed.push({ prefix, keep: await archive.list(prefix) });
    };
    await inBatches(
      daysFrom(options.from, options.to).flatMap((day) => [
        ...types.map((eventType) => async () => {
          const keys = dayKeys(options.prefix, eventType, day);
          const raw = `${options.prefix}/raw/event_type=${eventType}/dt=${day}/`;
          const compacted = await archive.list(keys.compacted);
          const manifestObject = compacted.find((o) => o.key === keys.manifest);
          const manifest = manifestObject && readManifest((await fetch(manifestObject)).toString('utf8'));
          if (!isComplete(manifest)) {
            // Read from its JSON: no part is kept, only the manifest that says so.
            listed.push({ prefix: keys.compacted, keep: manifestObject ? [manifestObject] : [] });
            await Promise.all([whole(keys.normalized), whole(raw)]);
            return;
          }
          const since = Date.parse(manifest.listed_at) - LATE_MARGIN_MS;
          const late = (await archive.list(keys.normalized)).filter((o) => Date.parse(o.lastModified) >= since);
          listed.push({ prefix: keys.compacted, keep: compacted }, { prefix: keys.normalized, keep: late });
          if (options.raw) await whole(raw);
          else summary.rawLeft += 1;
        }),
        ...ERROR_KINDS.map((kind) => () => whole(`${options.prefix}/errors/error_type=${kind}/dt=${day}/`)),
      ]),
      8,
      (work) => work(),
    );

    const keep = listed.flatMap((l) => l.keep);
    const keys = new Set(keep.map((o) => o.key));
    for (const { prefix } of listed) {
      const folder = join(options.into, prefix);
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder, { recursive: true, withFileTypes: true })) {
        const key = relative(options.into, join(file.parentPath, file.name)).split(sep).join('/');
        if (file.isFile() && !keys.has(key)) {
          rmSync(join(options.into, key));
          delete etags[key];
          summary.removed += 1;
        }
      }
    }

    let done = 0;
    await inBatches(keep, 16, async (object) => {
      await fetch(object);
      options.progress?.((done += 1), keep.length);
    });
  } finally {
    // Even when a fetch failed: what was fetched before it need not be fetched again.
    mkdirSync(options.into, { recursive: true });
    writeFileSync(etagsPath, JSON.stringify(etags));
  }
  return summary;
}
