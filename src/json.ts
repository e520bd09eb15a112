/*
 * JSON.stringify walks by recursion, so JSON nested a few thousand levels deep, which SCF parses
 * and delivers, makes it throw RangeError, the same way on every retry. Such a payload is still
 * kept: serialized here with a stack of its own, to the same text JSON.stringify would give.
 */

/** JSON text of a JSON value (undefined reads as null: nothing arrived), at any depth. */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return deepJson(value);
  }
}

const hasJsonForm = (v: unknown) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

/** The text is written in pieces, joined every so many, so that no list holds a piece per value. */
const PIECES_PER_CHUNK = 512;

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/**
 * The text as V8 holds Latin-1 text at its smallest, a byte a character. JSON.stringify on Node 18
 * can give two bytes a character to ASCII JSON (as for events whose Status came from JSON.parse),
 * which doubles every copy made of it after. Buffer's Latin-1 decoding gives one, and keeps a text
 * of more than about a megabyte outside V8's heap (Node makes it an external string).
 */
export const oneByte = (text: string): string => (BEYOND_LATIN1.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1'));

/**
 * Text kept as bytes outside V8's heap as it is written, Latin-1 while every character is and
 * UTF-16 from the first that is not, and made a string once: joined in the heap, megabytes of
 * JSON would be there twice, with the value they are written from.
 */
class TextBuffer {
  private chunks: Buffer[] = [];
  private encoding: 'latin1' | 'utf16le' = 'latin1';

  add(text: string): void {
    if (this.encoding === 'latin1' && BEYOND_LATIN1.test(text)) {
      this.chunks = this.chunks.map((chunk) => Buffer.from(chunk.toString('latin1'), 'utf16le'));
      this.encoding = 'utf16le';
    }
    this.chunks.push(Buffer.from(text, this.encoding));
  }

  text(): string {
    return Buffer.concat(this.chunks).toString(this.encoding);
  }
}

/**
 * The text of a container with two entries or more, to be written on: its keys (none for an
 * array) and the index of the next entry.
 */
interface Open {
  container: object;
  keys: string[] | undefined;
  next: number;
}

/**
 * Serialized with a stack of its own. Memory beyond the text stays small against what the value
 * itself holds, as deep as it goes: a container of one entry (the whole of a deep chain, [[[…]]]
 * or {"a":{"a":…}}) leaves only its closing bracket, a byte; one of more leaves an `Open`.
 */
function deepJson(value: unknown): string {
  const text = new TextBuffer();
  let pieces: string[] = [];
  const write = (piece: string) => {
    pieces.push(piece);
    if (pieces.length === PIECES_PER_CHUNK) {
      text.add(pieces.join(''));
      pieces = [];
    }
  };
  // What closes each container around the value being written: "]" or "}", or the code of
  // OPEN once that container's next entry is in `open`.
  let closers = new Uint8Array(1_024);
  let depth = 0;
  const open: Open[] = [];
  const OPEN = 0;

  /** Writes a value's start; a container's entries are written on from the loop below. */
  const begin = (v: unknown) => {
    if (!isContainer(v)) {
      write(JSON.stringify(v) ?? 'null');
      return false;
    }
    const isArray = Array.isArray(v);
    let count = isArray ? v.length : 0;
    let first: string | undefined;
    if (!isArray) {
      // Counted with for...in up to two, which allocates nothing: a chain of objects of one key
      // each, {"a":{"a":…}}, is written with no list of its keys.
      for (const k in v) {
        if (!Object.hasOwn(v, k) || !hasJsonForm((v as Record<string, unknown>)[k])) continue;
        if (count++ > 0) break;
        first = k;
      }
    }
    if (depth === closers.length) {
      const grown = new Uint8Array(closers.length * 2);
      grown.set(closers);
      closers = grown;
    }
    write(isArray ? '[' : '{');
    if (count > 1) {
      const keys = isArray ? undefined : Object.keys(v).filter((k) => hasJsonForm((v as Record<string, unknown>)[k]));
      open.push({ container: v, keys, next: 0 });
      closers[depth++] = OPEN;
      entry(v, keys, 0);
    } else {
      closers[depth++] = (isArray ? ']' : '}').charCodeAt(0);
      if (count === 1 && isArray) entry(v, undefined, 0);
      if (first !== undefined) {
        write(`${JSON.stringify(first)}:`);
        pending = (v as Record<string, unknown>)[first];
      }
    }
    return count > 0;
  };
  let pending: unknown;
  /** Writes entry `i`'s key, and leaves its value for the loop. */
  const entry = (container: object, keys: string[] | undefined, i: number) => {
    if (i > 0) write(',');
    if (keys) {
      write(`${JSON.stringify(keys[i])}:`);
      pending = (container as Record<string, unknown>)[keys[i]!];
    } else {
      const item = (container as unknown[])[i];
      // As JSON.stringify does: what has no JSON form is null in an array.
      pending = hasJsonForm(item) ? item : null;
    }
  };

  if (begin(value)) {
    for (;;) {
      // Down: the pending value, and its first entry's, until a value without entries.
      while (begin(pending));
      // Up: close what has no entry left, until a container that has one.
      let resumed = false;
      while (depth > 0 && !resumed) {
        const closer = closers[--depth]!;
        if (closer !== OPEN) {
          write(String.fromCharCode(closer));
          continue;
        }
        const top = open[open.length - 1]!;
        const count = top.keys ? top.keys.length : (top.container as unknown[]).length;
        if (++top.next < count) {
          depth++;
          entry(top.container, top.keys, top.next);
          resumed = true;
        } else {
          open.pop();
          write(top.keys ? '}' : ']');
        }
      }
      if (!resumed) break;
    }
  }
  text.add(pieces.join(''));
  return text.text();
}

/**
 * A copy of a record without its null fields, at any depth of objects (arrays keep every item).
 * The normalized record is stored this way: a field left out reads as null in every engine, and
 * the nulls were two fifths of its bytes, which the function serializes and hashes at every event.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== null) copy[key] = typeof v === 'object' ? withoutNulls(v) : v;
  }
  return copy as T;
}
