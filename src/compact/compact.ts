import { createHash } from 'node:crypto';
import { StorageError } from '../errors';
import { dayKeys } from '../keys';
import { HOUR_COLUMN, recordColumns, type Column } from '../record-columns';
import type { Archive, ListedObject } from '../store/archive';
import type { ObjectStore } from '../store/store';
import { MAX_NAMED_REJECTS, sourceChecksum, type Manifest } from './manifest';
import { columnValue, PartWriter, UnconvertibleValue } from './parquet';

/*
 * Compacts one day of one event type: every normalized record of the partition, read through
 * the archive, one row per event id (its earliest receipt, as the views keep it), written as
 * Parquet parts beside a manifest. The per-event objects stay as they are: they remain the
 * archive, the Parquet is a copy for reading.
 *
 * Memory holds the listing, the event ids seen, one row group of records and the part being
 * written, whatever the size of the day. A record that cannot be read or converted, or that
 * the writer refuses, goes to the manifest's rejects with its key; it never stops the day.
 */

export interface CompactSizes {
  /** A part is closed once its Parquet reaches this many bytes. */
  partBytes: number;
  /** A row group is written once its records' JSON reaches this many bytes. */
  rowGroupBytes: number;
  /** GETs in flight at once. */
  reads: number;
}

/** Measured in `npm run bench` (scripts/bench/compaction.ts): see docs/compaction.md. */
export const COMPACT_SIZES: CompactSizes = { partBytes: 64 * 2 ** 20, rowGroupBytes: 16 * 2 ** 20, reads: 32 };

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

/** The longest one write of a part may take: tens of megabytes, where an event's objects are kilobytes. */
export const PART_WRITE_TIMEOUT_MS = 120_000;

/** The compaction could not finish before its deadline; the day is left for the next run. */
export class OutOfTime extends Error {}

export interface DayListing {
  eventType: string;
  day: string;
  /** Epoch ms when the listing started. */
  listedAt: number;
  /** The per-event records, in key order (hour, then file name). */
  objects: ListedObject[];
}

export interface CompactOptions {
  prefix: string;
  /** Epoch ms by which the day is written, or OutOfTime thrown. */
  deadline: number;
  now?: () => number;
  /** Called as records are read: (read, listed). */
  progress?: (done: number, total: number) => void;
  sizes?: CompactSizes;
}

