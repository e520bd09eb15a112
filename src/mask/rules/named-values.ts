import { isHeaderLineName, isSecretName, nameHints } from '../names';
import { MASK, type TextRule } from '../rule';
import { bareEnd, isBare, SCHEME, valueEnd } from '../values';
import { headerValueEnd, isHeaderSeparator, maskedHeaderValue } from './credential-headers';
import { SOURCES } from '../sources';

/**
 * A name and its separator: `name=value` in query strings and forms (`%3D` in encoded ones),
 * `name: value` in headers and text, `name => value` and `name := value` in code,
 * `"name":"value"` in JSON text, with escaped quotes in JSON text inside a string. The run of name
 * characters is taken whole (a lookahead is never backtracked into), so that a long run is read
 * once.
 */
const SEPARATOR = String.raw`(\\*["']?\s*(?::(?!\/\/)=?|=>?|%3[Dd])\s*)`;
const NAMED = new RegExp(String.raw`(?<![A-Za-z0-9_.-])(?=([A-Za-z0-9_.-]+))\1${SEPARATOR}`, 'g');
/** The same, right where the last ended in an encoded "=", against which a name may stand (a%3Dtoken%3Dx). */
const NAMED_AFTER_ENCODED = new RegExp(String.raw`(?=([A-Za-z0-9_.-]+))\1${SEPARATOR}`, 'y');
const ENDS_ENCODED = /%3[Dd]$/;
/**
 * The start of a name run that is what stands before the name, written so that it reads as part
 * of the run: an encoded "&" or "?" (%26name, \u0026name), or JSON's escaped line end or tab in
 * text that quotes JSON (\nAuthorization: x), which is taken away only where that leaves a
 * secret name (\token is one already).
 */
const PERCENT_BOUNDARY = /^(?:26|3[Ff])/;
const ESCAPE_BOUNDARY = /^(?:u00(?:26|3[Ff])|[nrt](?=.))/;

/** The value as kept: its quotes and its scheme stay, what they hold is masked. */
function masked(value: string): string {
  const quote = /^\\*["']/.exec(value)?.[0] ?? '';
  if (quote) return `${quote}${MASK}${quote}`;
  const scheme = SCHEME.exec(value)?.[0] ?? '';
  return `${scheme}${MASK}`;
}

const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.-]/.test(c);

/** Where a bare value that starts at `start` starts after its scheme, which is kept. */
const afterScheme = (text: string, start: number) => start + (SCHEME.exec(text.slice(start, start + 16))?.[0].length ?? 0);

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

/**
 * The next name and its separator from NAMED's lastIndex. A name that stands right where the last
 * separator ended in an encoded "=" (`encodedEnd`) is read by a pattern of its own: NAMED takes
 * a name only after a character that is no name's.
 */
function nextName(text: string, encodedEnd: number): RegExpExecArray | null {
  if (NAMED.lastIndex === encodedEnd && isNameChar(text[encodedEnd])) {
    NAMED_AFTER_ENCODED.lastIndex = encodedEnd;
    const m = NAMED_AFTER_ENCODED.exec(text);
    if (m) {
      NAMED.lastIndex = NAMED_AFTER_ENCODED.lastIndex;
      return m;
    }
  }
  return NAMED.exec(text);
}

/**
 * Masks the value of every secret name in text, in one pass. A quoted or bracketed value, and a
 * header's line (credential-headers.ts), is masked whole and not read again. A bare value ends
 * before a secret name that starts inside it (`password=a|token: x`,
 * `password=rtmp://h/live?token: x`), which the pass finds as it reads on from the value's start;
 * that name's own value ends where the first one did, which is not looked for again, so that
 * `token=` repeated over a megabyte is read once.
 */
