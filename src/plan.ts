import { createHash } from 'node:crypto';
import { InvalidEventError, type ValidationIssue } from './errors';
import { decodePayload } from './event/decode';
import { INVALID_EVENT_KINDS, parseEvent } from './event/parse';
import { headOf, type ParsedEvent } from './event/schema';
import type { Invocation } from './context';
import { archiveKeys, errorKey, type Layout } from './keys';
import { oneByte, toJson, withoutNulls } from './json';
import { maskedJson } from './mask/payload';
import { maskText, type MaskedTexts } from './mask/text';
import { maskTextOnly } from './mask/unparsed';
import { normalize } from './normalize';
import { isOversize, OVERSIZE_BYTES, readOversize } from './oversize';
import type { ErrorRecord, NormalizedRecord, Oversize } from './record';
import { ERROR_SCHEMA_VERSION } from './schema-version';
import type { StoredObject } from './store/store';

/** Why a payload is kept as an error record: its `kind` is the record's error_type. */
export interface Rejection {
  kind: string;
  message: string;
  issues: ValidationIssue[];
}

/** What is written for an event. */
export type ArchiveObjects = {
  /** The event as received, credentials masked; its MD5 is the event id. */
  raw: StoredObject;
  /** The normalized record, one JSON line. */
  normalized: StoredObject;
};

export type Plan =
  | { kind: 'archive'; record: NormalizedRecord; objects: ArchiveObjects }
  | { kind: 'reject'; error: Rejection; objects: { error: StoredObject } };

/** The error_type of a payload whose planning failed in a way nobody foresaw. */
const INTERNAL = 'internal';

/** Every error_type an error record is written under. */
export const ERROR_KINDS = [...INVALID_EVENT_KINDS, INTERNAL];

/** The longest message an error record keeps of a failure nobody foresaw. */
const MAX_INTERNAL_MESSAGE = 2_000;

/** An object to write, with its MD5: the Content-MD5 COS checks, and in hex an id of the content. */
function stored(key: string, body: Buffer, digest: Buffer = createHash('md5').update(body).digest()): StoredObject {
  return { key, body, md5: digest.toString('base64') };
}

function errorRecord(error: Rejection, payload: unknown, invocation: Invocation, oversize: Oversize | null): ErrorRecord {
  return {
    schema_version: ERROR_SCHEMA_VERSION,
    error_type: error.kind,
    message: error.message,
    issues: error.issues,
    payload,
    received_at: invocation.receivedAt.toISOString(),
    request_id: invocation.requestId,
    function_name: invocation.functionName,
    oversize,
  };
}

function reject(error: Rejection, payload: unknown, payloadJson: string, invocation: Invocation, layout: Layout): Plan {
  // Named by the payload alone, so the same bad payload delivered twice is one record.
  const payloadId = createHash('md5').update(payloadJson).digest('hex');
  const key = errorKey(layout, error.kind, payloadId, invocation.receivedAt);
  return { kind: 'reject', error, objects: { error: stored(key, Buffer.from(toJson(errorRecord(error, payload, invocation, null)))) } };
}

/** As reject(), for a payload read as text: its masked text is written into the record as it is. */
function rejectOversize(error: Rejection, raw: Buffer, digest: Buffer, oversize: Oversize, invocation: Invocation, layout: Layout): Plan {
  const text = toJson(errorRecord(error, null, invocation, oversize));
  // The first: the record's own key, as a string's quotes would be escaped.
  const at = text.indexOf('"payload":null') + '"payload":'.length;
  const body = Buffer.concat([Buffer.from(text.slice(0, at)), raw, Buffer.from(text.slice(at + 'null'.length))]);
  const key = errorKey(layout, error.kind, digest.toString('hex'), invocation.receivedAt);
  return { kind: 'reject', error, objects: { error: stored(key, body) } };
}

/**
 * Decides everything that will be written for one payload, without I/O: the raw event and its
 * normalized record, or an error record. The payload is masked first, so that no secret reaches
 * any object, and the event id is the MD5 of the raw object's exact bytes (so also its ETag).
 * `maskedTexts`: the short texts masked for earlier payloads, which a handler keeps for its events.
 */
