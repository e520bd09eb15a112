import { createHash } from 'node:crypto';
import { InvalidEventError, type ValidationIssue } from './errors';
import { decodePayload } from './event/decode';
import { INVALID_EVENT_KINDS, parseEvent } from './event/parse';
import { headOf } from './event/schema';
import type { Invocation } from './context';
import { archiveKeys, errorKey, type Layout } from './keys';
import { toJson, withoutNulls } from './json';
import { maskedJson } from './mask/payload';
import { maskText, type MaskedTexts } from './mask/text';
import { normalize } from './normalize';
import type { ErrorRecord, NormalizedRecord } from './record';
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
function stored(key: string, body: Buffer, digest = createHash('md5').update(body).digest()): StoredObject {
  return { key, body, md5: digest.toString('base64') };
}

function reject(error: Rejection, payload: unknown, payloadJson: string, invocation: Invocation, layout: Layout): Plan {
  const record: ErrorRecord = {
    schema_version: ERROR_SCHEMA_VERSION,
    error_type: error.kind,
    message: error.message,
    issues: error.issues,
    payload,
    received_at: invocation.receivedAt.toISOString(),
    request_id: invocation.requestId,
    function_name: invocation.functionName,
  };
  // Named by the payload alone, so the same bad payload delivered twice is one record.
  const payloadId = createHash('md5').update(payloadJson).digest('hex');
  const key = errorKey(layout, error.kind, payloadId, invocation.receivedAt);
  return { kind: 'reject', error, objects: { error: stored(key, Buffer.from(toJson(record))) } };
}

/**
 * Decides everything that will be written for one payload, without I/O: the raw event and its
 * normalized record, or an error record. The payload is masked first, so that no secret reaches
 * any object, and the event id is the MD5 of the raw object's exact bytes (so also its ETag).
 * `maskedTexts`: the short texts masked for earlier payloads, which a handler keeps for its events.
 */
export function plan(payload: unknown, invocation: Invocation, layout: Layout, maskedTexts?: MaskedTexts): Plan {
  const { json, value: masked } = maskedJson(decodePayload(payload), maskedTexts);
  let parsed;
  try {
    parsed = parseEvent(masked);
  } catch (error) {
    if (error instanceof InvalidEventError) return reject(error, masked, json, invocation, layout);
    throw error;
  }
  const head = headOf(parsed);
  const raw = Buffer.from(json);
  const digest = createHash('md5').update(raw).digest();
  const eventId = digest.toString('hex');
  const keys = archiveKeys(
    layout,
    { eventType: parsed.event.EventType, taskId: head.TaskId ?? null, status: head.Status ?? null, eventId },
    invocation.receivedAt,
  );
  const record = normalize(parsed, { ...invocation, eventId, rawKey: keys.raw });
  return {
    kind: 'archive',
    record,
    objects: { raw: stored(keys.raw, raw, digest), normalized: stored(keys.normalized, Buffer.from(`${JSON.stringify(withoutNulls(record))}\n`)) },
  };
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
    kept = maskedJson(decodePayload(payload));
  } catch {
    const text = maskText(toJson(payload));
    kept = { json: text, value: text };
  }
  return reject({ kind: INTERNAL, message, issues: [] }, kept.value, kept.json, invocation, layout);
}
