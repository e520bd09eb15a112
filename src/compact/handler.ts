import * as z from 'zod';
import type { Config } from '../config';
import { readInvocation } from '../context';
import { dayKeys, MANIFEST_FILE, partitions, partitionValue } from '../keys';
import type { Logger } from '../logger';
import type { Archive } from '../store/archive';
import type { ObjectStore } from '../store/store';
import { compactDay, listDay, OutOfTime, type DayListing } from './compact';
import { isComplete, readManifest, sourceChecksum } from './manifest';

/*
 * `index.compact_handler`, run by an SCF timer once a day: compacts every day that has closed
 * in PARTITION_TIMEZONE and has no complete manifest, oldest first, then every day of the last
 * RECHECK_DAYS whose per-event objects changed since its manifest (late events, replays),
 * within the function's time limit, or the shorter time its event asks for (RunRequest). What is
 * left waits for the next run. A day that fails is logged and left; the run goes on and returns
 * normally, since the next run tries it again.
 */

/** How far back a compacted day is listed again, for objects written since its compaction. */
export const RECHECK_DAYS = 7;
/** Time kept for a part's last writes and the manifest when a day runs out of time. */
const SAFETY_MS = 20_000;
/** The cost of a record until a day of this run has been measured (about twice the bench's). */
const DEFAULT_MS_PER_OBJECT = 2;

export interface CompactHandlerDeps {
  config: Config;
  logger: Logger;
  /** The archive and a store over it, with the credentials of the run. */
  open: () => { archive: Archive; store: ObjectStore };
  now?: () => number;
}

const count = z.number().int().nonnegative();

/** What a run answers: the days it compacted, and how many it left or failed. */
export const CompactSummarySchema = z.object({
  compacted: z.array(z.object({ event_type: z.string(), dt: z.string(), rows: count, parts: count, rejected: count })),
  /** Days found to compact that this run did not reach. */
  left: count,
  failed: count,
});
export type CompactSummary = z.infer<typeof CompactSummarySchema>;

/**
 * What an event may ask of a run, in the Message of a timer event (a trigger's CustomArgument):
 * to take at most `max_seconds`, for a caller that waits for the answer. A synchronous Invoke
 * waits 300 s at most (SCF's InvokeRequest), less than the 900 s a run may take; `npm run deploy
 * -- --check` asks for less.
 */
const RunRequestSchema = z.object({ max_seconds: z.number().int().positive() });
export type RunRequest = z.infer<typeof RunRequestSchema>;

function requestedMs(event: unknown): number | undefined {
  const message = (event as { Message?: unknown } | null)?.Message;
  if (typeof message !== 'string') return undefined;
  try {
    const request = RunRequestSchema.safeParse(JSON.parse(message));
    return request.success ? request.data.max_seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

interface Work {
  eventType: string;
  day: string;
  /** A listing already made, to compare with the manifest. */
  listing?: DayListing;
}

/** The statement that registers a compacted day with the DLC table of sql/normalized_events.sql. */
export const addPartition = (eventType: string, day: string) =>
  `ALTER TABLE mps_events_compacted ADD IF NOT EXISTS PARTITION (event_type = '${eventType}', dt = '${day}')`;

/** What the run has to do, in order: days never compacted (oldest first), then recent days that changed. */
async function plan(archive: Archive, prefix: string, today: string): Promise<Work[]> {
  const types = (await archive.folders(`${prefix}/normalized/`)).map((f) => partitionValue(f, 'event_type')).filter((t): t is string => t !== undefined);
  const recheckFrom = new Date(Date.parse(`${today}T00:00:00Z`) - RECHECK_DAYS * 86_400_000).toISOString().slice(0, 10);
  const fresh: Work[] = [];
  const recent: Work[] = [];
  for (const eventType of types) {
    const days = (await archive.folders(`${prefix}/normalized/event_type=${eventType}/`)).map((f) => partitionValue(f, 'dt')).filter((d): d is string => d !== undefined && d < today);
    const manifests = new Set((await archive.list(`${prefix}/compacted/normalized/event_type=${eventType}/`)).map((o) => o.key).filter((k) => k.endsWith(`/${MANIFEST_FILE}`)));
    for (const day of days) {
      const key = dayKeys(prefix, eventType, day).manifest;
      const manifest = manifests.has(key) ? readManifest((await archive.get(key)).toString('utf8')) : undefined;
      if (!isComplete(manifest)) fresh.push({ eventType, day });
      else if (day >= recheckFrom) {
        const listing = await listDay(archive, prefix, eventType, day);
        if (sourceChecksum(listing.objects) !== manifest.source_checksum) recent.push({ eventType, day, listing });
      }
    }
  }
  const order = (a: Work, b: Work) => a.day.localeCompare(b.day) || a.eventType.localeCompare(b.eventType);
  return [...fresh.sort(order), ...recent.sort(order)];
}

export function createCompactHandler(deps: CompactHandlerDeps) {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  return async (event: unknown, context: unknown): Promise<CompactSummary> => {
    const started = now();
    const invocation = readInvocation(context, started, config.functionName);
    const log = logger.child({ request_id: invocation.requestId });
    const limitMs = invocation.deadline - started;
    const deadline = Math.min(invocation.deadline, started + (requestedMs(event) ?? Infinity)) - SAFETY_MS;
    const { archive, store } = deps.open();
    const work = await plan(archive, config.prefix, partitions(new Date(started), config.timeZone).dt);
    const summary: CompactSummary = { compacted: [], left: 0, failed: 0 };
    let msPerObject = DEFAULT_MS_PER_OBJECT;

    for (const [i, item] of work.entries()) {
      const where = { event_type: item.eventType, dt: item.day };
      try {
        const listing = item.listing ?? (await listDay(archive, config.prefix, item.eventType, item.day, now));
        const estimateMs = listing.objects.length * msPerObject;
        if (estimateMs > limitMs - SAFETY_MS) {
          log.error({ ...where, objects: listing.objects.length, estimate_ms: Math.round(estimateMs) }, 'Day too large to compact within the time limit: run npm run compact for it, or give the function more memory or time');
          summary.failed += 1;
          continue;
        }
        if (now() + estimateMs > deadline) {
          summary.left = work.length - i;
          break;
        }
        const dayStarted = now();
        const manifest = await compactDay(archive, store, listing, { prefix: config.prefix, deadline, now });
        if (listing.objects.length > 0) msPerObject = (now() - dayStarted) / listing.objects.length;
        summary.compacted.push({ ...where, rows: manifest.rows, parts: manifest.parts.length, rejected: manifest.rejected });
        log.info(
          { ...where, rows: manifest.rows, source_objects: manifest.source_objects, duplicates: manifest.duplicates, parts: manifest.parts.length, rejected: manifest.rejected, ms: now() - dayStarted, dlc: addPartition(item.eventType, item.day) },
          'Day compacted',
        );
      } catch (error) {
        if (error instanceof OutOfTime) {
          summary.left = work.length - i;
          break;
        }
        summary.failed += 1;
        log.error({ ...where, err: error instanceof Error ? error.message : String(error) }, 'Day not compacted');
      }
    }
    log.info({ compacted: summary.compacted.length, left: summary.left, failed: summary.failed, ms: now() - started }, 'Compaction run done');
    return summary;
  };
}
