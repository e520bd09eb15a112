import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskJsonTokens } from '../../src/mask/json-tokens';
import { maskedJson } from '../../src/mask/payload';
import { MASK } from '../../src/mask/rule';
import { maskTextOnly } from '../../src/mask/text';
import { fixture, fixtureNames } from '../support/fixtures';

const parsed = (text: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
};

/** Masked JSON text parsed, with each string that held JSON in the text given parsed too: it must still hold JSON. */
function parsedAlike(given: string, masked: string): unknown {
  const root = { value: JSON.parse(masked) as unknown };
  const work: [given: unknown, masked: unknown, holder: Record<string, unknown>, key: string][] = [[JSON.parse(given), root.value, root, 'value']];
  for (let item = work.pop(); item; item = work.pop()) {
    const [from, to, holder, key] = item;
    if (typeof from === 'string' && typeof to === 'string' && to !== MASK && parsed(from)) {
      const inner = parsed(to);
      if (!inner) throw new Error(`no longer JSON: ${to}`);
      holder[key] = inner.value;
      work.push([parsed(from)!.value, inner.value, holder, key]);
    } else if (from !== null && typeof from === 'object' && to !== null && typeof to === 'object') {
      const froms = Object.values(from);
      for (const [i, k] of Object.keys(to).entries()) work.push([froms[i], (to as Record<string, unknown>)[k], to as Record<string, unknown>, k]);
    }
  }
  return root.value;
}

