import { isSecretName, nameHints } from './names';
import { MASK, type Entry } from './rule';
import { SOURCES } from './sources';

type Container = Record<string, unknown> | unknown[];

/** Sets a key as an own property, even "__proto__", which JSON.parse also keeps as a plain key. */
export function put(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string | number, unknown>)[key] = value;
}

/**
 * A name for a key whose masked name another key of the object already took (https://u:pw@h/ and
 * https://******@h/ are one once masked): the name with ~2, ~3 … after it, so that no value is
 * lost. `next` keeps each name's next number, so that many such keys are named in one pass.
 */
function suffixed(copy: Record<string, unknown>, name: string, next: Map<string, number>): string {
  let n = next.get(name) ?? 2;
  while (Object.hasOwn(copy, `${name}~${n}`)) n++;
  next.set(name, n + 1);
  return `${name}~${n}`;
}

/** An object or array being walked, and its copy once something in it is masked. */
interface Frame {
  source: Container;
  /** An object's keys; none for an array. */
  keys: string[] | undefined;
  /** The entry being read. */
  at: number;
  /** The name its entry takes in the copy (a key masked, or suffixed). */
  name: string | number;
  copy: Container | undefined;
  /** The copy's next free suffix of each name that two keys took. */
  taken?: Map<string, number>;
}

/**
 * A masked copy of any JSON value, and whether masking changed anything; the input is left
 * untouched. Keys are masked as text too (a URL can be a key). Only what changes is copied: the
 * containers on the way to a masked value, each once, filled with what it held up to there and
 * what follows; the rest is shared with the input, so a walk that masks nothing copies nothing.
 * Walked with a stack of its own, one frame for each container on the way down, not by
 * recursion, so that JSON nested deeper than the call stack is masked like any other.
 * `maskString` masks each string, keys included.
 */
export function maskWalk(value: unknown, maskString: (text: string) => string): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    const kept = maskString(value);
    return { value: kept, changed: kept !== value };
  }
  if (value === null || typeof value !== 'object') return { value, changed: false };
  const frames: Frame[] = [];
  const enter = (source: Container) =>
    frames.push({ source, keys: Array.isArray(source) ? undefined : Object.keys(source), at: 0, name: 0, copy: undefined });
  /** Copies each container on the way down to the entry being read that has no copy yet: those after the last that has one. */
  const copyDown = () => {
    let f = frames.length - 1;
    while (f > 0 && frames[f - 1]!.copy === undefined) f--;
    for (; f < frames.length; f++) {
      const frame = frames[f]!;
      const copy: Container = frame.keys ? {} : [];
      // What it held up to here, unchanged: a change would have copied it then.
      for (let i = 0; i < frame.at; i++) {
        const key = frame.keys ? frame.keys[i]! : i;
        put(copy, key, (frame.source as Record<string | number, unknown>)[key]);
      }
      frame.copy = copy;
      if (f > 0) put(frames[f - 1]!.copy!, frames[f - 1]!.name, copy);
    }
  };
  /** Sets the entry being read of the innermost container, in its copy if it has one. */
  const set = (frame: Frame, kept: unknown, original: unknown) => {
    if (kept !== original && frame.copy === undefined) copyDown();
    if (frame.copy !== undefined) put(frame.copy, frame.name, kept);
  };
  enter(value as Container);
  let result: unknown = value;
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const count = frame.keys ? frame.keys.length : (frame.source as unknown[]).length;
    if (frame.at === count) {
      frames.pop();
      const done = frame.copy ?? frame.source;
      if (frames.length === 0) result = done;
      else {
        const parent = frames[frames.length - 1]!;
        if (parent.copy !== undefined) put(parent.copy, parent.name, done);
        parent.at++;
      }
      continue;
    }
    const key = frame.keys ? frame.keys[frame.at]! : frame.at;
    const v = (frame.source as Record<string | number, unknown>)[key];
    frame.name = key;
    if (typeof key === 'string') {
      let name = maskString(key);
      if (name !== key && frame.copy === undefined) copyDown();
      // Keys are unique, so only a copy, which holds the names masked, can hold this one already.
      if (frame.copy !== undefined && Object.hasOwn(frame.copy, name)) name = suffixed(frame.copy as Record<string, unknown>, name, (frame.taken ??= new Map()));
      frame.name = name;
      // An empty value hides nothing, and keeping it shows that none was sent.
      if (isSecretName(key) && v !== null && v !== '') {
        set(frame, MASK, v);
        frame.at++;
        continue;
      }
    }
    if (v !== null && typeof v === 'object') {
      enter(v as Container);
      continue;
    }
    set(frame, typeof v === 'string' ? maskString(v) : v, v);
    frame.at++;
  }
  return { value: result, changed: result !== value };
}

export const keys: Entry = {
  name: 'keys',
  finds:
    "a key of the names table at any depth: its whole value, object or not, is masked, an empty one kept empty. Every rule applies to keys as text too (a URL can be a key); two keys that become one once masked keep both values, the later key's name followed by `~2` (`~3` …)",
  hints: nameHints,
  examples: [
    ['{"Input":{"S3SecretKey":{"v":1},"S3SecretId":""}}', `{"Input":{"S3SecretKey":"${MASK}","S3SecretId":""}}`],
    ['{"https://user:hunter2@h.example.com/":1}', `{"https://${MASK}@h.example.com/":1}`],
    ['{"https://u:pw@h.example.com/":1,"https://u:other@h.example.com/":2}', `{"https://${MASK}@h.example.com/":1,"https://${MASK}@h.example.com/~2":2}`],
  ],
  sources: [
    SOURCES.mpsS3Input,
    SOURCES.rfc8259Objects,
  ],
};
