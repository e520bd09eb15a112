/** SCF's limit on an asynchronous invocation's event (ClientContext), in bytes. */
export const ASYNC_EVENT_LIMIT = 128 * 1024;

export interface ArchivedEvent {
  /** The raw object's bytes: the event as received, secrets masked. */
  raw: Buffer;
  eventType: string;
  taskId: string;
  status: string;
  bucket: string;
  region: string;
  rawKey: string;
  normalizedKey: string;
}

/**
 * What a target receives: the event itself when it fits SCF's async limit, otherwise a pointer
 * to the archived copy, marked `"pointer": true`, for the receiver to fetch from COS.
 */
export function forwardedEvent(event: ArchivedEvent): { body: string; mode: 'full' | 'pointer' } {
  if (event.raw.length <= ASYNC_EVENT_LIMIT) return { body: event.raw.toString('utf8'), mode: 'full' };
  const pointer = {
    EventType: event.eventType,
    TaskId: event.taskId,
    Status: event.status,
    pointer: true,
    archive: { bucket: event.bucket, region: event.region, raw_key: event.rawKey, normalized_key: event.normalizedKey },
  };
  return { body: JSON.stringify(pointer), mode: 'pointer' };
}
