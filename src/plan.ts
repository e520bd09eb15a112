import { createHash } from 'node:crypto';
import { InvalidEventError } from './errors';
import { parseEvent } from './event/parse';
import { taskOf } from './event/schema';
import type { Invocation } from './context';
import { archiveKeys, errorKey, type Layout } from './keys';
import { maskedJson } from './mask';
import { normalize } from './normalize';
import type { ErrorRecord, NormalizedRecord } from './record';
import { SCHEMA_VERSION } from './schema-version';
import type { StoredObject } from './store/store';

export type Plan =
  | { kind: 'archive'; record: NormalizedRecord; objects: StoredObject[] }
  | { kind: 'reject'; error: InvalidEventError; objects: StoredObject[] };

/** An object to write, with its MD5: the Content-MD5 COS checks, and in hex an id of the content. */
function stored(key: string, body: Buffer, digest = createHash('md5').update(body).digest()): StoredObject {
  return { key, body, md5: digest.toString('base64') };
}

function reject(error: InvalidEventError, payload: unknown, payloadJson: string, invocation: Invocation, layout: Layout): Plan {
  const record: ErrorRecord = {
    schema_version: SCHEMA_VERSION,
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
  return { kind: 'reject', error, objects: [stored(key, Buffer.from(JSON.stringify(record)))] };
}

/**
 * Decides everything that will be written for one payload, without I/O: the raw event and its
 * normalized record, or an error record. The payload is masked first, so that no secret reaches
 * any object, and the event id is the MD5 of the raw object's exact bytes (so also its ETag).
 */
export function plan(payload: unknown, invocation: Invocation, layout: Layout): Plan {
  const { json, value: masked } = maskedJson(payload);
  let event;
  try {
    event = parseEvent(masked);
  } catch (error) {
    if (error instanceof InvalidEventError) return reject(error, masked, json, invocation, layout);
    throw error;
  }
  const task = taskOf(event);
  const raw = Buffer.from(json);
  const digest = createHash('md5').update(raw).digest();
  const eventId = digest.toString('hex');
  const keys = archiveKeys(
    layout,
    { eventType: event.EventType, taskId: task.TaskId, status: task.Status, eventId },
    invocation.receivedAt,
  );
  const record = normalize(event, { ...invocation, eventId, rawKey: keys.raw });
  return {
    kind: 'archive',
    record,
    objects: [stored(keys.raw, raw, digest), stored(keys.normalized, Buffer.from(`${JSON.stringify(record)}\n`))],
  };
}
