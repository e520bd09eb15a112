/*
 * Text rebuilt from what is kept of it and what is put in place of the rest, in one pass forward.
 * A string grown by `+=` for each masked value is a tree with a node for each part, and a few
 * megabytes of short values (token=x token=x …) made more nodes than a 128 MB instance's heap
 * holds; the parts are joined into flat text a few thousand at a time instead.
 */

export const PARTS_PER_JOIN = 4_096;

/** Text written in pieces, in order, and joined as above: `add` each, then `text()`. */
export class Pieces {
  private parts: string[] = [];
  private joined: string[] | undefined;

  add(piece: string): void {
    this.parts.push(piece);
    if (this.parts.length >= PARTS_PER_JOIN) {
      (this.joined ??= []).push(this.parts.join(''));
      this.parts = [];
    }
  }

  text(): string {
    const last = this.parts.join('');
    return this.joined === undefined ? last : [...this.joined, last].join('');
  }
}

/** Text with ranges of it replaced, in order: `splice(text)`. */
export class Splice {
  // Made at the first replacement: most texts read have nothing to replace.
  private out: Pieces | undefined;
  private kept = 0;

  constructor(private readonly text: string) {}

  /** Puts `replacement` in place of the text from `start` to `end`, both at or after where the last ended. */
  replace(start: number, end: number, replacement: string): void {
    this.out ??= new Pieces();
    this.out.add(this.text.slice(this.kept, start));
    this.out.add(replacement);
    this.kept = end;
  }

  /** The text with every replacement made; the text itself when none was. */
  done(): string {
    if (this.out === undefined) return this.text;
    this.out.add(this.text.slice(this.kept));
    return this.out.text();
  }
}

export const splice = (text: string): Splice => new Splice(text);

/**
 * `text.replace(pattern, …)` for a global pattern, each match given to `replacement` as exec
 * finds it, the parts joined as splice joins them: String.replace holds every match and what
 * takes its place until its end, and megabytes of short matches (`<Token>x</Token>` …) were more
 * than the shipped heap holds. `replacement` may mask text with `pattern` again (hex inside hex).
 */
export function replaceMatches(text: string, pattern: RegExp, replacement: (match: RegExpExecArray) => string): string {
  pattern.lastIndex = 0;
  let m = pattern.exec(text);
  if (m === null) return text;
  const out = splice(text);
  for (; m; m = pattern.exec(text)) {
    const end = m.index + m[0].length;
    const made = replacement(m);
    if (made !== m[0]) out.replace(m.index, end, made);
    pattern.lastIndex = end === m.index ? end + 1 : end;
  }
  return out.done();
}
