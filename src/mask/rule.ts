/*
 * What an entry of the masking registry is (src/mask/registry.ts). Credentials reach MPS events in
 * the forms the systems around it emit: keys of S3 inputs, signed URLs, userinfo, HTTP headers,
 * the errors S3 and STS answer with. Each rule finds one such form, cites where it is emitted,
 * shows what it keeps, and names the hint without which it is never run, so that the one scan
 * that decides whether text is read at all cannot disagree with the rules.
 */

/** What a masked value is replaced by. */
export const MASK = '******';

/** A public page that shows the form is emitted: no rule without one. */
export interface Source {
  title: string;
  url: string;
}

/**
 * How hints are written. They are read in the JSON text of what is masked (JSON.stringify of a
 * string, or of a payload) lower-cased: JSON text writes a quote, a backslash and a control
 * character as an escape, so that one pattern serves strings and payloads.
 */
export interface HintForm {
  /** One character of the text, as JSON text writes it: itself or an escape. */
  char: string;
  /** What may stand between a name and its separator. */
  gap: string;
  /** Whitespace other than a space, as JSON text writes it (\n, \t ...). */
  space: string;
}

/** What the rules of one masking share: the masking itself, passed in, and what was found once. */
export interface Masking {
  /** Masks text by every rule (the rule for bytes in hex reads what they spell with it). */
  text(text: string): string;
  /** Whether a run of bytes in hex spells what the rules mask, `read` once for each run: nested hex is read once per level. */
  spellsSecret(run: string, read: () => boolean): boolean;
}

/** An entry of the registry: a form of credential, where it is emitted, and what is kept of it. */
export interface Entry {
  name: string;
  /** What it finds, in Markdown. */
  finds: string;
  /** Patterns for the lower-cased JSON text: text holding none is never read for this entry. */
  hints(form: HintForm): string[];
  /** Text as it may arrive, and as it is stored. */
  examples: [given: string, stored: string][];
  sources: Source[];
}

/** An entry that is a pass over text, one step of the pipeline. */
export interface TextRule extends Entry {
  mask(text: string, masking: Masking): string;
}
