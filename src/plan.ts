import { createHash } from 'node:crypto';
import { InvalidEventError } from './errors';
import { parseEvent } from './event/parse';
import { taskOf } from './event/schema';
import type { Invocation } from './context';
import { archiveKeys, errorKey, type Layout } from './keys';
import { maskSecrets } from './mask';
import { normalize } from './normalize';
import type { ErrorRecord, NormalizedRecord } from './record';
import { SCHEMA_VERSION } from './schema-version';
import type { StoredObject } from './store/store';

export type Plan =
  | { kind: 'archive'; record: NormalizedRecord; objects: StoredObject[] }
  | { kind: 'reject'; error: InvalidEventError; objects: StoredObject[] };

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

function reject(error: InvalidEventError, masked: unknown, invocation: Invocation, layout: Layout): Plan {
  // undefined has no JSON form; null says the same: nothing arrived.
  const payload = masked === undefined ? null : masked;
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
  const key = errorKey(layout, error.kind, sha256(Buffer.from(JSON.stringify(payload))), invocation.receivedAt);
  return { kind: 'reject', error, objects: [{ key, body: Buffer.from(JSON.stringify(record)) }] };
}

/**
 * Decides everything that will be written for one payload, without I/O: the raw event and its
 * normalized record, or an error record. The payload is masked first, so that no secret reaches
 * any object, and the event id is the hash of the raw object's exact bytes.
 */
export function plan(payload: unknown, invocation: Invocation, layout: Layout): Plan {
  const masked = maskSecrets(payload);
  let event;
  try {
    event = parseEvent(masked);
  } catch (error) {
    if (error instanceof InvalidEventError) return reject(error, masked, invocation, layout);
    throw error;
  }
  const task = taskOf(event);
  const raw = Buffer.from(JSON.stringify(masked));
  const eventId = sha256(raw);
  const keys = archiveKeys(
    layout,
    { eventType: event.EventType, taskId: task.TaskId, status: task.Status, eventId },
    invocation.receivedAt,
  );
  const record = normalize(event, { ...invocation, eventId, rawKey: keys.raw });
  return {
    kind: 'archive',
    record,
    objects: [
      { key: keys.raw, body: raw },
      { key: keys.normalized, body: Buffer.from(`${JSON.stringify(record)}\n`) },
    ],
  };
}
