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

/**
 * A masked copy of any JSON value, and whether masking changed anything; the input is left
 * untouched. Keys are masked as text too (a URL can be a key). Walked with a stack of its own,
 * not by recursion, so that JSON nested deeper than the call stack is masked like any other.
 * `maskString` masks each string, keys included.
 */
export function maskWalk(value: unknown, maskString: (text: string) => string): { value: unknown; changed: boolean } {
  const root: unknown[] = [undefined];
  const work: [source: unknown, target: Container, key: string | number][] = [[value, root, 0]];
  let changed = false;
  for (let item = work.pop(); item; item = work.pop()) {
    const [source, target, key] = item;
    if (typeof source === 'string') {
      const kept = maskString(source);
      changed ||= kept !== source;
      put(target, key, kept);
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      put(target, key, copy);
      for (let i = 0; i < source.length; i++) work.push([source[i], copy, i]);
    } else if (source !== null && typeof source === 'object') {
      const copy: Record<string, unknown> = {};
      put(target, key, copy);
      let taken: Map<string, number> | undefined;
      for (const [k, v] of Object.entries(source)) {
        let name = maskString(k);
        changed ||= name !== k;
        if (Object.hasOwn(copy, name)) name = suffixed(copy, name, (taken ??= new Map()));
        // An empty value hides nothing, and keeping it shows that none was sent.
        if (isSecretName(k) && v !== null && v !== '') {
          put(copy, name, MASK);
          changed ||= v !== MASK;
        } else {
          // Set now, filled when popped: the copy keeps the source's key order.
          put(copy, name, null);
          work.push([v, copy, name]);
        }
      }
    } else {
      put(target, key, source);
    }
  }
  return { value: root[0], changed };
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
