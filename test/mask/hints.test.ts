import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsHint, holdsHintOf, reading } from '../../src/mask/hints';
import { ENTRIES, PIPELINE } from '../../src/mask/registry';
import { createMasking, maskText } from '../../src/mask/text';

const hexBytes = (text: string, separator = ' ') => [...Buffer.from(text)].map((b) => b.toString(16).padStart(2, '0')).join(separator);

/** Pieces of the forms the rules read, and of what stands near them, to be put together at random. */
const PIECES = [
  'token', 'Password', 'pwd', 'pass', 'sign', 'Sign', 'sig', 'q-ak', 'auth', 'auth_key', 'S3SecretKey', 'api key', 'private\tkey', 'Authorization',
  'Proxy-Authorization', 'Cookie', 'SimpleAesDrm', 'design', 'Kelvin\u212A',
  '=', ': ', ':', ':=', ' => ', '%3D', '%3d', '&', '%26', '?', '\\u0026', '"', "'", '\\"', '\\', '\\\\', ' ', '\t', '\n', '\r\n', '\\n', '\\t', ',', '|', '[', ']', '{', '}',
  '<', '>', '</', '<\\/', '<Token>', '</Token>', 'Bearer ', 'basic ', 'AWS ', '//', '://', 'rtmp://', 'https:\\/\\/', 'u:pw@', "u:p'w@", '@', '%3A%2F%2F', '%40',
  'host.example.com', '/a.mp4', 'x', 'abcdefgh12345678', 'AKIDxyz', '00', '0a', 'ff', '41', '\\u0070', 'caf\\u00e9', '-----BEGIN PRIVATE KEY-----',
  '-----END PRIVATE KEY-----', 'MIIEvQ', '/202003032017/', 'b91bad39a0f9c885ddebd6b6164de3c4', '/5e5b1b2a/', 'İ',
  hexBytes('token=x'), hexBytes('password=abcd', '\n'), hexBytes('sign=abcdef', '\\n'),
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((pieces) => pieces.join(''));

describe('the hints', () => {
  it('are written in lower case, as the text they read is', () => {
    for (const entry of ENTRIES) {
      for (const hint of entry.hints({ char: '.', gap: '', space: ' ' })) expect(hint, entry.name).toBe(hint.toLowerCase());
    }
  });

  // The scan decides alone whether a payload is walked: a pass that changed text without its hint
  // would be skipped in every payload whose other strings hold none.
  it.each(PIPELINE.map((rule) => [rule.name, rule] as const))('leave no text that %s changes unread', (_name, rule) => {
    fc.assert(
      fc.property(text, (t) => {
        if (!holdsHintOf(rule, reading(JSON.stringify(t)))) expect(rule.mask(t, createMasking())).toBe(t);
      }),
      { numRuns: 3_000 },
    );
  });

  it('leave text without any of them as it is', () => {
    fc.assert(
      fc.property(text, (t) => {
        if (!holdsHint(reading(JSON.stringify(t)))) expect(maskText(t)).toBe(t);
      }),
      { numRuns: 3_000 },
    );
  });
});
