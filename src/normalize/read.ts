/*
 * Lenient reads of what normalization takes from an event: as the schemas read, a value of an
 * unexpected type is absent, and so are "" and [] (MPS says nothing with them as with null).
 * Every string bound for the record passes through `text`, which cuts it to MAX_TEXT.
 */

export type Json = Record<string, unknown>;

/**
 * The longest string the record keeps. MPS's own strings are far shorter; a synchronous Invoke
 * can send megabytes in one, which the record would otherwise hold (and serialize) once more.
 */
export const MAX_TEXT = 8_192;

/**
 * Strings cut since the last takeCuts(). A count beside the reads rather than a walk over the
 * record: normalization is synchronous, one record at a time, and the walk was a tenth of it.
 */
let cuts = 0;

export function takeCuts(): number {
  const n = cuts;
  cuts = 0;
  return n;
}

/** The string as the record keeps it: at most MAX_TEXT characters. */
export function capped(v: string): string {
  if (v.length <= MAX_TEXT) return v;
  cuts++;
  return v.slice(0, MAX_TEXT);
}

export const asObject = (v: unknown): Json | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null);
export const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? capped(v) : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const int = (v: unknown): number | null => (Number.isInteger(v) ? (v as number) : null);
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
export const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** How long a sub-task ran, from MPS's ISO times; null unless both read and the finish is not before the start. */
export function durationMs(begin: string | null, finish: string | null): number | null {
  if (begin === null || finish === null) return null;
  const ms = Date.parse(finish) - Date.parse(begin);
  return ms >= 0 ? ms : null;
}
