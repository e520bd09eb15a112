import { toJson } from './json';

/*
 * Credentials reach MPS events in many places: AWS-S3 keys in storage fields, signed URLs of
 * inputs, user:password@ in messages, whatever users put in SessionContext. Every rule below
 * is applied before anything is stored, hashed, logged or forwarded; the README's table lists
 * them, and each has a test. The value is replaced by MASK and the rest kept, so that a URL
 * still shows its scheme, host and path.
 */

export const MASK = '******';

/** Two-word names may be written with any one separator (apiKey, api_key, x-api-key). */
const NAME_PARTS = 'secret|passw|pwd|passphrase|token|credential|private.?key|access.?key|api.?key|authorization|cookie|signature';
/** Short names that are credentials only as a whole name: URL-signing parameters (CDN, VOD, COS's q-ak). */
const WHOLE_NAMES = 'sign|sig|q.?ak|auth|auth.?key';

/** A key, or a parameter name in text, whose value is a credential. */
const SECRET_NAME = new RegExp(`${NAME_PARTS}|^(?:${WHOLE_NAMES})$`, 'i');

/** user:password@ (or a bare token@) after a URL's scheme. */
const USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
/**
 * `name=value` in query strings and forms, `name: value` in headers and text, `"name":"value"`
 * in JSON text that did not parse, for a name the rules match: only such names are matched, so
 * that the value of any other name is still searched. The name starts where a run of name
 * characters starts (a lookbehind, not \b), so that a long run is scanned once, not once from
 * each of its characters. A quoted value is masked whole; `Bearer x` keeps its scheme.
 */
const NAME_CHAR = '[A-Za-z0-9_.-]';
const NAMED_VALUE = new RegExp(
  `(?<!${NAME_CHAR})(${NAME_CHAR}*(?:${NAME_PARTS})${NAME_CHAR}*|(?:${WHOLE_NAMES})(?!${NAME_CHAR}))` +
    // The quotes around a name and its value may be escaped, as in JSON text inside a JSON
    // string; such a value is looked for only so far, so that a text of many is read in linear time.
    `((?:\\\\*["'])?\\s*(?::(?!\\/\\/)|=)\\s*)` +
    `("(?:[^"\\\\]|\\\\.)*"|(\\\\+)".{0,4096}?(?<!\\\\)\\4"|'[^']*'|(?:(?:bearer|basic|digest|token)\\s+)?[^\\s"'&,;<>{}[\\]]+)`,
  'gi',
);
/** A Cookie or Set-Cookie header's value is every pair to the end of its line. */
const COOKIE_HEADER = new RegExp(`(?<!${NAME_CHAR})((?:set-)?cookie["']?\\s*:\\s*)[^\\r\\n"]+`, 'gi');
/** A bearer or basic credential standing alone in text. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g;
/** Tencent CDN URL signing in the path: TypeB /YYYYMMDDHHMM/md5/ and TypeC /md5/hex-time/. */
const CDN_TYPE_B = /(:\/\/[^/\s"']+\/\d{12}\/)[0-9a-f]{32}(?=\/)/gi;
const CDN_TYPE_C = /(:\/\/[^/\s"']+\/)[0-9a-f]{32}(?=\/[0-9a-f]{8}\/)/gi;

/**
 * What any text holding a credential by these rules must contain: every name they match, a
 * URL's "@", a CDN signature's hex. Most events contain none, and are then neither walked nor copied.
 */
const HINT = new RegExp(
  `${NAME_PARTS}|private|access|api|auth|sig|q.?ak|:\\/\\/[^\\s/"]*@|bearer|basic|\\/\\d{12}\\/[0-9a-f]{32}\\/|\\/[0-9a-f]{32}\\/[0-9a-f]{8}\\/`,
  'i',
);

const isSecretName = (name: string) => SECRET_NAME.test(name);

/** A string with every credential it carries masked; JSON inside it is masked as JSON. */
export function maskText(text: string): string {
  if (!HINT.test(text)) return text;
  const first = text.trimStart()[0];
  if (first === '{' || first === '[' || first === '"') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed !== undefined) {
      const masked = maskSecrets(parsed);
      // Re-serialized only when something was masked, so that a clean JSON string keeps its form.
      const json = toJson(masked);
      return json === toJson(parsed) ? text : json;
    }
  }
  return text
    .replace(USERINFO, `$1${MASK}@`)
    .replace(COOKIE_HEADER, `$1${MASK}`)
    .replace(NAMED_VALUE, (_whole, name: string, separator: string, value: string) => {
      const quote = /^\\*["']/.exec(value)?.[0] ?? '';
      const scheme = /^(?:bearer|basic|digest|token)\s+/i.exec(value)?.[0] ?? '';
      return `${name}${separator}${quote}${scheme}${MASK}${quote}`;
    })
    .replace(SCHEME_CREDENTIAL, `$1 ${MASK}`)
    .replace(CDN_TYPE_B, `$1${MASK}`)
    .replace(CDN_TYPE_C, `$1${MASK}`);
}

type Container = Record<string, unknown> | unknown[];

/** Sets a key as an own property, even "__proto__", which JSON.parse also keeps as a plain key. */
function put(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string | number, unknown>)[key] = value;
}

/**
 * A masked copy of any JSON value; the input is left untouched. Walked with a stack of its own,
 * not by recursion, so that JSON nested deeper than the call stack is masked like any other.
 */
export function maskSecrets(value: unknown): unknown {
  const root: unknown[] = [undefined];
  const work: [source: unknown, target: Container, key: string | number][] = [[value, root, 0]];
  for (let item = work.pop(); item; item = work.pop()) {
    const [source, target, key] = item;
    if (typeof source === 'string') {
      put(target, key, maskText(source));
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      put(target, key, copy);
      for (let i = 0; i < source.length; i++) work.push([source[i], copy, i]);
    } else if (source !== null && typeof source === 'object') {
      const copy: Record<string, unknown> = {};
      put(target, key, copy);
      for (const [k, v] of Object.entries(source)) {
        // An empty value hides nothing, and keeping it shows that none was sent.
        if (isSecretName(k) && v !== null && v !== '') {
          put(copy, k, MASK);
        } else {
          // Set now, filled when popped: the copy keeps the source's key order.
          put(copy, k, null);
          work.push([v, copy, k]);
        }
      }
    } else {
      put(target, key, source);
    }
  }
  return root[0];
}

/**
 * The payload as JSON with its secrets masked, and the masked value. Everything these rules
 * match leaves a hint in the JSON text, so when the text holds none (nearly every event), the
 * payload is serialized once and neither copied nor walked.
 */
export function maskedJson(payload: unknown): { json: string; value: unknown } {
  const json = toJson(payload);
  if (!HINT.test(json)) return { json, value: payload ?? null };
  const value = maskSecrets(payload) ?? null;
  return { json: toJson(value), value };
}
