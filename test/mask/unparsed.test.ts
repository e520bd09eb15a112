import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../src/json';
import { scanJson } from '../../src/json-scan';
import { MASK } from '../../src/mask/rule';
import { createMasking } from '../../src/mask/text';
import { unparsedMasking } from '../../src/mask/unparsed';
import { maskWalk } from '../../src/mask/walk';

/** JSON text masked as mask/unparsed.ts masks it, in one scan; `canonical` unless said. */
function masked(json: string, canonical = true): string {
  let out = '';
  const masker = unparsedMasking(json, canonical, createMasking(false), (piece) => (out += piece));
  expect(scanJson(json, masker)).toBe(true);
  masker.finish();
  return out;
}

/** As the walk masks the value, with JSON inside strings read as text. */
const walked = (value: unknown) => maskWalk(value, createMasking(false).text).value;

describe('JSON text masked without parsing it', () => {
  // Masked as one text, each of these is no longer JSON, or loses the key after the header.
  it.each<[string, unknown, unknown]>([
    ['a secret key whose value is an object', { a: { S3SecretKey: { v: 1 }, list: ['x'] } }, { a: { S3SecretKey: MASK, list: ['x'] } }],
    ['a secret key whose value is an array', { password: ['a', 'b'], n: 1 }, { password: MASK, n: 1 }],
    ['a header up to the string that holds it', { h: 'Authorization: AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=', n: 1 }, { h: `Authorization: AWS ${MASK}`, n: 1 }],
    ['a token before a quote', { m: 'x-cos-security-token: abc"def', z: 1 }, { m: `x-cos-security-token: ${MASK}"def`, z: 1 }],
  ])('masks %s and keeps JSON, and every other key', (_what, value, expected) => {
    const out = masked(toJson(value));
    expect(JSON.parse(out)).toEqual(expected);
    expect(JSON.parse(out)).toEqual(walked(value));
  });

  it('keeps an empty, null or masked secret value, and the text around what it masks byte for byte', () => {
    const json = '{ "Sign" : "" , "token":null, "password":"******", "b": [1.50, 2e3], "u": "https://u:pw@h.example.com/", "k" : "\\u00e9" }';
    expect(masked(json, false)).toBe(`{ "Sign" : "" , "token":null, "password":"******", "b": [1.50, 2e3], "u": "https://${MASK}@h.example.com/", "k" : "\\u00e9" }`);
  });

  it('masks a key, and the value of one that names a secret once masked or unescaped', () => {
    expect(JSON.parse(masked('{"https://u:pw@h.example.com/":1,"p\\u0061ssword":{"x":[1]},"n":2}', false))).toEqual({ [`https://${MASK}@h.example.com/`]: 1, password: MASK, n: 2 });
  });

  it('reads a string that a text payload writes with escapes as JSON.stringify would write it', () => {
    expect(JSON.parse(masked('{"m":"p\\u0061ssword=hunter2 \\u0068ttps://u:pw@h.example.com/"}', false))).toEqual({ m: `password=${MASK} https://${MASK}@h.example.com/` });
  });

  it('masks a string of megabytes in pieces, without splitting a surrogate pair', () => {
    const value = { m: `${'😀'.repeat(100_000)} password=hunter2 ${'é'.repeat(100_000)}` };
    const out = masked(toJson(value));
    expect(out).toBe(toJson(walked(value)));
    expect(out).not.toContain('hunter2');
  });

  it('masks what the walk masks, string by string, in any JSON', () => {
    const secret = fc.constantFrom('S3SecretKey', 'Password', 'x-api-key', 'Sign', 'Message');
    const text = fc.oneof(fc.string(), fc.constantFrom('token=abc', 'https://u:pw@h.example.com/p', 'Authorization: Bearer abc.def', '<Password>x</Password>', '{"password":"x"}'));
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('value')), fc.dictionary(fc.oneof(secret, fc.string()), tie('value'))),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(masked(toJson(value))).toBe(toJson(walked(value)));
      }),
      { numRuns: 2_000 },
    );
  });
});
