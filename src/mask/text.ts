import { toJson } from '../json';
import { decodeAsciiEscapes, jsonEscapes } from './escapes';
import { holdsHint, holdsHintOf, reading, type Reading } from './hints';
import { jsonInside, repeatsKeys } from './json-text';
import { PIPELINE } from './registry';
import type { Masking } from './rule';
import { maskWalk } from './walk';

/**
 * The passes of the pipeline, in their order, each on the text as the passes before it left it,
 * and only where the text holds its hint, as it came or as the passes before left it: a pass can
 * make text another's to read (a masked value takes the space that ended userinfo), never text
 * without the hints the scan looks for.
 */
function runPipeline(text: string, read: Reading, masking: Masking): string {
  let masked = text;
  let current: Reading | undefined = read;
  for (const rule of PIPELINE) {
    if (!holdsHintOf(rule, read) && !holdsHintOf(rule, (current ??= reading(JSON.stringify(masked))))) continue;
    const next = rule.mask(masked, masking);
    if (next !== masked) {
      masked = next;
      current = undefined;
    }
  }
  return masked;
}

/** Text masked by the passes over text: then, if it has escapes, again with them decoded (escapes.ts). */
function maskPlainText(text: string, read: Reading, masking: Masking): string {
  const masked = runPipeline(text, read, masking);
  if (!holdsHintOf(jsonEscapes, read) || !masked.includes('\\u')) return masked;
  const decoded = decodeAsciiEscapes(masked);
  const decodedRead = reading(JSON.stringify(decoded));
  const again = holdsHint(decodedRead) ? runPipeline(decoded, decodedRead, masking) : decoded;
  return again === decoded ? masked : again;
}

/** A string with every credential it carries masked; JSON inside it masked as JSON, when `readJson`. */
function maskString(text: string, masking: Masking, readJson: boolean): string {
  const read = reading(JSON.stringify(text));
  return holdsHint(read) ? maskHinted(text, read, masking, readJson) : text;
}

/** A string that holds a hint, masked. */
function maskHinted(text: string, read: Reading, masking: Masking, readJson: boolean): string {
  const json = readJson ? jsonInside(text) : undefined;
  if (!json) return maskPlainText(text, read, masking);
  // JSON that repeats a key is written anew from what JSON.parse kept, without what it hid.
  if (repeatsKeys(text, json.value)) return toJson(maskWalk(json.value, masking.text).value);
  // Walked once: each walk masks the strings inside as text again, so a second walk at every
  // level of JSON nested in strings would double the work with each level.
  const walked = maskWalk(json.value, masking.text);
  if (!walked.changed) return text;
  const asJson = toJson(walked.value);
  // The text rules keep the JSON's own form (its numbers, key order, escapes) when what they give
  // reads as what the JSON rules give; where they leave something the JSON rules mask (an escaped
  // name, say), or make two keys one, the masked JSON is written anew.
  const byText = maskPlainText(text, read, masking);
  const check = jsonInside(byText);
  return check && !repeatsKeys(byText, check.value) && toJson(check.value) === asJson ? byText : asJson;
}

/**
 * Short texts masked before, and as they were masked. Keys and short values repeat within a
 * payload and between an instance's events (Status, ErrCode, SUCCESS, the words of a transcript):
 * a handler keeps one for all its events, so that each is masked once. Short ones only, and only
 * so many, so that hostile text cannot grow it.
 */
export type MaskedTexts = Map<string, string>;
const SHORT = 64;
const MOST_KEPT = 4_000;

/**
 * One masking: the recursion the rules need (a run of hex bytes is read as text, JSON inside a
 * string is walked) and what it learns while it lasts, short texts in `short`.
 */
export function createMasking(readJson = true, short: MaskedTexts = new Map()): Masking {
  // Made when first needed: most payloads hold no bytes in hex.
  let spelled: Map<string, boolean> | undefined;
  const masking: Masking = {
    spellsSecret(run, read) {
      let secret = spelled?.get(run);
      if (secret === undefined) {
        secret = read();
        (spelled ??= new Map()).set(run, secret);
      }
      return secret;
    },
    text(text) {
      if (text.length > SHORT) return maskString(text, masking, readJson);
      let kept = short.get(text);
      if (kept === undefined) {
        kept = maskString(text, masking, readJson);
        if (short.size < MOST_KEPT) short.set(text, kept);
      }
      return kept;
    },
  };
  return masking;
}

/** A string masked alone; a masking is made only for one that holds a hint (most hold none). */
function maskAlone(text: string, readJson: boolean): string {
  const read = reading(JSON.stringify(text));
  return holdsHint(read) ? maskHinted(text, read, createMasking(readJson), readJson) : text;
}

/** A string with every credential it carries masked; JSON inside it is masked as JSON. */
export const maskText = (text: string): string => maskAlone(text, true);

/**
 * One string masked by the passes over text alone, given its reading (reading() of its JSON text),
 * which a caller that holds it already need not make again; a short one as `masking` keeps it, so
 * that the strings a payload repeats are masked once. `masking` reads no JSON inside strings
 * (createMasking(false)): mask/unparsed.ts masks each string of an oversize payload so.
 */
export function maskTextOnlyRead(text: string, read: Reading, masking: Masking): string {
  if (text.length <= SHORT) return masking.text(text);
  return holdsHint(read) ? maskHinted(text, read, masking, false) : text;
}
