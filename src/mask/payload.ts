import { toJson } from '../json';
import { maskKeysIn, maskKeysOnly } from './in-place';
import { createMasking, type MaskedTexts } from './text';
import { maskWalk } from './walk';

/** A masked copy of any JSON value; the input is left untouched. */
export const maskSecrets = (value: unknown): unknown => maskWalk(value, createMasking().text).value;

/**
 * The payload as JSON with its secrets masked, and the masked value. Everything the rules match
 * leaves a hint in the JSON text, so when the text holds none, the payload is serialized once and
 * neither copied nor walked; when its hints are all in keys, the text is masked in place and the
 * value copied only on the way to the keys masked. `short`: the short texts masked before; `json`:
 * the payload's JSON, when it is at hand.
 */
export function maskedJson(payload: unknown, short?: MaskedTexts, json = toJson(payload)): { json: string; value: unknown } {
  const masking = createMasking(true, short);
  const inPlace = maskKeysOnly(json, masking);
  if (inPlace !== undefined) {
    if (inPlace.json === json) return { json, value: payload ?? null };
    const value = maskKeysIn(payload, new Set(inPlace.masked), inPlace.masked.length) ?? JSON.parse(inPlace.json);
    return { json: inPlace.json, value };
  }
  const { value, changed } = maskWalk(payload, masking.text);
  return changed ? { json: toJson(value), value: value ?? null } : { json, value: payload ?? null };
}
