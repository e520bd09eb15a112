import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { ListedObject } from '../store/archive';

/*
 * The manifest beside a compacted day's Parquet (keys.ts: dayKeys): what was read, what was
 * written, and whether the writing is over.
 */

/**
 * How long before its listing an object can have been written and yet be missing from it: COS
 * keeps whole seconds, clocks differ a little, and a PUT can take up to the function's timeout.
 * Readers take an object written after (listed_at - this) from its JSON, as well as the Parquet.
 */
export const LATE_MARGIN_MS = 2 * 60_000;

/** Most rejects named in a manifest; `rejected` counts them all. */
export const MAX_NAMED_REJECTS = 1_000;

const count = z.number().int().nonnegative();

export const ManifestSchema = z.object({
  /** "writing" while the parts are being replaced: readers then take the day from its JSON. */
  status: z.enum(['writing', 'complete']),
  event_type: z.string(),
  dt: z.string(),
  /** When the compaction started to list the per-event objects (ISO 8601). */
  listed_at: z.string(),
  source_objects: count,
  /** SHA-256 of the listing, a line "key etag" per object in key order: tells whether the day changed since. */
  source_checksum: z.string(),
  rows: count,
  /** Objects that held an event already read from an earlier hour (a redelivery). */
  duplicates: count,
  parts: z.array(z.object({ key: z.string(), rows: count, bytes: count, md5: z.string() })),
  rejected: count,
  rejects: z.array(z.object({ key: z.string(), reason: z.string() })),
});

export type Manifest = z.infer<typeof ManifestSchema>;

/** The manifest a file holds, if it holds one: a reader takes any other text for none. */
export function readManifest(text: string): Manifest | undefined {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A day whose Parquet readers may take instead of its per-event records. */
export const isComplete = (manifest: Manifest | undefined): manifest is Manifest => manifest?.status === 'complete';

export function sourceChecksum(objects: ListedObject[]): string {
  const hash = createHash('sha256');
  for (const o of objects) hash.update(`${o.key} ${o.etag}\n`);
  return hash.digest('hex');
}
