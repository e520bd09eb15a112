import { holdsHint, reading } from './hints';
import { isSecretName } from './names';
import { MASK } from './rule';
import { splice } from './splice';

/*
 * JSON text masked as it is read, token by token, for text too large to parse into values. The
 * passes over text, run on the whole of it, would read JSON quoted in its strings as prose (a
 * SessionContext's {\"Token\":\"x\"}), and a value they mask could take the quote that closes
 * the string it stands in, leaving text that is no longer JSON. Read by tokens, each string is
 * masked as text on its own and written back as a JSON string, and the value of a key of the names
 * table is replaced whole, as the walk of a parsed payload does: valid JSON stays valid. Numbers,
 * literals, whitespace, escapes and key order are kept as written. Nothing is built but the masked
 * text, so memory stays linear in its length whatever its depth.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isStructural = (c: number) => c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x2c || c === COLON;
const isLiteralChar = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45;
const LITERAL = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;

/**
 * Where the string that opens at `start` ends (after its closing quote), or -1 when it is no JSON
 * string: it never ends, or holds a control character or an escape JSON has not.
 */
function stringEnd(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(json)) return -1;
      i = ESCAPE.lastIndex - 1;
    }
  }
  return -1;
}

/** Where the JSON value that starts at `start` ends, or -1 when it never does. */
function valueEnd(json: string, start: number): number {
  const first = json.charCodeAt(start);
  if (first === QUOTE) return stringEnd(json, start);
  let depth = 0;
  let i = start;
  for (; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(json, i) - 1;
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === 0x2c || isSpace(c))) return i;
  }
  return depth === 0 ? i : -1;
}

/**
 * JSON text with every string masked by `maskString` and the value of each key of the names table
 * replaced (an empty one kept empty); undefined when the text is not JSON. A string without a hint
 * in its JSON text is kept as written, undecoded.
 */
export function maskJsonTokens(json: string, maskString: (text: string) => string): string | undefined {
  const out = splice(json);
  for (let i = 0; i < json.length; ) {
    const c = json.charCodeAt(i);
    if (isSpace(c) || isStructural(c)) {
      i++;
      continue;
    }
    if (c !== QUOTE) {
      let end = i;
      while (end < json.length && isLiteralChar(json.charCodeAt(end))) end++;
      if (!LITERAL.test(json.slice(i, end))) return undefined;
      i = end;
      continue;
    }
    const end = stringEnd(json, i);
    if (end === -1) return undefined;
    let next = end;
    while (isSpace(json.charCodeAt(next))) next++;
    const isKey = json.charCodeAt(next) === COLON;
    let text: string | undefined;
    // Hints are read in JSON text as JSON.stringify writes it, which escapes no letter and no "/".
    let token = json.slice(i, end);
    if (token.includes('\\')) {
      text = JSON.parse(token) as string;
      token = JSON.stringify(text);
    }
    // A key is read with its colon: a whole name (Sign) hints only before a separator.
    if (!holdsHint(reading(isKey ? `${token}:` : token))) {
      i = end;
      continue;
    }
    text ??= JSON.parse(token) as string;
    const masked = maskString(text);
    if (masked !== text) out.replace(i, end, JSON.stringify(masked));
    i = end;
    if (isKey && isSecretName(text)) {
      let start = next + 1;
      while (isSpace(json.charCodeAt(start))) start++;
      const valueStop = valueEnd(json, start);
      if (valueStop === -1 || valueStop === start) return undefined;
      const value = json.slice(start, valueStop);
      if (value !== '""' && value !== 'null' && value !== `"${MASK}"`) out.replace(start, valueStop, `"${MASK}"`);
      i = valueStop;
    }
  }
  return out.done();
}
