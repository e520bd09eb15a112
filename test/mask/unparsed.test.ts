import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { toJson } from '../../src/json';
import { bothVisitors, scanJson, type JsonVisitor } from '../../src/json-scan';
import { maskedJson } from '../../src/mask/payload';
import { MASK } from '../../src/mask/rule';
import { createMasking } from '../../src/mask/text';
import { maskTextOnly, unparsedMasking } from '../../src/mask/unparsed';
import { maskWalk } from '../../src/mask/walk';
import { fixture, fixtureNames } from '../support/fixtures';

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

  it("tells what it put in place of a value, by where the value starts: a string, or a secret key's whole value", () => {
    const json = '{"m":"token=abc","TokenEvent":{"TaskId":"t"},"Sign":"x","password":"","n":"plain"}';
    const masker = unparsedMasking(json, true, createMasking(false), () => {});
    const told: [string, string | undefined][] = [];
    const opened: number[] = [];
    const probe: JsonVisitor = {
      open: (at) => void opened.push(at),
      close: () => {
        const at = opened.pop()!;
        told.push([json.slice(at, at + 9), masker.maskedAt(at)]);
      },
      scalar: (start, end) => void told.push([json.slice(start, end), masker.maskedAt(start)]),
    };
    expect(scanJson(json, bothVisitors(masker, probe))).toBe(true);
    expect(told).toEqual([
      ['"token=abc"', `token=${MASK}`],
      ['"t"', undefined],
      ['{"TaskId"', MASK],
      ['"x"', MASK],
      ['""', undefined],
      ['"plain"', undefined],
      ['{"m":"tok', undefined],
    ]);
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

  it('masks text that is not JSON, whole, by the passes over text', () => {
    for (const text of ['{"a": b, "m": "password=planted"}', '"open password=planted', '["\\x", "password=planted"]', '"a\u0001 password=planted"', '{"m": "password=planted", "Sign": }', 'token: planted']) {
      expect(maskTextOnly(text), text).toBe(createMasking(false).text(text));
      expect(maskTextOnly(text), text).not.toContain('planted');
    }
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

describe('maskTextOnly', () => {
  it('masks JSON text without parsing it into values: only its strings are decoded', () => {
    const text = JSON.stringify({ Message: 'Authorization: AWS AKIA:planted', SessionContext: JSON.stringify({ password: 'planted' }), Sign: 'planted' });
    const parse = vi.spyOn(JSON, 'parse');
    let masked: string;
    try {
      masked = maskTextOnly(text);
      expect(parse.mock.calls.map(([given]) => given[0])).not.toContain('{');
    } finally {
      parse.mockRestore();
    }
    expect(masked).not.toContain('planted');
    expect(JSON.parse(masked)).toEqual({ Message: `Authorization: AWS ${MASK}`, SessionContext: JSON.stringify({ password: MASK }), Sign: MASK });
  });

  it('masks text that is not JSON by the passes over text', () => {
    expect(maskTextOnly('{not JSON: password=planted')).toBe(`{not JSON: password=${MASK}`);
  });

  it('reads a megabyte of nested JSON in one pass', () => {
    const text = `${'{"a":['.repeat(100_000)}"password=planted"${']}'.repeat(100_000)}`;
    expect(maskTextOnly(text)).toBe(text.replace('planted', MASK));
  });
});
