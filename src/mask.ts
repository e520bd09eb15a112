import { toJson } from './json';

/*
 * Credentials reach MPS events in many places: AWS-S3 keys in storage fields, signed URLs of
 * inputs, user:password@ in messages, whatever users put in SessionContext. Every rule below
 * is applied before anything is stored, hashed, logged or forwarded; the README's table lists
 * them, and each has a test. The value is replaced by MASK and the rest kept, so that a URL
 * still shows its scheme, host and path. Every pattern reads its text in one pass: a hostile
 * payload must not make masking slow.
 */

export const MASK = '******';

/** Two-word names may be written with any one separator (apiKey, api_key, x-api-key). */
const NAME_PARTS =
  'secret|passw|pass.?word|pwd|passphrase|token|credential|private.?key|access.?key|api.?key|authorization|cookie|signature|aes.?drm';
/** Short names that are credentials only as a whole name: URL-signing parameters (CDN, VOD, COS's q-ak). */
const WHOLE_NAMES = 'sign|sig|q.?ak|auth|auth.?key|pass';

/** A key, or a parameter name in text, whose value is a credential. */
const SECRET_NAME = new RegExp(`${NAME_PARTS}|^(?:${WHOLE_NAMES})$`, 'i');
const isSecretName = (name: string) => SECRET_NAME.test(name);

/**
 * user:password@ (or a bare token@) after a URL's scheme (its slashes escaped too, as JSON may
 * write them), or after "//" where a URL starts, up to the last "@" before the host: a password
 * may hold an "@", and URL parsers split there. The same in a percent-encoded URL:
 * %3A%2F%2Fuser%3Apassword%40. A password may hold a "'" too, which RFC 3986 allows unencoded
 * (and encodeURIComponent leaves as it is); a '"', "<" or ">" it may not, and they end it, so that
 * a match never leaves the string of JSON text it starts in. `end` is what else ends it. Text
 * without an "@", plain or encoded, is not read for it, which is quicker.
 */
function userinfoRule(end: string): (text: string) => string {
  const plain = new RegExp(String.raw`((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:(?:\/\/|\\\/\\\/)|(?<=^|[\s"'=(<])\/\/)[^\s/?#"<>${end}]+@`, 'gi');
  const encoded = new RegExp(String.raw`(%3A%2F%2F)(?:(?!%2F|%3F|%23)[^\s/?#"<>&${end}])+%40`, 'gi');
  return (text) => (/@|%40/.test(text) ? text.replace(plain, `$1${MASK}@`).replace(encoded, `$1${MASK}%40`) : text);
}
/**
 * Userinfo is read before the named values, so that a name in it (https://api_key:x@host) does
 * not take the host for its value, and there a "'" ends it, as it ends a bare value: masked
 * with it, the "'" would no longer end the value of a name before the URL, which would then take
 * a name after it (password=rtmp://u:p'w@h/live?token: x kept x). Userinfo that holds a "'" is
 * masked after the named values.
 */
