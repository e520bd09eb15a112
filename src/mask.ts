/**
 * MPS events may carry AWS-S3 keys (S3SecretId, S3SecretKey) in input and output storage,
 * and users can put anything into SessionContext-like fields. Any key that reads like a secret
 * has its value replaced before the event is stored, logged or hashed.
 */
const SECRET_KEY = /secret|passw|pwd|token|credential|private.?key|access.?key/i;
/**
 * Matches the text of every key SECRET_KEY matches, and more: a character that JSON escapes
 * (as in "private\u0001key") lengthens the text between words, so `.?key` is left out here.
 */
const SECRET_WORD = /secret|passw|pwd|token|credential|private|access/i;

export const MASK = '******';

/** A masked copy of any JSON value; the input is left untouched. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries, not assignment: a "__proto__" key from JSON.parse must stay a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) =>
      // An empty value hides nothing, and keeping it shows that none was sent.
      SECRET_KEY.test(key) && v !== null && v !== '' ? [key, MASK] : [key, maskSecrets(v)],
    ),
  );
}

/**
 * The payload as JSON with its secrets masked, and the masked value. The words of a key that
 * reads like a secret appear in JSON.stringify's text, so when the text holds none of them
 * (nearly every event), the payload is serialized once and neither copied nor walked.
 */
export function maskedJson(payload: unknown): { json: string; value: unknown } {
  // undefined has no JSON form; null says the same: nothing arrived.
  const json = JSON.stringify(payload) ?? 'null';
  if (!SECRET_WORD.test(json)) return { json, value: payload ?? null };
  const value = maskSecrets(payload) ?? null;
  return { json: JSON.stringify(value), value };
}
