/**
 * MPS events may carry AWS-S3 keys (S3SecretId, S3SecretKey) in input and output storage,
 * and users can put anything into SessionContext-like fields. Any key that reads like a secret
 * has its value replaced before the event is stored, logged or hashed.
 */
const SECRET_KEY = /secret|passw|pwd|token|credential|private.?key|access.?key/i;

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