const maskUserinfoBeforeNames = userinfoRule("'");
const maskUserinfo = userinfoRule('');
/** A Cookie or Set-Cookie header's value is every pair to the end of its line and its folded lines. */
const COOKIE_HEADER = /((?<![A-Za-z0-9_.-])(?:set-)?cookie["']?\s*:\s*)[^\r\n"]+(?:\r?\n[ \t]+[^\r\n"]*)*/gi;
/** A bearer or basic credential standing alone in text; a word of lower-case letters is prose, not a credential. */
const SCHEME_CREDENTIAL = /\b([Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])\s+(?=[A-Za-z0-9._~+/-]*[A-Z0-9+/=])[A-Za-z0-9._~+/-]{8,}=*/g;
/**
 * An XML element holding text only: STS answers (<SessionToken>), S3's SignatureDoesNotMatch
 * error (<AWSAccessKeyId>, <SignatureProvided>), which a failed task's message can quote. Its
 * name is the one after a namespace prefix; its closing tag may have its slash escaped, as JSON
 * text quoted in a message may write it (<\/Token>). Only its text is replaced: its tags stay as
 * written.
 */
const XML_ELEMENT = /<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]*)(<\\?\/\1\s*>)/g;
const maskElement = (element: string, name: string, attributes = '', value: string, closing: string) =>
  value !== '' && isSecretName(name.slice(name.lastIndexOf(':') + 1)) ? `<${name}${attributes}>${MASK}${closing}` : element;

/**
 * Bytes written in hex, a pair each, eight or more, between whitespace of any length (or JSON's
 * escapes of it written in the text: \n, \r, \t): S3's SignatureDoesNotMatch error quotes what
 * it signed that way (<CanonicalRequestBytes>), a session token's header included, and an SDK
 * that parsed the error gives the same text in JSON or prose. A run is masked whole when the
 * rules would mask what it spells. Hex without separators is not read: every event holds some
 * (MD5s, ETags, TaskIds), and neither S3 nor an SDK writes bytes so; nor are Unicode's other
 * spaces (U+00A0, U+3000) separators, which no one writes between bytes, and whose hint read every
 * event slower. A run ends against no name character: masked, it would cut a name that runs on
 * from its last byte (0asign=token: x would read as sign=token: and keep x). Nor does it start
 * against a backslash: masked, it would cut an escape whose letter is a hex digit (\fe 70 …).
 */
const HEX_SEPARATOR = String.raw`(?:[ \t\n\v\f\r]|\\[nrt])`;
const HEX_RUN = new RegExp(String.raw`(?<![0-9A-Fa-f\\])[0-9A-Fa-f]{2}(?:${HEX_SEPARATOR}+[0-9A-Fa-f]{2}){7,}(?![\w.-])`, 'g');
/**
 * A byte between separators, as every run has: text without one is not read for runs, which a
 * pattern that starts with a hex digit, found at most characters of text, reads slowly.
 */
const HEX_GAP = new RegExp(`${HEX_SEPARATOR}[0-9A-Fa-f]{2}${HEX_SEPARATOR}`);
/**
 * What each run of hex bytes was found to spell, while the outermost one is read. Text is read
 * more than once (twice or more in maskText), and each reading of hex whose bytes spell hex would
 * read the inner hex as often again: a megabyte of hex nested a dozen levels deep took seconds.
 */
let spelledSecrets: Map<string, boolean> | undefined;
/**
 * Longer runs are masked unread. What S3 signs is a few kilobytes; reading what megabytes of
 * hex spell (a control byte takes six characters in the JSON text the hints read) took a 2 MB
 * run past the heap of a 128 MB instance.
 */
const LONGEST_RUN_READ = 192 * 1024;
function spellsSecret(run: string): boolean {
  if (run.length > LONGEST_RUN_READ) return true;
  const known = spelledSecrets?.get(run);
  if (known !== undefined) return known;
  const outermost = spelledSecrets === undefined;
  spelledSecrets ??= new Map();
  try {
    const spelled = Buffer.from(run.replace(/[^0-9A-Fa-f]/g, ''), 'hex').toString('latin1');
    const secret = maskText(spelled) !== spelled;
    spelledSecrets.set(run, secret);
    return secret;
  } finally {
    if (outermost) spelledSecrets = undefined;
  }
}
const maskHexRuns = (text: string) => (HEX_GAP.test(text) ? text.replace(HEX_RUN, (run) => (spellsSecret(run) ? MASK : run)) : text);

/** Tencent CDN URL signing in the path: TypeB /YYYYMMDDHHMM/md5/ and TypeC /md5/hex-time/. */
const CDN_TYPE_B = /(:\/\/[^/\s"']+\/\d{12}\/)[0-9a-f]{32}(?=\/)/gi;
const CDN_TYPE_C = /(:\/\/[^/\s"']+\/)[0-9a-f]{32}(?=\/[0-9a-f]{8}\/)/gi;

/**
 * A name and its separator: `name=value` in query strings and forms (`%3D` in encoded ones),
 * `name: value` in headers and text, `name => value` and `name := value` in code,
 * `"name":"value"` in JSON text, with escaped quotes in JSON text inside a string. The run of name
 * characters is taken whole (a lookahead is never backtracked into), so that a long run is read
 * once.
 */
const NAMED = /(?<![A-Za-z0-9_.-])(?=([A-Za-z0-9_.-]+))\1(\\*["']?\s*(?::(?!\/\/)=?|=>?|%3[Dd])\s*)/g;
/** The start of a name run that is an encoded "&" or "?" before the name: %26name, \u0026name. */
const PERCENT_BOUNDARY = /^(?:26|3[Ff])/;
const UNICODE_BOUNDARY = /^u00(?:26|3[Ff])/;
const SCHEME = /^(?:bearer|basic|digest|token)\s+/i;
const BARE_END = /[\s"'&,;<>{}[\]]|%26|\\u0026/g;

/** Where the quoted text that opens at `start` closes (after the quote), or the text's end. */
function quoteEnd(text: string, start: number): number {
  const quote = text[start]!;
  for (let i = text.indexOf(quote, start + 1); i !== -1; i = text.indexOf(quote, i + 1)) {
    let escapes = 0;
    while (text[i - 1 - escapes] === '\\') escapes++;
    if (escapes % 2 === 0) return i + 1;
  }
  return text.length;
}

/** Where the value that starts at `start` ends: its closing quote or bracket, or the first delimiter. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"' || first === "'") return quoteEnd(text, start);
  let run = 0;
  while (text[start + run] === '\\') run++;
  if (run > 0 && text[start + run] === '"') {
    // Quoted with escaped quotes, \"value\": it closes at a quote escaped the same way, no deeper.
    const closing = `${'\\'.repeat(run)}"`;
    for (let i = text.indexOf(closing, start + run + 1); i !== -1; i = text.indexOf(closing, i + 1)) {
      if (text[i - 1] !== '\\') return i + closing.length;
    }
    return text.length;
  }
  if (first === '[' || first === '{') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = quoteEnd(text, i) - 1;
      else if (c === '[' || c === '{') depth++;
      // To the next delimiter: once masked, the value reads as a bare one, which would take what
      // stands against the bracket on a second reading.
      else if ((c === ']' || c === '}') && --depth === 0) return bareEnd(text, i + 1);
    }
    return text.length;
  }
  const scheme = SCHEME.exec(text.slice(start, start + 16))?.[0].length ?? 0;
  return bareEnd(text, start + scheme);
}

/** Where a bare value read from `from` ends: at the first delimiter. */
function bareEnd(text: string, from: number): number {
  BARE_END.lastIndex = from;
  const end = BARE_END.exec(text);
  return end ? end.index : text.length;
}

/** The value as kept: its quotes and its scheme stay, what they hold is masked. */
function masked(value: string): string {
  const quote = /^\\*["']/.exec(value)?.[0] ?? '';
  if (quote) return `${quote}${MASK}${quote}`;
  const scheme = SCHEME.exec(value)?.[0] ?? '';
  return `${scheme}${MASK}`;
}

const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.-]/.test(c);

/**
 * The run of name characters that ends at `end`, when one space or tab stands after it: the first
 * word of a name of two (`secret key: x`, `API Key: x`), which a key may be too. Read back once
 * for each name it stands before.
 */
function runBefore(text: string, end: number): string {
  if (text[end] !== ' ' && text[end] !== '\t') return '';
  let start = end;
  while (isNameChar(text[start - 1])) start--;
  return text.slice(start, end);
}

/** Masks the value of every secret name in text, reading it once: what a match skips is never read again. */
function maskNamedValues(text: string): string {
  let out = '';
  let kept = 0;
  NAMED.lastIndex = 0;
  for (let m = NAMED.exec(text); m; m = NAMED.exec(text)) {
    const before = text[m.index - 1];
    const name = m[1]!.replace(before === '%' ? PERCENT_BOUNDARY : before === '\\' ? UNICODE_BOUNDARY : /^$/, '');
    // A host before a port (//tokens.example.com:8443) is no name.
    const host = text.startsWith('//', m.index - 2) || text[m.index - 1] === '@';
    const first = runBefore(text, m.index - 1);
    if (host || !(isSecretName(name) || (first !== '' && isSecretName(`${first}${before}${name}`)))) continue;
    const start = NAMED.lastIndex;
    const end = valueEnd(text, start);
    if (end === start) continue;
    out += text.slice(kept, start) + masked(text.slice(start, end));
    kept = end;
    NAMED.lastIndex = end;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * One reading of text by the rules that read text as text (maskPlainText reads some twice). XML
 * elements and userinfo are read again after the named values and bytes in hex: a value masked
 * there can take the "<" that kept an element from being text only
 * (<Token>x password="a<b"</Token>), or the space that ended userinfo
 * (x://u:password='a b'@host, //u:50 55 … 0a@host), which is then masked now, not when the masked
 * text is masked again. Bytes in hex are read after the named values: masked, a run no longer
 * holds the whitespace that ended a bare value, which would then take the next name.
 */
function maskTextRules(text: string): string {
  const before = maskUserinfoBeforeNames(text.replace(XML_ELEMENT, maskElement)).replace(COOKIE_HEADER, `$1${MASK}`);
  return maskUserinfo(maskHexRuns(maskNamedValues(before)))
    .replace(XML_ELEMENT, maskElement)
    .replace(SCHEME_CREDENTIAL, `$1 ${MASK}`)
    .replace(CDN_TYPE_B, `$1${MASK}`)
    .replace(CDN_TYPE_C, `$1${MASK}`);
}

/** JSON's \uXXXX escape, and its escaped backslash, read as one so that what follows it is no escape. */
const JSON_ESCAPES = /\\(?:u([0-9A-Fa-f]{4})|\\)/g;

/**
 * JSON's \uXXXX escapes of printable ASCII, decoded; a quote or a backslash becomes JSON's own
 * escape of it (\" and \\), so that what the escape quoted stays quoted, and anything else
 * (a control character, a surrogate, beyond ASCII) is left as written.
 */
function decodeAsciiEscapes(text: string): string {
  return text.replace(JSON_ESCAPES, (escape, hex?: string) => {
    const code = hex === undefined ? -1 : parseInt(hex, 16);
    if (code === 0x22) return '\\"';
    if (code === 0x5c) return '\\\\';
    return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : escape;
  });
}

/**
 * The rules that read text as text. Text that is not JSON can quote JSON whose names are escaped
 * (`body: {"\u0070assword":"x"}`), which only JSON.parse would read: such text is read again with
 * the escapes of printable ASCII decoded, and kept so only where that masks more. What the first
 * reading masked stays masked.
 */
function maskPlainText(text: string): string {
  const masked = maskTextRules(text);
  if (!masked.includes('\\u')) return masked;
  const decoded = decodeAsciiEscapes(masked);
  const again = maskTextRules(decoded);
  return again === decoded ? masked : again;
}

/**
 * What any text holding a credential by these rules must contain, in lower case: every name
 * they match, a whole name only before a separator or ">" (an XML element's closing tag:
 * </Sign>), a URL's "@" (plain or encoded), a CDN signature's hex, eight bytes in hex between
 * whitespace. Most events contain none, and are then neither walked nor copied. `char` is one
 * character as the text writes it, `gap` what may stand between a whole name and its separator,
 * `escapedSpace` whitespace other than a space as the text writes it.
 * The names are grouped by their first letter: irregexp tries the alternatives at each position
 * in turn, and most positions start none.
 */
function hints(char: string, gap: string, escapedSpace: string): string {
  const bytes = `[0-9a-f]{2}(?:(?: |${escapedSpace})+[0-9a-f]{2}){6}`;
  const names = [
    ...NAME_PARTS.split('|').map((name) => name.replaceAll('.?', `${char}?`)),
    ...WHOLE_NAMES.split('|').map((name) => `${name.replaceAll('.?', `${char}?`)}(?=${gap}(?::|=|%3d|>))`),
    'bearer',
    'basic',
  ];
  const byFirst = new Map<string, string[]>();
  for (const name of names) byFirst.set(name[0]!, [...(byFirst.get(name[0]!) ?? []), name.slice(1)]);
  return [
    ...Array.from(byFirst, ([first, rests]) => `${first}(?:${rests.join('|')})`),
    String.raw`\/(?:\/[^\s/"]*@|\d{12}\/[0-9a-f]{32}\/|[0-9a-f]{32}\/[0-9a-f]{8}\/)`,
    '%3a%2f%2f',
    // Bytes in hex may spell a credential while the text around them names none. Led by the
    // whitespace before the second byte, which keeps the pattern's quick check on the few
    // characters that start a hint: a leading hex digit made every event's masking about 30%
    // slower. A space and an escape each lead an alternative: one group leading both made
    // reading an event's hints about 10% slower. A separator the text writes as JSON's escape
    // (a backslash and n) is a hint already: JSON text writes that backslash as two.
    ` ${bytes}`,
    `${escapedSpace}${bytes}`,
  ].join('|');
}
/**
 * The hints in JSON text, which writes a string's backslash as two, and a quote or a control
 * character (a tab, a newline) as an escape: \", \t, \u0001. Read in the text lower-cased, which
 * is quicker to read, and for a new instance to compile, than a pattern that ignores case; in the
 * text itself when lower-casing changed its length (U+0130, İ, is two characters in lower case).
 * Lower-casing only adds hints (U+212A, the Kelvin sign, becomes "k"), which the rules then find
 * to be none.
 */
const JSON_ESCAPE = String.raw`\\u[0-9a-f]{4}|\\.`;
const JSON_HINTS_SOURCE = String.raw`${hints(`(?:${JSON_ESCAPE}|.)`, String.raw`(?:${JSON_ESCAPE}|["'\s])*`, String.raw`\\(?:[tnrf]|u000b)`)}|\\\\`;
const JSON_HINTS_LOWER = new RegExp(JSON_HINTS_SOURCE, 'g');
const JSON_HINTS = new RegExp(JSON_HINTS_SOURCE, 'gi');

/** The JSON text to read for hints, and the pattern to read it with, from its start. */
function forHints(json: string): [string, RegExp] {
  const lower = json.toLowerCase();
  const [text, hints] = lower.length === json.length ? [lower, JSON_HINTS_LOWER] : [json, JSON_HINTS];
  hints.lastIndex = 0;
  return [text, hints];
}

/** The value of JSON text inside a string, when the string is JSON. */
function jsonInside(text: string): { value: unknown } | undefined {
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
function repeatsKeys(text: string, value: unknown): boolean {
  let keys = 0;
  for (let start = text.indexOf('"'); start !== -1; ) {
    let next = quoteEnd(text, start);
    while (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r') next++;
    if (text[next] === ':') keys++;
    start = text.indexOf('"', next);
  }
  return keys !== keyCount(value);
}

/** A string with every credential it carries masked; JSON inside it is masked as JSON. */
export function maskText(text: string): string {
  // Read in its JSON text, which holds each hint the string does, escaped or not (a backslash is
  // a hint in both): one pattern for strings and payloads, which a new instance compiles once.
  const [read, hints] = forHints(JSON.stringify(text));
  if (!hints.test(read)) return text;
  const json = jsonInside(text);
  if (!json) return maskPlainText(text);
  // JSON that repeats a key is written anew from what JSON.parse kept, without what it hid.
  if (repeatsKeys(text, json.value)) return toJson(maskSecrets(json.value));
  // Walked once: each walk masks the strings inside as text again, so a second walk at every
  // level of JSON nested in strings would double the work with each level.
  const walked = maskWalk(json.value);
  if (!walked.changed) return text;
  const asJson = toJson(walked.value);
  // The text rules keep the JSON's own form (its numbers, key order, escapes) when what they give
  // reads as what the JSON rules give; where they leave something the JSON rules mask (an escaped
  // name, say), or make two keys one, the masked JSON is written anew.
  const byText = maskPlainText(text);
  const check = jsonInside(byText);
  return check && !repeatsKeys(byText, check.value) && toJson(check.value) === asJson ? byText : asJson;
}

/**
 * Keys and short values repeat within and between events (Status, ErrCode, SUCCESS, the words
 * of a speech transcript): each is masked once. Short ones only, and only so many, so that
 * hostile text cannot grow it.
 */
const maskedShort = new Map<string, string>();
function maskShort(text: string): string {
  if (text.length > 64) return maskText(text);
  let kept = maskedShort.get(text);
  if (kept === undefined) {
    kept = maskText(text);
    if (maskedShort.size < 4_000) maskedShort.set(text, kept);
  }
  return kept;
}

type Container = Record<string, unknown> | unknown[];

/** Sets a key as an own property, even "__proto__", which JSON.parse also keeps as a plain key. */
function put(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string | number, unknown>)[key] = value;
}

/**
 * A masked copy of any JSON value, and whether masking changed anything; the input is left
 * untouched. Keys are masked as text too (a URL can be a key). Walked with a stack of its own,
 * not by recursion, so that JSON nested deeper than the call stack is masked like any other.
 */
function maskWalk(value: unknown): { value: unknown; changed: boolean } {
  const root: unknown[] = [undefined];
  const work: [source: unknown, target: Container, key: string | number][] = [[value, root, 0]];
  let changed = false;
  for (let item = work.pop(); item; item = work.pop()) {
    const [source, target, key] = item;
    if (typeof source === 'string') {
      const kept = maskShort(source);
      changed ||= kept !== source;
      put(target, key, kept);
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      put(target, key, copy);
      for (let i = 0; i < source.length; i++) work.push([source[i], copy, i]);
    } else if (source !== null && typeof source === 'object') {
      const copy: Record<string, unknown> = {};
      put(target, key, copy);
      for (const [k, v] of Object.entries(source)) {
        const name = maskShort(k);
        changed ||= name !== k;
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

export const maskSecrets = (value: unknown): unknown => maskWalk(value).value;

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
 * Read in one pass, hints and strings together: a hint starts with a letter, "/", "%", "\" or a
 * space, which JSON.stringify writes outside strings only in true, false, null and numbers, where
 * no hint starts; so the string it lies in opens at the nearest unescaped quote before it, and it
 * is a key when ":" follows that string. What a replaced value held is not read for hints.
 */
function maskKeysOnly(json: string): { json: string; masked: string[] } | undefined {
  const [text, hints] = forHints(json);
  const masked: string[] = [];
  let out = '';
  let kept = 0;
  // Where the text read so far ends, between strings.
  let read = 0;
  for (let hint = hints.exec(text); hint; hint = hints.exec(text)) {
    const start = stringStart(json, hint.index, read);
    if (start === -1) return undefined;
    const end = quoteEnd(json, start);
    if (end <= hint.index || json[end] !== ':') return undefined;
    const name = JSON.parse(json.slice(start, end)) as string;
    if (maskShort(name) !== name) return undefined;
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
    read = next;
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
function maskKeysIn(payload: unknown, names: Set<string>, count: number): unknown {
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

/**
 * The payload as JSON with its secrets masked, and the masked value. Everything these rules
 * match leaves a hint in the JSON text, so when the text holds none, the payload is serialized
 * once and neither copied nor walked; when its hints are all in keys, the text is masked in place
 * and the value copied only on the way to the keys masked.
 */
export function maskedJson(payload: unknown): { json: string; value: unknown } {
  const json = toJson(payload);
  const inPlace = maskKeysOnly(json);
  if (inPlace !== undefined) {
    if (inPlace.json === json) return { json, value: payload ?? null };
    const value = maskKeysIn(payload, new Set(inPlace.masked), inPlace.masked.length) ?? JSON.parse(inPlace.json);
    return { json: inPlace.json, value };
  }
  const { value, changed } = maskWalk(payload);
  return changed ? { json: toJson(value), value: value ?? null } : { json, value: payload ?? null };
}
