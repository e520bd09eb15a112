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
const PIECES_PER_CHUNK = 4_096;

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
  const chunks: string[] = [];
  let pieces: string[] = [];
  const write = (piece: string) => {
    pieces.push(piece);
    if (pieces.length === PIECES_PER_CHUNK) {
      chunks.push(pieces.join(''));
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
    const keys = Array.isArray(v) ? undefined : Object.keys(v).filter((k) => hasJsonForm((v as Record<string, unknown>)[k]));
    const count = keys ? keys.length : (v as unknown[]).length;
    write(keys ? '{' : '[');
    if (depth === closers.length) {
      const grown = new Uint8Array(closers.length * 2);
      grown.set(closers);
      closers = grown;
    }
    if (count > 1) {
      open.push({ container: v, keys, next: 0 });
      closers[depth++] = OPEN;
    } else {
      closers[depth++] = (keys ? '}' : ']').charCodeAt(0);
    }
    if (count > 0) entry(v, keys, 0);
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
  chunks.push(pieces.join(''));
  return chunks.join('');
}
