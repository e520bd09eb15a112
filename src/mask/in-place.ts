import { hintScanner, reading } from './hints';
import { isSecretName } from './names';
import { MASK, type Masking } from './rule';
import { quoteEnd, valueEnd } from './values';
import { put } from './walk';

type Container = Record<string, unknown> | unknown[];

/**
 * Where the string of JSON.stringify's text that holds position `at` opens: the nearest quote
 * before it that no backslash escapes (a string writes its own quotes as \", and one opens
 * after "{", "[", "," or ":"). -1 when there is none at `from` or after.
 */
function stringStart(json: string, at: number, from: number): number {
  let i = json.lastIndexOf('"', at - 1);
  while (i >= from && json[i - 1] === '\\') i = json.lastIndexOf('"', i - 1);
  return i >= from ? i : -1;
}

/**
 * The JSON text masked in place, when every hint in it lies in a key, as MPS's Sign puts one in
 * every real event: the value of each secret-named key is replaced, and the names of those
 * keys listed. Undefined when a hint lies in a value, or a key is itself masked: the payload
 * must be walked.
 * Read in one pass, hints and strings together: a hint starts with a letter, "/", "%", "\", "-" or
 * a space, which JSON.stringify writes outside strings only in true, false, null and numbers,
 * where no hint starts; so the string it lies in opens at the nearest unescaped quote before it,
 * and it is a key when ":" follows that string. What a replaced value held is not read for hints.
 */
export function maskKeysOnly(json: string, masking: Masking): { json: string; masked: string[] } | undefined {
  const read = reading(json);
  const hints = hintScanner(read);
  const masked: string[] = [];
  let out = '';
  let kept = 0;
  // Where the text read so far ends, between strings.
  let done = 0;
  for (let hint = hints.exec(read.text); hint; hint = hints.exec(read.text)) {
    const start = stringStart(json, hint.index, done);
    if (start === -1) return undefined;
    const end = quoteEnd(json, start);
    if (end <= hint.index || json[end] !== ':') return undefined;
    const name = JSON.parse(json.slice(start, end)) as string;
    if (masking.text(name) !== name) return undefined;
    let next = end;
    if (isSecretName(name)) {
      next = valueEnd(json, end + 1);
      // An empty value hides nothing, and keeping it shows that none was sent.
      const value = json.slice(end + 1, next);
      if (value !== '""' && value !== 'null' && value !== `"${MASK}"`) {
        out += `${json.slice(kept, end + 1)}"${MASK}"`;
        kept = next;
        masked.push(name);
      }
    }
    done = next;
    hints.lastIndex = next;
  }
  return { json: kept === 0 ? json : out + json.slice(kept), masked };
}

/**
 * Whether a value is JSON data, as JSON.parse makes it, at this level: a string, a boolean,
 * null, a finite number, or an array or a plain object. JSON.stringify writes anything else
 * in a form of its own (undefined, NaN, a Date, a class with toJSON).
 */
function isJson(value: unknown): boolean {
  if (typeof value !== 'object') return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  if (value === null) return true;
  const prototype = Object.getPrototypeOf(value);
  return Array.isArray(value) ? prototype === Array.prototype : prototype === Object.prototype || prototype === null;
}

/**
 * The payload with the value of each key in `names` masked, as maskKeysOnly masked its text:
 * only the containers on the way to such a key are copied, the rest is shared. Undefined unless
 * the payload is JSON data holding as many such values as the text did: its text is then the
 * payload's, container by container.
 */
export function maskKeysIn(payload: unknown, names: Set<string>, count: number): unknown {
  if (!isJson(payload)) return undefined;
  // Each container met, the index of the one holding it and its key there.
  const containers: Container[] = [];
  const holders: number[] = [];
  const keys: (string | number)[] = [];
  const found: [at: number, key: string][] = [];
  const hold = (value: unknown, holder: number, key: string | number) => {
    if (value === null || typeof value !== 'object') return;
    containers.push(value as Container);
    holders.push(holder);
    keys.push(key);
  };
  hold(payload, -1, 0);
  for (let at = 0; at < containers.length; at++) {
    const container = containers[at]!;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        if (!isJson(container[i])) return undefined;
        hold(container[i], at, i);
      }
    } else {
      for (const key of Object.keys(container)) {
        const value = container[key];
        if (!isJson(value)) return undefined;
        if (names.has(key) && value !== null && value !== '' && value !== MASK) found.push([at, key]);
        else hold(value, at, key);
      }
    }
  }
  if (found.length !== count) return undefined;
  const copies = new Map<number, Container>();
  for (const [at, key] of found) {
    // The containers from this one up to one already copied, or to the payload, copied downwards.
    const chain: number[] = [];
    for (let c = at; c !== -1 && !copies.has(c); c = holders[c]!) chain.push(c);
    for (const c of chain.reverse()) {
      const value = containers[c]!;
      const copy = Array.isArray(value) ? value.slice() : { ...value };
      copies.set(c, copy);
      if (holders[c] !== -1) put(copies.get(holders[c]!)!, keys[c]!, copy);
    }
    put(copies.get(at)!, key, MASK);
  }
  return copies.get(0);
}
