import { ENTRIES } from './registry';
import type { Entry, HintForm } from './rule';

/*
 * The hints: what any text must contain for an entry of the registry to change it, written by the
 * entry itself. Text is read for hints in its JSON text lower-cased, which holds each hint the
 * text does, escaped or not (JSON.stringify of a string, or of a whole payload): one scan tells
 * whether text is read at all, and where in a payload. A pass runs only on text that holds its own
 * hint, so the scan can never pass over text that a rule would change.
 */

const JSON_ESCAPE = String.raw`\\u[0-9a-f]{4}|\\.`;
/** Hints as JSON text writes what they match: a quote, a backslash or a control character as an escape. */
const JSON_TEXT: HintForm = {
  char: `(?:${JSON_ESCAPE}|.)`,
  gap: String.raw`(?:${JSON_ESCAPE}|["'\s])*`,
  space: String.raw`\\(?:[tnrf]|u000b)`,
};

/** A pattern's first token, when it is one character or an escaped one. */
const LEAD = /^(?:\\.|[a-z0-9%\- ])(?![?*+{])/;

/**
 * One pattern of all of them, those that begin alike grouped: irregexp tries the alternatives at
 * each position in turn, and most positions start none.
 */
function alternation(patterns: string[]): string {
  const byLead = new Map<string, string[]>();
  for (const pattern of new Set(patterns)) {
    const lead = LEAD.exec(pattern)?.[0] ?? pattern;
    byLead.set(lead, [...(byLead.get(lead) ?? []), pattern.slice(lead.length)]);
  }
  return Array.from(byLead, ([lead, rests]) => (rests.length === 1 ? `${lead}${rests[0]}` : `${lead}(?:${rests.join('|')})`)).join('|');
}

/** A pattern read in lower-cased text, and the same for text that lower-casing would lengthen. */
type Patterns = [lower: RegExp, anyCase: RegExp];
const patterns = (source: string): Patterns => [new RegExp(source), new RegExp(source, 'i')];

const ALL = alternation(ENTRIES.flatMap((entry) => entry.hints(JSON_TEXT)));
const ANY_HINT = patterns(ALL);
/** Each entry's own hints; entries that share their hints (the names') share one pattern, read once per text. */
const BY_SOURCE = new Map<string, Patterns>();
const BY_ENTRY = new Map<Entry, Patterns>();
for (const entry of ENTRIES) {
  const hints = entry.hints(JSON_TEXT);
  if (hints.length === 0) continue;
  const source = alternation(hints);
  if (!BY_SOURCE.has(source)) BY_SOURCE.set(source, patterns(source));
  BY_ENTRY.set(entry, BY_SOURCE.get(source)!);
}

/**
 * JSON text as the hints read it: lower-cased, which is quicker to read, and for a new instance to
 * compile, than a pattern that ignores case; as it is when lower-casing changed its length
 * (U+0130, İ, is two characters in lower case), or when it is megabytes long. Lower-casing only
 * adds hints (U+212A, the Kelvin sign, becomes "k"), which the rules then find to be none.
 */
export interface Reading {
  text: string;
  anyCase: boolean;
  /** What each entry's pattern found in it, once read. */
  found?: Map<Patterns, boolean>;
}

/**
 * Text longer than this is read as it is, with the patterns that ignore case: a lower-cased copy
 * of a few megabytes (what a synchronous Invoke can send) is one more than the heap can hold.
 */
const READ_AS_IT_IS = 1 << 20;

export function reading(json: string): Reading {
  if (json.length > READ_AS_IT_IS) return { text: json, anyCase: true };
  const lower = json.toLowerCase();
  return lower.length === json.length ? { text: lower, anyCase: false } : { text: json, anyCase: true };
}

const pick = ([lower, anyCase]: Patterns, read: Reading) => (read.anyCase ? anyCase : lower);

/** Whether the text holds a hint of any entry. */
export const holdsHint = (read: Reading) => pick(ANY_HINT, read).test(read.text);

/** Whether the text holds the entry's own hint. */
export function holdsHintOf(entry: Entry, read: Reading): boolean {
  const own = BY_ENTRY.get(entry);
  if (own === undefined) return false;
  read.found ??= new Map();
  let found = read.found.get(own);
  if (found === undefined) {
    found = pick(own, read).test(read.text);
    read.found.set(own, found);
  }
  return found;
}

const SCANNERS: Patterns = [new RegExp(ALL, 'g'), new RegExp(ALL, 'gi')];

/** The pattern that finds every hint of the text, from its start. */
export function hintScanner(read: Reading): RegExp {
  const scanner = pick(SCANNERS, read);
  scanner.lastIndex = 0;
  return scanner;
}
