import { MASK, type Entry } from './rule';
import { SOURCES } from './sources';

/** JSON's \uXXXX escape, and its escaped backslash, read as one so that what follows it is no escape. */
const JSON_ESCAPES = /\\(?:u([0-9A-Fa-f]{4})|\\)/g;

/**
 * JSON's \uXXXX escapes of printable ASCII, decoded; a quote or a backslash becomes JSON's own
 * escape of it (\" and \\), so that what the escape quoted stays quoted, and anything else (a
 * control character, a surrogate, beyond ASCII) is left as written.
 */
export function decodeAsciiEscapes(text: string): string {
  return text.replace(JSON_ESCAPES, (escape, hex?: string) => {
    const code = hex === undefined ? -1 : parseInt(hex, 16);
    if (code === 0x22) return '\\"';
    if (code === 0x5c) return '\\\\';
    return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : escape;
  });
}

/**
 * Text that is not JSON can quote JSON whose names are escaped (`body: {"\u0070assword":"x"}`),
 * which only JSON.parse would read: such text is read again with the escapes of printable ASCII
 * decoded, and kept so only where that masks more. What the first reading masked stays masked.
 */
export const jsonEscapes: Entry = {
  name: 'JSON escapes in text',
  finds:
    "in text that is not JSON, what JSON's escapes hide (`\\u0070assword=`): such text is read again with the escapes of printable ASCII decoded (a quote and a backslash as JSON's own `\\\"` and `\\\\`), and kept so where that masks more",
  hints: () => [String.raw`\\\\`],
  examples: [
    ['body: {"\\u0070assword":"planted"}', `body: {"password":"${MASK}"}`],
    ['pass\\u0077ord=planted&x=1', `password=${MASK}&x=1`],
    ['?a=1\\u0026q\\u002dak=planted', `?a=1&q-ak=${MASK}`],
    ['see \\u0026 sign=planted then caf\\u00e9', `see \\u0026 sign=${MASK} then caf\\u00e9`],
  ],
  sources: [SOURCES.rfc8259Strings],
};
