import { HEADER_NAME, HEADER_NAMES } from '../names';
import { MASK, type TextRule } from '../rule';
import { quoteEnd } from '../values';
import { SOURCES } from '../sources';

/**
 * A header whose value is a credential whole: Authorization and Proxy-Authorization (RFC 9110),
 * Cookie and Set-Cookie (RFC 6265), named whole (a name that runs on into other text is no
 * header's; one after JSON's escaped line end starts a line), before a colon (or ":=", as code
 * assigns one). A quoted name ('Cookie': a=1; b=2) is a header's only when its value starts with
 * a letter or digit: a quoted or bracketed value is JSON text's, which the named values mask, and
 * so is one that a mask starts.
 */
const HEADER = new RegExp(String.raw`(?:(?<![A-Za-z0-9_.-])|(?<=\\[nr]))${HEADER_NAME}(["']?[ \t]*:=?[ \t]*)`, 'gi');
const SEPARATOR = /^["']?[ \t]*:=?[ \t]*$/;

/** Whether a name's separator, and the first character of its value, make it a header's. */
export const isHeaderSeparator = (separator: string, first: string | undefined) =>
  SEPARATOR.test(separator) && (!/^["']/.test(separator) || (first !== undefined && /[A-Za-z0-9]/.test(first)));
/** An HTTP auth-scheme before a header's credentials (Bearer, AWS4-HMAC-SHA256, TC3-HMAC-SHA256): kept. */
const AUTH_SCHEME = /^[A-Za-z][A-Za-z0-9._~+-]*[ \t]+(?=[^\s\\"])/;

/** Whether the quote at `at` opens an auth-param's quoted string (`realm="x y"`), after an "=". */
function opensParameter(text: string, start: number, at: number): boolean {
  let i = at - 1;
  while (i >= start && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= start && text[i] === '=';
}

/**
 * Where a header's value that starts at `start` ends: at the end of its line, its folded lines
 * included, or at JSON text's escaped line end; or at a quote that closes the text it stands in,
 * one that neither opens the value nor an auth-param's quoted string. An escaped quote is the
 * value's own: JSON text that quotes the header writes its quotes so.
 */
export function headerValueEnd(text: string, start: number): number {
  let end = text.length;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') {
      const next = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      if (text[next] !== ' ' && text[next] !== '\t') {
        end = i;
        break;
      }
      i = next;
    } else if (c === '\\') {
      let run = 1;
      while (text[i + run] === '\\') run++;
      const escaped = text[i + run];
      if (escaped === 'n' || escaped === 'r') {
        end = i;
        break;
      }
      i += run % 2 === 1 && escaped === '"' ? run : run - 1;
    } else if (c === '"') {
      if (i !== start && !opensParameter(text, start, i)) {
        end = i;
        break;
      }
      i = quoteEnd(text, i) - 1;
    }
  }
  // Without the whitespace that ends the line (RFC 9110's OWS), which a masked value keeps.
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

/** A header's value as kept: its auth-scheme, and the rest masked. */
export const maskedHeaderValue = (value: string) => `${AUTH_SCHEME.exec(value.slice(0, 64))?.[0] ?? ''}${MASK}`;

/** Masks the value of every credential header in text, each read once. */
function maskHeaders(text: string): string {
  const header = HEADER;
  header.lastIndex = 0;
  let out = '';
  let kept = 0;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const start = header.lastIndex;
    if (!isHeaderSeparator(m[1]!, text[start])) continue;
    const end = headerValueEnd(text, start);
    if (end > start) {
      out += text.slice(kept, start) + maskedHeaderValue(text.slice(start, end));
      kept = end;
    }
    header.lastIndex = Math.max(end, start);
  }
  return kept === 0 ? text : out + text.slice(kept);
}

export const credentialHeaders: TextRule = {
  name: 'credential headers',
  finds:
    "`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, named whole, before a colon: the whole value to the end of its line and its folded lines, or to JSON's escaped line end, or to a `\"` that closes the text it stands in, whatever the scheme (AWS, AWS4-HMAC-SHA256, TC3-HMAC-SHA256, COS's `q-sign-algorithm=…`, Digest's quoted parameters); the scheme is kept",
  hints: () => HEADER_NAMES,
  examples: [
    ['Authorization: AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=\nHost: h', `Authorization: AWS ${MASK}\nHost: h`],
    [
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAPLANTED/20261130/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0',
      `Authorization: AWS4-HMAC-SHA256 ${MASK}`,
    ],
    [
      'Authorization: TC3-HMAC-SHA256 Credential=AKIDplanted/2026-11-30/scf/tc3_request, SignedHeaders=content-type;host, Signature=planted',
      `Authorization: TC3-HMAC-SHA256 ${MASK}`,
    ],
    ['Authorization: q-sign-algorithm=sha1&q-ak=AKIDplanted&q-sign-time=1;2&q-signature=planted', `Authorization: ${MASK}`],
    ['Authorization: Digest username="u", realm="r", response="6629fae49393a05397450978507c4ef1"\r\n', `Authorization: Digest ${MASK}\r\n`],
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: Basic ${MASK}`],
    ['{"m":"Authorization: OSS ak:sig\\nHost: h"}', `{"m":"Authorization: OSS ${MASK}\\nHost: h"}`],
    ['Cookie: a=1;\r\n c=secret\r\nHost: h', `Cookie: ${MASK}\r\nHost: h`],
    ['Set-Cookie: session=abc; HttpOnly', `Set-Cookie: ${MASK}`],
  ],
  sources: [
    SOURCES.rfc9110Authorization,
    SOURCES.rfc9110ProxyAuthorization,
    SOURCES.rfc9112Folding,
    SOURCES.rfc6265Cookies,
    SOURCES.cosSignature,
    SOURCES.sigV4Header,
    SOURCES.s3SigV2,
    SOURCES.tc3Signature,
  ],
  mask: maskHeaders,
};