function maskNamedValues(text: string): string {
  const named = NAMED;
  named.lastIndex = 0;
  let out = '';
  let kept = 0;
  // The bare value read last and not yet written, and where it starts after its scheme.
  let pendingStart = -1;
  let pendingFrom = -1;
  let pendingEnd = -1;
  // The last bare value's range after its scheme, which has no delimiter in it.
  let bareFrom = -1;
  let bareTo = -1;
  for (let m = nextName(text, -1); m; m = nextName(text, ENDS_ENCODED.test(m[2]!) ? m.index + m[0].length : -1)) {
    const before = text[m.index - 1];
    const run = m[1]!;
    const boundary = before === '%' ? PERCENT_BOUNDARY : before === '\\' ? ESCAPE_BOUNDARY : undefined;
    const stripped = boundary ? run.replace(boundary, '') : run;
    const name = stripped !== run && /^[nrt]/.test(run) && !isSecretName(stripped) ? run : stripped;
    const first = runBefore(text, m.index - 1);
    const whole = isSecretName(name);
    const twoWords = !whole && first !== '' && isSecretName(`${first}${before}${name}`);
    // Where the name starts: its encoded "&" or "?" included, at its first word if it has two.
    const nameStart = twoWords ? m.index - 1 - first.length : name === run ? m.index : m.index - 1;
    // A name that starts a bare value, or right after a name inside it, is the value's own text
    // (password=tokens.example.com:8443, q-ak => password=x): the value reads on after it, to
    // the end of that name's own value (password=xtoken: y masks xtoken: y).
    if (pendingStart !== -1 && nameStart <= pendingFrom && nameStart < pendingEnd) {
      pendingFrom = afterScheme(text, named.lastIndex);
      if (pendingFrom >= pendingEnd) {
        // To the next delimiter: masked with the rest, a quoted value would no longer end where
        // its quote did, and would take what stands against it on a second reading.
        pendingEnd = Math.max(pendingEnd, bareEnd(text, valueEnd(text, named.lastIndex)));
        bareTo = -1;
      }
      continue;
    }
    // A host before a port (//tokens.example.com:8443) is no name.
    const host = text.startsWith('//', m.index - 2) || before === '@';
    if (host || !(whole || twoWords)) continue;
    if (pendingStart !== -1) {
      const end = Math.min(nameStart, pendingEnd);
      if (end > pendingStart) {
        out += text.slice(kept, pendingStart) + masked(text.slice(pendingStart, end));
        kept = end;
      }
      pendingStart = -1;
    }
    const start = named.lastIndex;
    if (isHeaderLineName(name) && isHeaderSeparator(m[2]!, text[start])) {
      // As credentials.ts masked it: read again here, it must be left as it is.
      const end = headerValueEnd(text, start);
      if (end > start) {
        out += text.slice(kept, start) + maskedHeaderValue(text.slice(start, end));
        kept = end;
      }
      named.lastIndex = end;
    } else if (!isBare(text, start)) {
      const end = valueEnd(text, start);
      if (end > start) {
        out += text.slice(kept, start) + masked(text.slice(start, end));
        kept = end;
      }
      named.lastIndex = end;
    } else {
      const from = afterScheme(text, start);
      const end = from >= bareFrom && from < bareTo ? bareTo : bareEnd(text, from);
      bareFrom = from;
      bareTo = end;
      if (end > start) {
        pendingStart = start;
        pendingFrom = from;
        pendingEnd = end;
      }
    }
  }
  if (pendingStart === -1) return kept === 0 ? text : out + text.slice(kept);
  return out + text.slice(kept, pendingStart) + masked(text.slice(pendingStart, pendingEnd)) + text.slice(pendingEnd);
}

const S3_PRESIGNED =
  'https://b.s3.us-east-1.amazonaws.com/in.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAPLANTED%2F20261130%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261130T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGplanted&X-Amz-Signature=deadbeefplanted';

