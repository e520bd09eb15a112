import { describe, expect, it } from 'vitest';
import { ASYNC_EVENT_LIMIT, forwardedEvent, MAX_POINTER_FIELD, type ArchivedEvent } from '../../src/forward/payload';

/** A raw event of exactly `bytes` bytes, multi-byte characters included. */
function eventOf(bytes: number): ArchivedEvent {
  const head = '{"EventType":"WorkflowTask","Note":"界';
  const tail = '"}';
  const raw = Buffer.from(head + 'x'.repeat(bytes - Buffer.byteLength(head) - tail.length) + tail);
  expect(raw.length).toBe(bytes);
  return {
    raw,
    eventType: 'WorkflowTask',
    taskId: 't-1',
    status: 'FINISH',
    bucket: 'archive-1250000000',
    region: 'ap-guangzhou',
    rawKey: 'mps-events/raw/k.json',
    normalizedKey: 'mps-events/normalized/k.json',
  };
}

describe('forwardedEvent', () => {
  it('forwards the event itself up to exactly 128 KB', () => {
    const event = eventOf(ASYNC_EVENT_LIMIT);
    expect(ASYNC_EVENT_LIMIT).toBe(131_072);
    expect(forwardedEvent(event)).toEqual({ body: event.raw.toString('utf8'), mode: 'full' });
  });

  it('forwards a pointer to the archive from 128 KB and one byte', () => {
    const { body, mode } = forwardedEvent(eventOf(ASYNC_EVENT_LIMIT + 1));
    expect(mode).toBe('pointer');
    expect(JSON.parse(body)).toEqual({
      EventType: 'WorkflowTask',
      TaskId: 't-1',
      Status: 'FINISH',
      pointer: true,
      archive: { bucket: 'archive-1250000000', region: 'ap-guangzhou', raw_key: 'mps-events/raw/k.json', normalized_key: 'mps-events/normalized/k.json' },
    });
  });

  it('counts bytes, not characters', () => {
    const event = eventOf(ASYNC_EVENT_LIMIT + 1);
    expect(event.raw.toString('utf8').length).toBeLessThanOrEqual(ASYNC_EVENT_LIMIT);
    expect(forwardedEvent(event).mode).toBe('pointer');
  });

  it('keeps a pointer small, however long the TaskId and Status of the event', () => {
    const event = { ...eventOf(ASYNC_EVENT_LIMIT * 2), taskId: 't'.repeat(200_000), status: 's'.repeat(200_000) };
    const { body, mode } = forwardedEvent(event);
    expect(mode).toBe('pointer');
    expect(Buffer.byteLength(body)).toBeLessThan(4_096);
    expect(JSON.parse(body)).toMatchObject({ TaskId: 't'.repeat(MAX_POINTER_FIELD), Status: 's'.repeat(MAX_POINTER_FIELD) });
  });
});
