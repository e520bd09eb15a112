/*
 * Where a value written in text ends: a quoted one at its closing quote, a bracketed one at its
 * closing bracket, a bare one at the first delimiter. Read forward from where the value starts,
 * never back: each is read once.
 */

/** Where the quoted text that opens at `start` closes (after the quote), or the text's end. */
export function quoteEnd(text: string, start: number): number {
  const quote = text[start]!;
  for (let i = text.indexOf(quote, start + 1); i !== -1; i = text.indexOf(quote, i + 1)) {
    let escapes = 0;
    while (text[i - 1 - escapes] === '\\') escapes++;
    if (escapes % 2 === 0) return i + 1;
  }
  return text.length;
}

/** What ends a bare value in ASCII: whitespace, quotes, the separators of forms and lists, tags, brackets. */
const ASCII_DELIMITER = new Uint8Array(128);
for (const c of '\t\n\v\f\r "\'&,;<>{}[]') ASCII_DELIMITER[c.charCodeAt(0)] = 1;

/** Whitespace beyond ASCII, as JavaScript's \s reads it. */
const isWideSpace = (c: number) =>
  c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** Where a bare value read from `from` ends: at the first delimiter, or an encoded "&" (%26, \u0026). */
export function bareEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 ? ASCII_DELIMITER[c] === 1 : isWideSpace(c)) return i;
    if (c === 0x25 && text.startsWith('26', i + 1)) return i;
    if (c === 0x5c && text.startsWith('u0026', i + 1)) return i;
  }
  return text.length;
}

/** The scheme words a bare value may start with, kept: `token: Bearer x` masks x. */
export const SCHEME = /^(?:bearer|basic|digest|token)\s+/i;

/** Where the value that starts at `start` ends: its closing quote or bracket, or the first delimiter. */
export function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"' || first === "'") return quoteEnd(text, start);
  let run = 0;
  while (text[start + run] === '\\') run++;
  if (run > 0 && text[start + run] === '"') {
    // Quoted with escaped quotes, \"value\": it closes at a quote escaped the same way, no deeper.
    const closing = `${'\\'.repeat(run)}"`;
    for (let i = text.indexOf(closing, start + run + 1); i !== -1; i = text.indexOf(closing, i + 1)) {
      if (text[i - 1] !== '\\') return i + closing.length;
    }
    return text.length;
  }
  if (first === '[' || first === '{') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = quoteEnd(text, i) - 1;
      else if (c === '[' || c === '{') depth++;
      // To the next delimiter: once masked, the value reads as a bare one, which would take what
      // stands against the bracket on a second reading.
      else if ((c === ']' || c === '}') && --depth === 0) return bareEnd(text, i + 1);
    }
    return text.length;
  }
  const scheme = SCHEME.exec(text.slice(start, start + 16))?.[0].length ?? 0;
  return bareEnd(text, start + scheme);
}

/** Whether the value that starts at `start` is bare: not quoted (plainly or escaped) and not bracketed. */
export function isBare(text: string, start: number): boolean {
  const first = text[start];
  if (first === '"' || first === "'" || first === '[' || first === '{') return false;
  let run = 0;
  while (text[start + run] === '\\') run++;
  return !(run > 0 && text[start + run] === '"');
}
