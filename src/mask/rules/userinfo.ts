import { MASK, type TextRule } from '../rule';
import { SOURCES } from '../sources';

/**
 * user:password@ (or a bare token@) after a URL's scheme (its slashes escaped too, as JSON may
 * write them), or after "//" where a URL starts, up to the last "@" before the host: a password
 * may hold an "@", and URL parsers split there. A "'" too, which RFC 3986 allows unencoded (and
 * encodeURIComponent leaves as it is); a '"', "<" or ">" it may not, and they end it, so that a
 * match never leaves the string of JSON text it starts in. The same in a percent-encoded URL:
 * %3A%2F%2Fuser%3Apassword%40.
 */
const PLAIN = /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:(?:\/\/|\\\/\\\/)|(?<=^|[\s"'=(<])\/\/)[^\s/?#"<>]+@/gi;
const ENCODED = /(%3A%2F%2F)(?:(?!%2F|%3F|%23)[^\s/?#"<>&])+%40/gi;

export const userinfo: TextRule = {
  name: 'URL userinfo',
  finds:
    "`scheme://user:password@`, `scheme://token@` or `//user:password@` in any string, up to the last `@` before the host, a `'` in it too (RFC 3986 allows one unencoded, so a `'` that closes a quoted string may be masked with it: `'rtmp://h','b@c'` is kept as `'rtmp://******@c'`; a `\"` ends it, so JSON text stays JSON); percent-encoded (`%3A%2F%2Fuser%3Apw%40`) and with JSON's escaped slashes too",
  hints: () => [String.raw`\/\/[^\s/"]*@`, String.raw`\\\\\/\\\\\/[^\s/"]*@`, '%3a%2f%2f'],
  examples: [
    ['fetch ftp://user:hunter2@files.example.com/in.mp4 failed', `fetch ftp://${MASK}@files.example.com/in.mp4 failed`],
    ['https://ghp_abcdef0123@git.example.com/r.git', `https://${MASK}@git.example.com/r.git`],
    ['https://user:hun@ter2@host.example.com/x', `https://${MASK}@host.example.com/x`],
    ['src=//user:pw@host.example.com/a', `src=//${MASK}@host.example.com/a`],
    ["play rtmp://user:pa'ss@live.example.com/app failed", `play rtmp://${MASK}@live.example.com/app failed`],
    ['{"cb":"https:\\/\\/user:hunter2@host.example.com\\/hook"}', `{"cb":"https:\\/\\/${MASK}@host.example.com\\/hook"}`],
    ['next=https%3A%2F%2Fuser%3Ahunter2%40host.example.com%2Fa', `next=https%3A%2F%2F${MASK}%40host.example.com%2Fa`],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ],
  sources: [SOURCES.rfc3986Userinfo],
  mask: (text) => (/@|%40/.test(text) ? text.replace(PLAIN, `$1${MASK}@`).replace(ENCODED, `$1${MASK}%40`) : text),
};
