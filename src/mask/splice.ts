/*
 * Text rebuilt from what is kept of it and what is put in place of the rest, in one pass forward.
 * A string grown by `+=` for each masked value is a tree with a node for each part, and a few
 * megabytes of short values (token=x token=x …) made more nodes than a 128 MB instance's heap
 * holds; the parts are joined into flat text a few thousand at a time instead.
 */

export const PARTS_PER_JOIN = 4_096;

export interface Splice {
  /** Puts `replacement` in place of the text from `start` to `end`, both at or after where the last ended. */
  replace(start: number, end: number, replacement: string): void;
  /** The text with every replacement made; the text itself when none was. */
  done(): string;
}

export function splice(text: string): Splice {
  let joined: string[] | undefined;
  let parts: string[] = [];
  let kept = 0;
  return {
    replace(start, end, replacement) {
      parts.push(text.slice(kept, start), replacement);
      kept = end;
      if (parts.length >= PARTS_PER_JOIN) {
        (joined ??= []).push(parts.join(''));
        parts = [];
      }
    },
    done() {
      if (joined === undefined && parts.length === 0) return text;
      parts.push(text.slice(kept));
      return joined === undefined ? parts.join('') : [...joined, parts.join('')].join('');
    },
  };
}