describe('maskTextOnly, on JSON text', () => {
  // Each was text the passes over text alone left invalid: a value took the quote that closed the
  // string it stood in, or JSON quoted in a string was read as prose.
  it.each([
    ['an empty value at the end of a string', { m: 'https://h.example.com/a.mp4?token=', k: 'v' }, { m: 'https://h.example.com/a.mp4?token=', k: 'v' }],
    ['a quote that never closes', { m: "password='planted", k: 'v' }, { m: `password='${MASK}'`, k: 'v' }],
    ['a value ending in a backslash', { m: 'token=planted\\', k: 'x\\' }, { m: `token=${MASK}`, k: 'x\\' }],
    ['a header ending in =', { m: 'Authorization: Basic cGxhbnRlZA==', Sign: 's' }, { m: `Authorization: Basic ${MASK}`, Sign: MASK }],
    ['a signed URL in SessionContext', { SessionContext: JSON.stringify({ url: 'https://h.example.com/?sign=planted' }) }, { SessionContext: JSON.stringify({ url: `https://h.example.com/?sign=${MASK}` }) }],
    [
      "STS's credentials in SessionContext",
      { SessionContext: JSON.stringify({ Credentials: { Token: 'planted', TmpSecretId: 'AKIDplanted' }, k: 1 }) },
      { SessionContext: JSON.stringify({ Credentials: MASK, k: 1 }) },
    ],
    ['a header in SessionContext', { SessionContext: JSON.stringify({ h: 'Authorization: Basic cGxhbnRlZA==', k: 'v' }) }, { SessionContext: JSON.stringify({ h: `Authorization: Basic ${MASK}`, k: 'v' }) }],
    ['a list under a secret name', { SessionContext: JSON.stringify({ token: [1, 2], k: 'v' }), password: { a: ['x'] } }, { SessionContext: JSON.stringify({ token: MASK, k: 'v' }), password: MASK }],
    ['JSON in a string in a string', { s: JSON.stringify({ t: JSON.stringify({ sign: 'planted', k: 'v' }) }) }, { s: JSON.stringify({ t: JSON.stringify({ sign: MASK, k: 'v' }) }) }],
  ])('keeps JSON valid and masked: %s', (_what, given, kept) => {
    const text = JSON.stringify(given);
    const masked = maskTextOnly(text);
    expect(masked).not.toContain('planted');
    expect(parsedAlike(text, masked)).toEqual(parsedAlike(JSON.stringify(kept), JSON.stringify(kept)));
  });

  it('keeps numbers, whitespace, escapes and key order as written', () => {
    const text = '{ "n": 1.50e+2, "é": "caf\\u00e9", "b": [true, false, null],\n  "Sign" : "planted", "e": "" }';
    expect(maskTextOnly(text)).toBe(`{ "n": 1.50e+2, "é": "caf\\u00e9", "b": [true, false, null],\n  "Sign" : "${MASK}", "e": "" }`);
  });

  it('reads names and URLs written with escapes, as a sender may write them', () => {
    const text = '{"\\u0070assword":"planted","u":"https:\\/\\/u:planted@h.example.com\\/a","n":"caf\\u00e9"}';
    expect(maskTextOnly(text)).toBe(`{"\\u0070assword":"${MASK}","u":"https://${MASK}@h.example.com/a","n":"caf\\u00e9"}`);
  });

  it('keeps an empty value of a secret name empty, as the walk does', () => {
    expect(maskTextOnly('{"S3SecretKey":"","Password":null,"Sign":"******"}')).toBe('{"S3SecretKey":"","Password":null,"Sign":"******"}');
  });

  it('masks each event as maskedJson does', () => {
    for (const name of [...fixtureNames('events'), ...fixtureNames('invalid')]) {
      const event = fixture(name);
      expect(JSON.parse(maskTextOnly(JSON.stringify(event))), name).toEqual(maskedJson(event).value);
    }
  });

  it('gives undefined for text that is not JSON, which the passes over text then mask', () => {
    for (const text of ['{"a": b}', '"open', '["\\x"]', '"a\u0001"', '{"Sign": }', 'token: x']) expect(maskJsonTokens(text, (t) => t), text).toBeUndefined();
  });

  it('keeps any JSON valid, and masks it once for all', () => {
    const planted = fc.constantFrom(
      'Authorization: Basic cGxhbnRlZA==',
      'https://u:planted@h.example.com/',
      '{"Token":"planted"}',
      'a=1&sign=planted',
      '<SessionToken>planted</SessionToken>',
      '"password": "planted',
      'x-cos-security-token=planted\\',
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), planted, tie('json'), tie('object'), fc.array(tie('node'), { maxLength: 4 })),
      json: tie('node').map((v) => JSON.stringify(v)),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('Sign', 'password', 'S3SecretKey', 'Token', 'https://u:planted@h/')), tie('node'), { maxKeys: 4 }),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom('', ' ', '\n  '), (v, space) => {
        const text = JSON.stringify(v, null, space);
        const masked = maskTextOnly(text);
        expect(() => parsedAlike(text, masked)).not.toThrow();
        expect(masked).not.toContain('planted');
        expect(maskTextOnly(masked)).toBe(masked);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('maskTextOnly, on hostile JSON text', () => {
  // Linear takes milliseconds; a pass that read each token's rest again would take hours.
  it.each([
    ['keys of secret names, nested', `${'{"Sign":'.repeat(125_000)}1${'}'.repeat(125_000)}`, `{"Sign":"${MASK}"}`],
    ['keys of secret names, never closed', `${'{"Sign":'.repeat(125_000)}1`, `{"Sign":${MASK}`],
    ['strings that hint', `[${'"token=planted",'.repeat(70_000)}1]`, `"token=${MASK}",1]`],
    ['escaped names', `[${'"\\u0070assword=planted",'.repeat(40_000)}1]`, `"password=${MASK}",1]`],
    ['strings that open as JSON', `[${'"[\\"token=planted\\"]",'.repeat(40_000)}1]`, `"[\\"token=${MASK}\\"]",1]`],
    ['a string never closed', `["token=planted", "${'a'.repeat(1_000_000)}`, `["token=${MASK}", "aaa`],
  ])('reads a megabyte of %s in one pass', (_what, text, kept) => {
    const masked = maskTextOnly(text);
    expect(masked).not.toContain('planted');
    expect(masked).toContain(kept);
  });

  it('reads JSON nested in strings sixteen levels deep once per level', () => {
    let text = JSON.stringify({ password: 'planted', blob: 'a'.repeat(1_000) });
    for (let level = 1; level < 16; level++) text = JSON.stringify({ password: 'planted', inner: text });
    expect(maskTextOnly(JSON.stringify({ SessionContext: text }))).not.toContain('planted');
  });
});
