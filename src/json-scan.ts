/*
 * JSON text read token by token, never parsed into values: what reads a payload too large to
 * parse safely (src/oversize.ts). Time is linear in the text's length, and memory a byte for each
 * level of nesting, however deep or wide the JSON; the text is checked as strictly as JSON.parse
 * checks it.
 */

/** What the scan reports, each with the position it spans and `depth`, the containers around it. */
export interface JsonVisitor {
  /** An object's or array's opening bracket. */
  open?(at: number, depth: number): void;
  /** A container's closing bracket: `depth` is the container's own, as at its opening. */
  close?(at: number, depth: number): void;
  /** A key, from its opening quote to past its closing one. */
  key?(start: number, end: number, depth: number): void;
  /** A string, number, true, false or null that is not a key. */
  scalar?(start: number, end: number, depth: number): void;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** What ends a run of plain characters inside a string. */
const STRING_SPECIAL = /["\\\u0000-\u001f]/g;
const ESCAPED = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /[0-9a-fA-F]{4}/y;
const LITERALS = ['true', 'false', 'null'];

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Past the whitespace at `i`. */
function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Past the string that opens at `start`, or -1 when it is not valid JSON. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    STRING_SPECIAL.lastIndex = i;
    const special = STRING_SPECIAL.exec(text);
    if (special === null) return -1;
    const c = text[special.index];
    if (c === '"') return special.index + 1;
    if (c !== '\\') return -1;
    const escaped = text[special.index + 1];
    if (escaped === 'u') {
      HEX4.lastIndex = special.index + 2;
      if (!HEX4.test(text)) return -1;
      i = special.index + 6;
    } else if (escaped !== undefined && ESCAPED.has(escaped)) {
      i = special.index + 2;
    } else {
      return -1;
    }
  }
}

/** Past the number or literal at `start`, or -1. */
function numberOrLiteralEnd(text: string, start: number): number {
  NUMBER.lastIndex = start;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  const literal = LITERALS.find((l) => text.startsWith(l, start));
  return literal ? start + literal.length : -1;
}

const ARRAY = 0;
const OBJECT = 1;

/** Reads the text once, reporting its tokens in order; whether it is valid JSON (reported up to where it is not). */
export function scanJson(text: string, visitor: JsonVisitor): boolean {
  // The kind of each container open around the position read.
  let kinds = new Uint8Array(64);
  let depth = 0;
  let i = skipSpace(text, 0);
  // Reading a value, else what follows one.
  let value = true;
  for (;;) {
    if (value) {
      const c = text[i];
      if (c === '{' || c === '[') {
        visitor.open?.(i, depth);
        if (depth === kinds.length) {
          const grown = new Uint8Array(kinds.length * 2);
          grown.set(kinds);
          kinds = grown;
        }
        const kind = c === '{' ? OBJECT : ARRAY;
        kinds[depth++] = kind;
        i = skipSpace(text, i + 1);
        if (text[i] === (kind === OBJECT ? '}' : ']')) {
          // Not inside the call: an optional call evaluates no argument when there is no callback.
          depth--;
          visitor.close?.(i, depth);
          i++;
          value = false;
        } else if (kind === OBJECT) {
          i = readKey(text, i, depth, visitor);
          if (i === -1) return false;
        }
        continue;
      }
      const end = c === '"' ? stringEnd(text, i) : numberOrLiteralEnd(text, i);
      if (end === -1) return false;
      visitor.scalar?.(i, end, depth);
      i = end;
      value = false;
      continue;
    }
    i = skipSpace(text, i);
    if (depth === 0) return i === text.length;
    const kind = kinds[depth - 1];
    const c = text[i];
    if (c === ',') {
      i = skipSpace(text, i + 1);
      if (kind === OBJECT) {
        i = readKey(text, i, depth, visitor);
        if (i === -1) return false;
      }
      value = true;
    } else if (c === (kind === OBJECT ? '}' : ']')) {
      depth--;
      visitor.close?.(i, depth);
      i++;
    } else {
      return false;
    }
  }
}

/** Reads a key and its colon at `i`: where its value starts, or -1. */
function readKey(text: string, i: number, depth: number, visitor: JsonVisitor): number {
  if (text[i] !== '"') return -1;
  const end = stringEnd(text, i);
  if (end === -1) return -1;
  visitor.key?.(i, end, depth);
  const colon = skipSpace(text, end);
  return text[colon] === ':' ? skipSpace(text, colon + 1) : -1;
}

/** One visitor that reports each token to both. */
export const bothVisitors = (a: JsonVisitor, b: JsonVisitor): JsonVisitor => ({
  open(at, depth) {
    a.open?.(at, depth);
    b.open?.(at, depth);
  },
  close(at, depth) {
    a.close?.(at, depth);
    b.close?.(at, depth);
  },
  key(start, end, depth) {
    a.key?.(start, end, depth);
    b.key?.(start, end, depth);
  },
  scalar(start, end, depth) {
    a.scalar?.(start, end, depth);
    b.scalar?.(start, end, depth);
  },
});
