/** SCF's limit on an asynchronous invocation's event (ClientContext), in bytes. */
export const ASYNC_EVENT_LIMIT = 128 * 1024;
/**
 * The most a pointer repeats of the TaskId and Status, which an event can make as long as it
 * likes: the pointer must stay far inside the limit. The archived objects hold them whole.
 */
export const MAX_POINTER_FIELD = 1_024;

export interface ArchivedEvent {
  /** The raw object's bytes: the event as received, secrets masked. */
  raw: Buffer;
  eventType: string;
  taskId: string | null;
  status: string | null;
  bucket: string;
  region: string;
  rawKey: string;
  normalizedKey: string;
}

/**
 * What a target receives: the event itself when it fits SCF's async limit, otherwise a pointer
 * to the archived copy, marked `"pointer": true`, for the receiver to fetch from COS. The pointer
 * is a few KB at most: its TaskId and Status are cut to MAX_POINTER_FIELD characters.
 */
export function forwardedEvent(event: ArchivedEvent): { body: string; mode: 'full' | 'pointer' } {
  if (event.raw.length <= ASYNC_EVENT_LIMIT) return { body: event.raw.toString('utf8'), mode: 'full' };
  const pointer = {
    EventType: event.eventType,
    TaskId: event.taskId?.slice(0, MAX_POINTER_FIELD) ?? null,
    Status: event.status?.slice(0, MAX_POINTER_FIELD) ?? null,
    pointer: true,
    archive: { bucket: event.bucket, region: event.region, raw_key: event.rawKey, normalized_key: event.normalizedKey },
  };
  return { body: JSON.stringify(pointer), mode: 'pointer' };
}
