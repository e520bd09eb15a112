/*
 * JSON.stringify walks by recursion, so JSON nested a few thousand levels deep, which SCF parses
 * and delivers, makes it throw RangeError, the same way on every retry. Such a payload is still
 * kept: serialized here with a stack of its own, to the same text JSON.stringify would give.
 */

/** JSON text of a JSON value (undefined reads as null: nothing arrived), at any depth. */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return deepJson(value);
  }
}

const LITERAL = Symbol('literal');
type Literal = { [LITERAL]: string };
const literal = (text: string): Literal => ({ [LITERAL]: text });
const isLiteral = (item: unknown): item is Literal => typeof item === 'object' && item !== null && LITERAL in item;
const hasJsonForm = (v: unknown) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';

/** What is still to be written is a stack of values and literal text, pushed in reverse. */
function deepJson(value: unknown): string {
  const parts: string[] = [];
  const work: unknown[] = [value];
  while (work.length > 0) {
    const item = work.pop();
    if (isLiteral(item)) {
      parts.push(item[LITERAL]);
    } else if (Array.isArray(item)) {
      work.push(literal(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        // As JSON.stringify does: what has no JSON form is null in an array.
        work.push(hasJsonForm(item[i]) ? item[i] : null);
        if (i > 0) work.push(literal(','));
      }
      work.push(literal('['));
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item).filter(([, v]) => hasJsonForm(v));
      work.push(literal('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        work.push(v, literal(`${JSON.stringify(k)}:`));
        if (i > 0) work.push(literal(','));
      }
      work.push(literal('{'));
    } else {
      parts.push(JSON.stringify(item) ?? 'null');
    }
  }
  return parts.join('');
}

/**
 * A copy of a record without its null fields, at any depth of objects (arrays keep every item).
 * The normalized record is stored this way: a field left out reads as null in every engine, and
 * the nulls were two fifths of its bytes, which the function serializes and hashes at every event.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== null) copy[key] = typeof v === 'object' ? withoutNulls(v) : v;
  }
  return copy as T;
}
