import { isOversize } from '../oversize';

/*
 * SCF passes the trigger's event as parsed JSON. A caller that double-encodes it (an API Invoke
 * whose event is a JSON string, a console test) passes a string instead, and other callers bytes,
 * which a file saved on Windows starts with a UTF-8 byte order mark. Either is decoded and handled
 * as the JSON it holds; what holds no JSON stays text, which the handler records as a payload that
 * is not an event. Text over OVERSIZE_BYTES is not parsed: a few megabytes of tiny objects or deep
 * nesting, parsed into values, can take more than the instance's heap. It stays text, which the
 * handler reads as text (src/oversize.ts), unless it is a JSON string, which holds the text.
 */

/** U+FEFF, as UTF-8 bytes decode a byte order mark: JSON.parse refuses it, and it holds nothing. */
const BYTE_ORDER_MARK = '\uFEFF';

/** More layers than any caller wraps an event in; a string nested deeper stays a string. */
const MAX_LAYERS = 3;

function bytesOf(payload: unknown): Buffer | undefined {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer) return Buffer.from(payload);
  // A Buffer that went through JSON.stringify on its way here.
  const b = payload as { type?: unknown; data?: unknown } | null;
  if (b?.type === 'Buffer' && Array.isArray(b.data) && Object.keys(b).length === 2 && b.data.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    return Buffer.from(b.data as number[]);
  }
  return undefined;
}

export function decodePayload(payload: unknown): unknown {
  let value = payload;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const bytes = bytesOf(value);
    const text = bytes ? bytes.toString('utf8') : value;
    if (typeof text !== 'string') return value;
    const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
    // A JSON string parses into one string, whatever its size.
    if (isOversize(json) && !json.trimStart().startsWith('"')) return json;
    try {
      value = JSON.parse(json);
    } catch {
      return text;
    }
  }
  return value;
}