export async function listDay(archive: Archive, prefix: string, eventType: string, day: string, now = Date.now): Promise<DayListing> {
  const listedAt = now();
  const objects = (await archive.list(dayKeys(prefix, eventType, day).normalized)).filter((o) => o.key.endsWith('.json'));
  return { eventType, day, listedAt, objects: objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

/** The columns of a compacted part: the record's fields, then the hour of receipt. */
export const compactedColumns = (): Column[] => [...recordColumns(), HOUR_COLUMN];

const md5 = (body: Buffer, encoding: 'hex' | 'base64') => createHash('md5').update(body).digest(encoding);
const hourOf = (key: string) => /\/hour=([^/]+)\//.exec(key)?.[1] ?? null;

type Read = { key: string; body: Buffer } | { key: string; gone: true };

/**
 * The records of the listing, in its order, `reads` at a time. A read in flight settles as a
 * value, its error kept for its turn: one failing while an earlier one is awaited must not go
 * unhandled.
 */
async function* records(archive: Archive, objects: ListedObject[], reads: number): AsyncGenerator<Read> {
  const read = async (key: string): Promise<Read | { error: unknown }> => {
    try {
      return { key, body: await archive.get(key) };
    } catch (error) {
      // Removed since it was listed: nothing to compact.
      if (error instanceof StorageError && error.statusCode === 404) return { key, gone: true };
      return { error };
    }
  };
  const pending = objects.slice(0, reads).map((o) => read(o.key));
  for (let i = 0; i < objects.length; i++) {
    const result = await pending.shift()!;
    if (i + reads < objects.length) pending.push(read(objects[i + reads]!.key));
    if ('error' in result) throw result.error;
    yield result;
  }
}

export async function compactDay(archive: Archive, store: ObjectStore, listing: DayListing, options: CompactOptions): Promise<Manifest> {
  const now = options.now ?? Date.now;
  const sizes = options.sizes ?? COMPACT_SIZES;
  const keys = dayKeys(options.prefix, listing.eventType, listing.day);
  const columns = compactedColumns();
  const put = (key: string, body: Buffer, contentType: string) =>
    store.put({ key, body, md5: md5(body, 'base64'), contentType }, { deadline: Math.max(options.deadline, now() + 60_000) });

  const manifest: Manifest = {
    status: 'writing',
    event_type: listing.eventType,
    dt: listing.day,
    listed_at: new Date(listing.listedAt).toISOString(),
    source_objects: listing.objects.length,
    source_checksum: sourceChecksum(listing.objects),
    rows: 0,
    duplicates: 0,
    parts: [],
    rejected: 0,
    rejects: [],
  };
  const writeManifest = () => put(keys.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'application/json');
  const reject = (key: string, reason: string) => {
    manifest.rejected += 1;
    if (manifest.rejects.length < MAX_NAMED_REJECTS) manifest.rejects.push({ key, reason });
  };

  // Readers keep to the JSON while the parts are replaced (they read parts only beside a complete manifest).
  const existing = (await archive.list(keys.compacted)).map((o) => o.key);
  if (existing.includes(keys.manifest)) await writeManifest();

  let part = new PartWriter(columns);
  let rows: unknown[][] = [];
  let rowKeys: string[] = [];
  let groupBytes = 0;
  const seen = new Set<string>();

  const closePart = async () => {
    const body = part.finish();
    const key = keys.part(manifest.parts.length);
    await put(key, body, PARQUET_CONTENT_TYPE);
    manifest.parts.push({ key, rows: part.rows, bytes: body.length, md5: md5(body, 'hex') });
    part = new PartWriter(columns);
  };
  const writeGroup = async () => {
    for (const refused of part.write(rows)) {
      const error = refused.error;
      reject(rowKeys[refused.index]!, `the Parquet writer refused it: ${error instanceof Error ? error.message : String(error)}`);
    }
    rows = [];
    rowKeys = [];
    groupBytes = 0;
    if (part.size >= sizes.partBytes) await closePart();
  };

  let done = 0;
  for await (const read of records(archive, listing.objects, sizes.reads)) {
    done += 1;
    if (done % 1000 === 0) {
      options.progress?.(done, listing.objects.length);
      if (now() > options.deadline) throw new OutOfTime(`${listing.eventType} ${listing.day}: out of time after ${done} of ${listing.objects.length} records`);
    }
    if ('gone' in read) continue;
    let record: unknown;
    try {
      record = JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      reject(read.key, `not JSON: ${(error as Error).message}`);
      continue;
    }
    const eventId = (record as { event_id?: unknown } | null)?.event_id;
    if (typeof eventId !== 'string' || eventId === '') {
      reject(read.key, 'no event_id');
      continue;
    }
    // Keys sort by hour, so the first delivery of an event is the earliest.
    if (seen.has(eventId)) {
      manifest.duplicates += 1;
      continue;
    }
    seen.add(eventId);
    const fields = { ...(record as Record<string, unknown>), [HOUR_COLUMN.name]: hourOf(read.key) };
    try {
      rows.push(columns.map((c) => columnValue(c.type, fields[c.name], c.name)));
    } catch (error) {
      if (!(error instanceof UnconvertibleValue)) throw error;
      reject(read.key, error.message);
      continue;
    }
    rowKeys.push(read.key);
    groupBytes += read.body.length;
    if (groupBytes >= sizes.rowGroupBytes) await writeGroup();
  }
  options.progress?.(done, listing.objects.length);
  await writeGroup();
  if (part.rows > 0) await closePart();

  // A part of an earlier compaction that this one did not write again is emptied: a reader of
  // the whole folder (a DLC table) would count its rows twice. Emptied, not deleted, so that the
  // compactor needs no right to delete.
  const written = new Set(manifest.parts.map((p) => p.key));
  const leftovers = existing.filter((k) => k.endsWith('.parquet') && !written.has(k));
  if (leftovers.length > 0) {
    const empty = new PartWriter(columns).finish();
    for (const key of leftovers) await put(key, empty, PARQUET_CONTENT_TYPE);
  }

  manifest.rows = manifest.parts.reduce((n, p) => n + p.rows, 0);
  manifest.status = 'complete';
  await writeManifest();
  return manifest;
}
