import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/event/decode';
import { OVERSIZE_BYTES } from '../../src/oversize';

const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH' } };
const text = JSON.stringify(event);

describe('decodePayload', () => {
  it.each<[string, unknown]>([
    ['a JSON string', text],
    ['a JSON string encoded twice', JSON.stringify(text)],
    ['a Buffer', Buffer.from(text)],
    ['a Uint8Array', new TextEncoder().encode(text)],
    ['an ArrayBuffer', new TextEncoder().encode(text).buffer],
    ['a Buffer that went through JSON', JSON.parse(JSON.stringify(Buffer.from(text)))],
    ['a Buffer holding a JSON string', Buffer.from(JSON.stringify(text))],
    // A byte order mark, which files saved on Windows start with, and JSON.parse refuses.
    ['a Buffer that starts with a byte order mark', Buffer.from(`\uFEFF${text}`)],
    ['a Uint8Array that starts with a byte order mark', new TextEncoder().encode(`\uFEFF${text}`)],
    ['a Buffer that went through JSON, with a byte order mark', JSON.parse(JSON.stringify(Buffer.from(`\uFEFF${text}`)))],
    ['a string that starts with a byte order mark', `\uFEFF${text}`],
    ['a JSON string encoded twice, with a byte order mark inside', JSON.stringify(`\uFEFF${text}`)],
    ['a Buffer with a byte order mark, holding a JSON string', Buffer.from(`\uFEFF${JSON.stringify(text)}`)],
  ])('reads the event inside %s', (_name, payload) => {
    expect(decodePayload(payload)).toEqual(event);
  });

  it('leaves an event, and any other parsed JSON, as it is', () => {
    expect(decodePayload(event)).toBe(event);
    for (const value of [null, 7, true, [1, 2], { type: 'Buffer', data: [1, 2], extra: 1 }, { type: 'Buffer', data: [300] }]) {
      expect(decodePayload(value)).toEqual(value);
    }
  });

  it('keeps the text of bytes that hold no JSON after their byte order mark as it is', () => {
    expect(decodePayload(Buffer.from('\uFEFFnot json'))).toBe('\uFEFFnot json');
  });

  it('gives the text of a string or of bytes that hold no JSON', () => {
    expect(decodePayload('not json')).toBe('not json');
    expect(decodePayload(Buffer.from('password=hunter2'))).toBe('password=hunter2');
    expect(decodePayload(Buffer.from([0xff, 0x41]))).toBe('\uFFFDA');
  });

  it('stops after three layers, leaving a string', () => {
    const four = JSON.stringify(JSON.stringify(JSON.stringify(text)));
    expect(decodePayload(four)).toBe(text);
  });
});

describe('decodePayload, for text over OVERSIZE_BYTES', () => {
  it('leaves it unparsed, as text, a byte order mark taken off', () => {
    const large = JSON.stringify({ ...event, Notes: 'x'.repeat(OVERSIZE_BYTES) });
    expect(decodePayload(large)).toBe(large);
    expect(decodePayload(Buffer.from(`\uFEFF${large}`))).toBe(large);
    expect(decodePayload(JSON.stringify(large))).toBe(large);
  });
});
