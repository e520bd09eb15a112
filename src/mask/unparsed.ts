import { scanJson, type JsonVisitor } from '../json-scan';
import { hintScanner, reading, type Reading } from './hints';
import { opensJson } from './json-text';
import { isSecretName } from './names';
import { MASK, type Masking } from './rule';
import { Pieces } from './splice';
import { createMasking, maskTextOnlyRead } from './text';

/*
 * JSON text too large to parse safely (src/oversize.ts, and maskTextOnly's, below), masked as
 * json-scan.ts reads it, never parsed into values: each string that holds a hint is masked by the
 * passes over text alone (or, for maskTextOnly, as JSON again when it is JSON text), and
 * the value of each key of the names table is replaced, whatever it is, as the walk replaces it.
 * The rest of the text is kept as it is, so memory stays linear in its length, however deep or
 * wide the JSON. Each string is masked alone, not the whole text at once: read across strings,
 * the rules would take a header's value on past its closing quote into the next key, and leave
 * text that is no longer JSON.
 */

/** What a secret key's value is kept as: nothing (empty, null) or a value masked already. */
const KEPT_VALUES = new Set(['""', 'null', `"${MASK}"`]);

/** Text is written in pieces of at most about this many characters, past the text kept as it is. */
const PIECE = 64 * 1024;

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** JSON.stringify(text), written in pieces: a long text is never copied whole once more. */
function writeQuoted(text: string, write: (piece: string) => void): void {
  if (text.length <= PIECE) {
    write(JSON.stringify(text));
    return;
  }
  write('"');
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + PIECE, text.length);
    // Not between the halves of a surrogate pair, which JSON.stringify would write as two escapes.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    write(JSON.stringify(text.slice(i, end)).slice(1, -1));
    i = end;
  }
  write('"');
}

/**
 * A visitor for scanJson that writes the masked text to `write`, in pieces and in order; `finish`
 * writes what follows the last token. `masking` reads no JSON inside strings
 * (createMasking(false)): what a string holds is read as text, or, when `readJson`, a string that
 * is JSON text is masked as JSON text again, by another scan, so that it stays JSON. `canonical`:
 * the text is JSON.stringify's, which writes each string as the hints read it.
 */
export function unparsedMasking(
  json: string,
  canonical: boolean,
  masking: Masking,
  write: (piece: string) => void,
  readJson = false,
): JsonVisitor & { finish(): void; maskedAt(start: number): string | undefined } {
  const read = reading(json);
  const hints = hintScanner(read);
  // Where the next hint starts, and the next backslash: both only move forward.
  let hint = -1;
  let backslash = -1;
  // The text up to here is written.
  let kept = 0;
  // The depth of a secret key whose value is being read, and where that value starts.
  let secretDepth = -1;
  let secretStart = 0;
  // The value masked last (a string, or a secret key's value), and where its token starts.
  let last: { start: number; masked: string } | undefined;

  /** Whether a hint starts in [start, end): one found before `start` lies outside any string. */
  const hinted = (start: number, end: number) => {
    if (hint < start) {
      hints.lastIndex = start;
      hint = hints.exec(read.text)?.index ?? json.length;
    }
    return hint < end;
  };
  /** Writes the text up to `start`, then what replaces [start, end). */
  const replace = (start: number, end: number, replacement: () => void) => {
    write(json.slice(kept, start));
    replacement();
    kept = end;
  };
  /** Whether the string token holds an escape. */
  const escaped = (start: number, end: number) => {
    if (backslash < start) {
      backslash = json.indexOf('\\', start);
      if (backslash === -1) backslash = json.length;
    }
    return backslash < end;
  };
  /**
   * The string token masked, replaced when masking changed it; what it read, when it was read. A
   * token is the string's JSON text as the hints read it, and its reading lies in the text's (a
   * slice, not a copy), unless it has escapes that JSON.stringify would write otherwise
   * (\u0070assword, in a text payload): such a token is read anew.
   */
  const maskString = (start: number, end: number): string | undefined => {
    const hasEscapes = escaped(start, end);
    if (!canonical && hasEscapes) {
      const text = JSON.parse(json.slice(start, end)) as string;
      const masked = maskInString(text, undefined);
      if (masked !== text) changed(start, end, masked);
      return text;
    }
    if (!hinted(start, end)) return undefined;
    const text = hasEscapes ? (JSON.parse(json.slice(start, end)) as string) : json.slice(start + 1, end - 1);
    const masked = maskInString(text, { text: read.text.slice(start, end), anyCase: read.anyCase });
    if (masked !== text) changed(start, end, masked);
    return text;
  };
  /** A string's text masked: as JSON text when it is and `readJson`, else as text, by its reading when given. */
  const maskInString = (text: string, textRead: Reading | undefined): string => {
    const asJson = readJson && opensJson(text) ? maskJsonText(text, masking) : undefined;
    return asJson ?? (textRead ? maskTextOnlyRead(text, textRead, masking) : masking.text(text));
  };
  const changed = (start: number, end: number, masked: string) => {
    replace(start, end, () => writeQuoted(masked, write));
    last = { start, masked };
  };
  const endSecret = (start: number, end: number) => {
    if (!KEPT_VALUES.has(json.slice(start, end))) {
      replace(start, end, () => write(`"${MASK}"`));
      last = { start, masked: MASK };
    }
    secretDepth = -1;
  };

  return {
    open(at, depth) {
      if (secretDepth === depth) secretStart = at;
    },
    close(at, depth) {
      if (secretDepth === depth) endSecret(secretStart, at + 1);
    },
    key(start, end, depth) {
      if (secretDepth !== -1) return;
      const name = maskString(start, end);
      if (name !== undefined && isSecretName(name)) secretDepth = depth;
    },
    scalar(start, end, depth) {
      if (secretDepth === depth) endSecret(start, end);
      else if (secretDepth === -1 && json[start] === '"') maskString(start, end);
    },
    finish() {
      write(json.slice(kept));
    },
    /** The string, or secret key's value, whose token starts at `start`, as masked, if it was the last masked and masking changed it. */
    maskedAt: (start) => (last?.start === start ? last.masked : undefined),
  };
}

/**
 * JSON text masked as above, strings that hold JSON masked as JSON again, into one string;
 * undefined when it is not JSON. Each level of JSON inside strings is read once.
 */
function maskJsonText(json: string, masking: Masking): string | undefined {
  const out = new Pieces();
  const masker = unparsedMasking(json, false, masking, (piece) => out.add(piece), true);
  if (!scanJson(json, masker)) return undefined;
  masker.finish();
  return out.text();
}

/**
 * Text too large to parse, masked without building its values, so that time stays linear in its
 * length for each level of JSON inside strings: JSON text by a scan, each string in it by the
 * passes over text, and as JSON text again when it holds JSON; text that is not JSON by the
 * passes over text. What was valid JSON stays valid JSON.
 */
export function maskTextOnly(text: string): string {
  const masking = createMasking(false);
  return (opensJson(text) ? maskJsonText(text, masking) : undefined) ?? masking.text(text);
}
