import { MASK, type Entry } from './rule';
import { quoteEnd } from './values';
import { SOURCES } from './sources';

/** The value of JSON text inside a string, when the string is JSON. */
export function jsonInside(text: string): { value: unknown } | undefined {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** How many keys a JSON value holds, at any depth. */
function keyCount(value: unknown): number {
  let count = 0;
  const work = [value];
  while (work.length > 0) {
    const item = work.pop();
    if (item === null || typeof item !== 'object') continue;
    const values = Object.values(item);
    if (!Array.isArray(item)) count += values.length;
    for (const v of values) work.push(v);
  }
  return count;
}

/**
 * Whether valid JSON text names a key twice in an object. JSON.parse keeps the last value, so
 * the JSON rules never see the first, which the text still holds.
 */
export function repeatsKeys(text: string, value: unknown): boolean {
  let keys = 0;
  for (let start = text.indexOf('"'); start !== -1; ) {
    let next = quoteEnd(text, start);
    while (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r') next++;
    if (text[next] === ':') keys++;
    start = text.indexOf('"', next);
  }
  return keys !== keyCount(value);
}

export const jsonInsideStrings: Entry = {
  name: 'JSON inside strings',
  finds:
    "a string that holds JSON (MPS's `SessionContext`, an event encoded twice) is masked as JSON, escaped names and slashes included, keeping its own form (numbers, key order) where the text rules suffice; JSON that names a key twice is written anew as JSON.parse reads it, so that the value it hides is not kept. Read when any other entry's hint is in the string",
  hints: () => [],
  examples: [
    ['{"user":"u","password":"hunter2","nested":{"credentials":{"id":"x"}}}', `{"user":"u","password":"${MASK}","nested":{"credentials":"${MASK}"}}`],
    ['{"\\u0070assword":"hunter2"}', `{"password":"${MASK}"}`],
    ['{"u":"https://user:hunter2\\u0040host/"}', `{"u":"https://${MASK}@host/"}`],
    ['{"Sign":"planted","Sign":""}', '{"Sign":""}'],
    ['{"user_id":1234567890123456789,"name":"caf\\u00e9","password":"x"}', `{"user_id":1234567890123456789,"name":"caf\\u00e9","password":"${MASK}"}`],
  ],
  sources: [
    SOURCES.mpsNotification,
    SOURCES.rfc8259Objects,
  ],
};