export const namedValues: TextRule = {
  name: 'named values',
  finds:
    "the value of every name of the names table: `name=value`, `name: value`, `name => value`, `name := value`, `\"name\":\"value\"`, `\"name\":[…]`, `\"name\":{…}`, in query strings (also percent-encoded, `%26q-ak%3D…`, and after an escaped `\\u0026`), forms, headers and prose; a quoted or bracketed value whole, a scheme before it kept (`Bearer`); a bare value to the first delimiter, or to where another secret name starts inside it (`password=a|token: x`); a header's value as the credential headers are masked; a host is never taken for a name (`//tokens.example.com:8443/`)",
  hints: nameHints,
  examples: [
    ['retry with password=hunter2 and api_key: k-123', `retry with password=${MASK} and api_key: ${MASK}`],
    [`{"token": "two words", 'secret'='x y'`, `{"token": "${MASK}", 'secret'='${MASK}'`],
    [`opts = { 'password' => 'hunter2', :token=>x, api_key := "k-1" }`, `opts = { 'password' => '${MASK}', :token=>${MASK}, api_key := "${MASK}" }`],
    ['request body: {"password":["hunter2"], "k": 1}', `request body: {"password":${MASK}, "k": 1}`],
    [
      'https://b-1250000000.cos.ap-guangzhou.myqcloud.com/in.mp4?q-sign-algorithm=sha1&q-ak=AKIDplanted&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature=0123456789abcdef0123456789abcdef01234567&x-cos-security-token=tokplanted',
      `https://b-1250000000.cos.ap-guangzhou.myqcloud.com/in.mp4?q-sign-algorithm=sha1&q-ak=${MASK}&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature=${MASK}&x-cos-security-token=${MASK}`,
    ],
    [
      S3_PRESIGNED,
      `https://b.s3.us-east-1.amazonaws.com/in.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${MASK}&X-Amz-Date=20261130T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=${MASK}&X-Amz-Signature=${MASK}`,
    ],
    [
      'https://1250000000.vod2.myqcloud.com/v.mp4?t=6553f0a0&exper=60&rlimit=3&us=72d4cd1101&sign=61a6e0c0b27e4e3a8e3b7d1a1d3a0d2c',
      `https://1250000000.vod2.myqcloud.com/v.mp4?t=6553f0a0&exper=60&rlimit=3&us=72d4cd1101&sign=${MASK}`,
    ],
    ['http://cdn.example.com/test.jpg?sign=1582791032-im1acp76sx9sdqe601v-0-dd63f95e739ed4b47427a129d21ef4e3', `http://cdn.example.com/test.jpg?sign=${MASK}`],
    ['http://cdn.example.com/test.jpg?sign=0f8201d814dfaf64cf54e74c5f7dbcb0&t=1582791032', `http://cdn.example.com/test.jpg?sign=${MASK}&t=1582791032`],
    [
      'https://p.example.com/play?u=https%3A%2F%2Fb.example.com%2Fk%3Fq-sign-algorithm%3Dsha1%26q-ak%3DAKIDleak%26q-signature%3Dleak&x=1',
      `https://p.example.com/play?u=https%3A%2F%2Fb.example.com%2Fk%3Fq-sign-algorithm%3Dsha1%26q-ak%3D${MASK}%26q-signature%3D${MASK}&x=1`,
    ],
    ['see /a.mp4?t=1\\u0026q-ak=AKIDleak\\u0026sign=dd63f95e (not JSON)', `see /a.mp4?t=1\\u0026q-ak=${MASK}\\u0026sign=${MASK} (not JSON)`],
    ['password=abc|token: planted', `password=${MASK}token: ${MASK}`],
    ['password=rtmp://h/live?token: planted', `password=${MASK}token: ${MASK}`],
    ['https://tokens.example.com:8443/videos/a.mp4', 'https://tokens.example.com:8443/videos/a.mp4'],
  ],
  sources: [
    SOURCES.cosSignature,
    SOURCES.s3Presigned,
    SOURCES.vodKeyHotlink,
    SOURCES.cdnTypeA,
    SOURCES.cdnTypeD,
  ],
  mask: maskNamedValues,
};
