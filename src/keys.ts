/*
 * Object keys: {prefix}/{area}/{partition=value/...}/{file}.json. Everything that comes from
 * an event passes through `segment`, so that no key holds "..", an empty segment, a control
 * character or a backslash, and none can leave the prefix (whose own shape config.ts checks).
 */

const MAX_TASK_ID_BYTES = 128;
/** Statuses: short names. */
const MAX_NAME_BYTES = 32;
/** As long as an event type's name can be (EVENT_TYPE_NAME), so that each is its own partition. */
const MAX_EVENT_TYPE_BYTES = 64;
const MAX_ERROR_TYPE_BYTES = 64;
const EVENT_ID_CHARS = 16;

/** Letters, digits, "-", "_" and ".": what a segment keeps. */
const isKept = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 46;

/**
 * Keeps letters, digits, "-", "_" and single dots; anything else becomes "_". ASCII, so chars =
 * bytes. A loop rather than patterns: V8 compiles each pattern to machine code the second time it
 * runs, which a new instance's first event paid for, and it stops at the limit of a long value.
 */
export function segment(value: string, maxBytes: number): string {
  let safe = '';
  for (let i = 0; i < value.length && safe.length < maxBytes; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 && safe.endsWith('.')) continue;
    safe += isKept(c) ? value[i] : '_';
  }
  return safe === '' || safe === '.' ? '_' : safe;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The dt (YYYY-MM-DD) and hour (HH) partitions of a moment, in the configured zone. */
export function partitions(time: Date, timeZone: string): { dt: string; hour: string } {
  if (timeZone === 'UTC') {
    // Without Intl: its first use costs ICU's set-up, on the first event of every instance.
    const iso = time.toISOString();
    return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
  }
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(time)) part[type] = value;
  return { dt: `${part.year}-${part.month}-${part.day}`, hour: part.hour ?? '00' };
}

export interface Layout {
  prefix: string;
  timeZone: string;
}

function partitionPath(layout: Layout, time: Date): string {
  const { dt, hour } = partitions(time, layout.timeZone);
  return `dt=${dt}/hour=${hour}`;
}

/**
 * The raw and normalized keys of one event. The file name ends with the event id (a hash of the
 * content), so a redelivered event overwrites its own objects and two events of one task differ.
 * A task id or status the event does not carry is "_", as an empty one is.
 */
export function archiveKeys(
  layout: Layout,
  event: { eventType: string; taskId: string | null; status: string | null; eventId: string },
  receivedAt: Date,
): { raw: string; normalized: string } {
  const partition = `event_type=${segment(event.eventType, MAX_EVENT_TYPE_BYTES)}/${partitionPath(layout, receivedAt)}`;
  const file = [
    segment(event.taskId ?? '', MAX_TASK_ID_BYTES),
    segment(event.status ?? '', MAX_NAME_BYTES),
    segment(event.eventId, EVENT_ID_CHARS),
  ].join('_');
  return {
    raw: `${layout.prefix}/raw/${partition}/${file}.json`,
    normalized: `${layout.prefix}/normalized/${partition}/${file}.json`,
  };
}

/** The key of the record of a payload that is not a valid event. */
export function errorKey(layout: Layout, errorType: string, payloadId: string, receivedAt: Date): string {
  const partition = `error_type=${segment(errorType, MAX_ERROR_TYPE_BYTES)}/${partitionPath(layout, receivedAt)}`;
  return `${layout.prefix}/errors/${partition}/${segment(payloadId, EVENT_ID_CHARS)}.json`;
}

/**
 * The manifest of a compacted day. Its name starts with "_", which Spark, Hive and Presto skip as
 * a hidden file, so that a Parquet table over the folder reads only the parts.
 */
export const MANIFEST_FILE = '_manifest.json';

/** The value of a `name=value` segment of a key or a folder ("WorkflowTask" of ".../event_type=WorkflowTask/"). */
export const partitionValue = (path: string, name: string) => new RegExp(`(?:^|/)${name}=([^/]+)`).exec(path)?.[1];

/** A day of one event type: the prefix of its per-event records, and the keys of their compacted copy. */
export function dayKeys(prefix: string, eventType: string, day: string) {
  const partition = `event_type=${eventType}/dt=${day}`;
  const compacted = `${prefix}/compacted/normalized/${partition}/`;
  return {
    normalized: `${prefix}/normalized/${partition}/`,
    compacted,
    manifest: `${compacted}${MANIFEST_FILE}`,
    part: (n: number) => `${compacted}part-${String(n).padStart(5, '0')}.parquet`,
  };
}