export function plan(payload: unknown, invocation: Invocation, layout: Layout, maskedTexts?: MaskedTexts): Plan {
  const decoded = decodePayload(payload);
  // Text left unparsed for its size, JSON or not, or a payload whose JSON is as large.
  const text = typeof decoded === 'string' && isOversize(decoded) ? decoded : undefined;
  let json = text ?? toJson(decoded);
  if (text !== undefined || isOversize(json)) {
    // Reassigned, so that nothing holds the text it replaces.
    json = oneByte(json);
    return planOversize(json, text === undefined, invocation, layout);
  }
  const { json: maskedText, value: masked } = maskedJson(decoded, maskedTexts, json);
  let parsed;
  try {
    parsed = parseEvent(masked);
  } catch (error) {
    if (error instanceof InvalidEventError) return reject(error, masked, maskedText, invocation, layout);
    throw error;
  }
  const raw = Buffer.from(maskedText);
  return archive(parsed, raw, createHash('md5').update(raw).digest(), invocation, layout);
}

function archive(parsed: ParsedEvent, raw: Buffer, digest: Buffer, invocation: Invocation, layout: Layout, oversize?: Oversize): Plan {
  const head = headOf(parsed);
  const eventId = digest.toString('hex');
  const keys = archiveKeys(
    layout,
    { eventType: parsed.event.EventType, taskId: head.TaskId ?? null, status: head.Status ?? null, eventId },
    invocation.receivedAt,
  );
  const record = normalize(parsed, { ...invocation, eventId, rawKey: keys.raw });
  if (oversize) {
    record.oversize = oversize;
    // FINISH with ErrCode 0: only the sub-tasks, which were not read, tell success from failure.
    if (record.outcome === 'succeeded') record.outcome = 'unknown';
  }
  return {
    kind: 'archive',
    record,
    objects: { raw: stored(keys.raw, raw, digest), normalized: stored(keys.normalized, Buffer.from(`${JSON.stringify(withoutNulls(record))}\n`)) },
  };
}

/**
 * A payload over OVERSIZE_BYTES, read as text (src/oversize.ts): archived whole, masked string by
 * string, with a record of its head, or kept in an error record when its head is not an event's.
 * Text that is not JSON is kept as a JSON string, as a smaller payload would be. `canonical`: the
 * JSON is JSON.stringify's, not text as it arrived.
 */
function planOversize(json: string, canonical: boolean, invocation: Invocation, layout: Layout): Plan {
  const { raw, digest, head } = readOversize(json, canonical) ?? readOversize(JSON.stringify(json), true)!;
  const oversize = { bytes: Buffer.byteLength(json), limit: OVERSIZE_BYTES };
  let parsed;
  try {
    parsed = parseEvent(head);
  } catch (error) {
    if (error instanceof InvalidEventError) return rejectOversize(error, raw, digest, oversize, invocation, layout);
    throw error;
  }
  return archive(parsed, raw, digest, invocation, layout, oversize);
}

/**
 * The last line of defence: an error record of kind `internal` for a payload whose planning
 * failed in a way nobody foresaw. A retry would fail the same way, so the payload is kept for
 * a fix and a replay instead. It is masked as any payload is, or, if masking is what failed,
 * kept as masked text.
 */
export function planFailure(payload: unknown, failure: unknown, invocation: Invocation, layout: Layout): Plan {
  const what = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
  const message = `Archiving the payload failed unexpectedly (${maskText(what).slice(0, MAX_INTERNAL_MESSAGE)})`;
  let kept: { json: string; value: unknown };
  try {
    kept = keptPayload(payload);
  } catch {
    const text = maskTextOnly(toJson(payload));
    kept = { json: text, value: text };
  }
  return reject({ kind: INTERNAL, message, issues: [] }, kept.value, kept.json, invocation, layout);
}

/** A payload masked for an error record; one over OVERSIZE_BYTES kept as text, masked as text. */
function keptPayload(payload: unknown): { json: string; value: unknown } {
  const decoded = decodePayload(payload);
  const json = toJson(decoded);
  if (!isOversize(json)) return maskedJson(decoded, undefined, json);
  const text = maskTextOnly(typeof decoded === 'string' ? decoded : json);
  return { json: text, value: text };
}
