import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskedJson, maskSecrets } from '../../src/mask/payload';
import { MASK } from '../../src/mask/rule';
import { fixture } from '../support/fixtures';
import { hexBytes } from '../support/hex-bytes';

describe('maskSecrets', () => {
  it('masks the S3 keys MPS puts in input and output storage, at any depth', () => {
    const event = fixture('events/workflow-task-s3-secrets.json');
    const text = JSON.stringify(maskSecrets(event));
    expect(JSON.stringify(event)).toContain('FIXTURE-S3-SECRET-KEY-NOT-REAL');
    expect(text).not.toContain('NOT-REAL');
    expect(text).toContain(`"S3SecretId":"${MASK}"`);
    expect(text).toContain(`"S3SecretKey":"${MASK}"`);
    expect(text).toContain(`"password":"${MASK}"`);
    expect(text).toContain('"note":"kept"');
  });

  it.each([
    'S3SecretKey',
    'SecretId',
    'client_secret',
    'Password',
    'db_passwd',
    'pwd',
    'passphrase',
    'SessionToken',
    'AccessKeyId',
    'private_key',
    'pass',
    'pass_word',
    'Credentials',
    'Authorization',
    'x-api-key',
    'apiKey',
    'api_key',
    'Cookie',
    'Set-Cookie',
    'Signature',
    'Sign',
    'sig',
    'q-ak',
    'auth',
    'auth_key',
  ])(
    'masks a key named %s, whatever its value',
    (key) => {
      expect(maskSecrets({ [key]: 'value' })).toEqual({ [key]: MASK });
      expect(maskSecrets({ [key]: { nested: 1 } })).toEqual({ [key]: MASK });
      expect(maskSecrets([{ [key]: 42 }])).toEqual([{ [key]: MASK }]);
    },
  );

  it('masks credentials in keys too', () => {
    expect(maskSecrets({ ExtInfo: { 'https://user:hunter2@h.example.com/': 1, 'password=hunter2': 2 } })).toEqual({
      ExtInfo: { [`https://${MASK}@h.example.com/`]: 1, [`password=${MASK}`]: MASK },
    });
  });

  it("masks MPS's DRM content key with its settings", () => {
    const input = { DrmInfo: { Type: 'simpleaes', SimpleAesDrm: { Uri: 'https://keys.example.com/k', Key: '0123456789abcdef0123456789abcdef', Vector: '00' } } };
    expect(maskSecrets(input)).toEqual({ DrmInfo: { Type: 'simpleaes', SimpleAesDrm: MASK } });
  });

  it('keeps empty secret fields empty, so the record shows none was sent', () => {
    expect(maskSecrets({ S3SecretKey: '', S3SecretId: null })).toEqual({ S3SecretKey: '', S3SecretId: null });
  });

  it('leaves other keys and values alone, and does not modify its input', () => {
    const input = { TaskId: 't', Bucket: 'b', List: [1, 'two', null, { Secret: 's' }] };
    const copy = structuredClone(input);
    expect(maskSecrets(input)).toEqual({ TaskId: 't', Bucket: 'b', List: [1, 'two', null, { Secret: MASK }] });
    expect(input).toEqual(copy);
  });

  it('keeps a "__proto__" key as a plain key', () => {
    const payload = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    expect(JSON.stringify(maskSecrets(payload))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('is the identity on JSON with no secret-like keys', () => {
    // Userinfo is a credential too: "//" then "@" reads as "//user@" where it starts a URL.
    const clean = (t: string) => !/secret|passw|pwd|passphrase|token|credential|private|access|api|auth|sig|cookie|q.?ak|:\/\/|\/\/.*@|bearer|basic/i.test(t);
    const safeKey = fc.string().filter(clean);
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string().filter(clean),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value')),
        fc.dictionary(safeKey, tie('value')),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(JSON.stringify(maskSecrets(v))).toBe(JSON.stringify(v));
      }),
    );
  });
});

describe('maskedJson', () => {
  it('serializes a payload with no secret-like words once, without copying it', () => {
    const payload = { EventType: 'WorkflowTask', List: [1, 2] };
    const { json, value } = maskedJson(payload);
    expect(json).toBe(JSON.stringify(payload));
    expect(value).toBe(payload);
  });

  it('masks a payload whose text holds a secret-like word, and serializes the masked copy', () => {
    const payload = fixture('events/workflow-task-s3-secrets.json');
    const { json, value } = maskedJson(payload);
    expect(value).toEqual(maskSecrets(payload));
    expect(json).toBe(JSON.stringify(maskSecrets(payload)));
    expect(json).not.toContain('NOT-REAL');
  });

  it('takes the masking path for a secret-like word in a value too, which changes nothing there', () => {
    const payload = { Message: 'token expired' };
    expect(maskedJson(payload)).toEqual({ json: '{"Message":"token expired"}', value: payload });
  });

  it('reads undefined as null', () => {
    expect(maskedJson(undefined)).toEqual({ json: 'null', value: null });
  });

  it('masks a key whose characters JSON escapes', () => {
    const payload = JSON.parse('{"private\\u0001key": "value", "se\\u017Fcret": 1}');
    expect(JSON.parse(maskedJson(payload).json)).toEqual({ 'private\u0001key': MASK, 'se\u017Fcret': 1 });
  });

  // JSON writes a tab, a newline or a quote as two characters, where the rules read one.
  it.each([
    [{ 'api\tkey': 'k-planted' }],
    [{ 'pass"word': 'hunter2' }],
    [{ 'q\fak': 'AKIDplanted' }],
    [{ 'auth\bkey': 'planted' }],
    [{ Message: 'sign\n: planted' }],
    [{ Message: 'see /a.mp4?sig\t=planted' }],
    [{ Message: 'auth\r\n: planted' }],
    [{ Message: 'pass"\t= planted' }],
  ])('masks a name whose separator JSON escapes: %j', (payload) => {
    for (const event of [payload, { ...payload, Sign: 'd41d8cd98f00b204e9800998ecf8427e' }]) {
      const { json, value } = maskedJson(event);
      expect(json).not.toContain('planted');
      expect(json).toBe(JSON.stringify(maskSecrets(event)));
      expect(value).toEqual(maskSecrets(event));
    }
  });

  it('masks the same as the walk when JSON escapes what stands between a name and its value', () => {
    const between = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\f', '\v', '\b', '"', "'", '\\', '\u0001', '\u2028'), maxLength: 3 });
    const name = fc.tuple(fc.constantFrom('api|key', 'pass|word', 'q|ak', 'auth|key', 'private|key', 'access|key', 'aes|drm', 'Sign|', 'sig|', 'auth|', 'pass|'), between).map(([n, s]) => n.replace('|', s));
    fc.assert(
      fc.property(name, between, fc.constantFrom(':', '=', '%3D'), fc.boolean(), (key, gap, separator, signed) => {
        const payload = { [key]: 'planted', Message: `${key.replace(/[^A-Za-z].*$/, '')}${gap}${separator}planted`, ...(signed ? { Sign: 's' } : {}) };
        const { json, value } = maskedJson(payload);
        expect(json).toBe(JSON.stringify(maskSecrets(payload)));
        expect(value).toEqual(maskSecrets(payload));
      }),
      { numRuns: 2_000 },
    );
  });

  it('masks keys in place by copying only the objects on the way to them', () => {
    const payload = { Sign: 'd41d8cd98f00b204e9800998ecf8427e', Task: { Output: { Path: '/o.mp4' }, Input: { S3SecretKey: 'planted' } }, List: [{ a: 1 }] };
    const copy = structuredClone(payload);
    const { json, value } = maskedJson(payload);
    expect(json).toBe(JSON.stringify(maskSecrets(payload)));
    expect(value).toEqual(maskSecrets(payload));
    expect(payload).toEqual(copy);
    const masked = value as typeof payload;
    expect(masked.List).toBe(payload.List);
    expect(masked.Task.Output).toBe(payload.Task.Output);
    expect(masked.Task).not.toBe(payload.Task);
  });

  it('masks keys in place under a "__proto__" key, which stays a plain key', () => {
    const payload = JSON.parse('{"__proto__":{"Sign":"planted","x":1},"a":[{"Sign":"planted"}],"Sign":""}');
    const { json, value } = maskedJson(payload);
    expect(json).toBe(`{"__proto__":{"Sign":"${MASK}","x":1},"a":[{"Sign":"${MASK}"}],"Sign":""}`);
    expect(JSON.stringify(value)).toBe(json);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('masks keys in place also in text that lower-casing lengthens (İ is two characters in lower case)', () => {
    const payload = { Title: 'İ'.repeat(40), 'x-api-key': 'planted', List: [{ a: 1 }], Sign: 's' };
    const { json, value } = maskedJson(payload);
    expect(json).toBe(JSON.stringify(maskSecrets(payload)));
    expect((value as typeof payload).List).toBe(payload.List);
  });

  it('reads a key with an escaped quote whole: a"sign names no secret', () => {
    const payload = { 'a"sign': 'kept', 'b\\"sign': 'kept', Sign: 's' };
    const { json } = maskedJson(payload);
    expect(json).toBe(JSON.stringify(maskSecrets(payload)));
    expect(json.match(/kept/g)).toHaveLength(2);
  });

  it('gives the masked text parsed when the payload is not JSON data, which JSON.stringify writes its own way', () => {
    class Clip {
      constructor(readonly path: string) {}
    }
    for (const other of [new Date(0), undefined, Number.NaN, new Clip('/a.mp4'), { toJSON: () => ({ token: 'planted' }) }]) {
      const { json, value } = maskedJson({ Sign: 's', Other: other, List: [other] });
      expect(json).not.toContain('planted');
      expect(value).toEqual(JSON.parse(json));
    }
  });

  it('masks a key 50,000 levels deep in place', () => {
    let payload: unknown = { Sign: 'planted' };
    for (let i = 0; i < 50_000; i++) payload = { a: payload };
    const { json, value } = maskedJson(payload);
    expect(json).toBe(`${'{"a":'.repeat(50_000)}{"Sign":"${MASK}"}${'}'.repeat(50_000)}`);
    let bottom = value as { a?: unknown; Sign?: unknown };
    while (bottom.a) bottom = bottom.a as typeof bottom;
    expect(bottom).toEqual({ Sign: MASK });
  });

  it.each([
    ['a megabyte of a name before escaped gaps', { Message: 'sign\t\n"\\'.repeat(100_000), Sign: 's' }],
    ['a megabyte of escaped quotes before a hint', { Message: `${'"'.repeat(500_000)}token`, Sign: 's' }],
    ['a megabyte of backslashes', { Message: '\\'.repeat(1_000_000), Sign: 's' }],
    ['fifty thousand keys that hint and are no secret', { ...Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`${i}design`, 'x'])), Sign: 's' }],
    ['a megabyte of URL starts', { Message: '//a'.repeat(350_000), Sign: 's' }],
    ['a megabyte of bytes in hex between newlines', { Message: '0a\n'.repeat(350_000), Sign: 's' }],
    ['a megabyte of seven bytes in hex at a time', { Message: ' 00\t00\t00\t00\t00\t00\t00 x'.repeat(40_000), Sign: 's' }],
    ['a megabyte of spaces', { Message: ' '.repeat(1_000_000), Sign: 's' }],
  ])('reads %s in one pass', (_what, payload) => {
    expect(maskedJson(payload).json).toContain(`"Sign":"${MASK}"`);
  });

  // Whether its hints lie in keys only (masked in the text) or in values too (walked).
  it('always gives what masking the whole payload gives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.oneof(fc.constantFrom('S3SecretKey', 'Password', 'private\u0001key', 'Other'), fc.string({ unit: 'binary' })), (v, key) => {
        const payload = { [key]: v, Nested: [{ [key]: 'x' }] };
        const { json, value } = maskedJson(payload);
        expect(json).toBe(JSON.stringify(maskSecrets(payload)));
        expect(value).toEqual(maskSecrets(payload));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('planted secrets', () => {
  const marker = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((s) => `Pl4nt${s}`);
  /** Each rule, as a way to carry a secret: a key and value, or a text around it. */
  const planters: ((secret: string) => unknown)[] = [
    ...['S3SecretKey', 'Password', 'x-api-key', 'Authorization', 'Cookie', 'Signature', 'Sign', 'q-ak', 'passphrase', 'access_token'].map(
      (key) => (secret: string) => ({ [key]: secret }),
    ),
    (secret) => `https://user:${secret}@host.example.com/path`,
    (secret) => `https://${secret}@host.example.com/path`,
    ...['q-ak', 'q-signature', 'x-cos-security-token', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Security-Token', 'sign', 'auth_key', 'sig', 'token'].map(
      (param) => (secret: string) => `https://host.example.com/a.mp4?x=1&${param}=${secret}&y=2`,
    ),
    (secret) => `Authorization: Bearer ${secret}`,
    (secret) => `Set-Cookie: session=${secret}; HttpOnly`,
    (secret) => JSON.stringify({ note: 'n', password: secret }),
    (secret) => JSON.stringify(JSON.stringify({ deeper: [{ apiKey: secret }] })),
    (secret) => JSON.stringify({ cb: `https://user:${secret}@h.example.com/` }).replace(/\//g, '\\/'),
    (secret) => `https%3A%2F%2Fb.example.com%2Fk%3Fq-ak%3D${secret}%26x%3D1`,
    (secret) => ({ [`https://user:${secret}@h.example.com/`]: 1 }),
    (secret) => `body: {"password":["${secret}"]}`,
    (secret) => `https://user:a@${secret}@host.example.com/`,
    (secret) => ({ SimpleAesDrm: { Key: secret } }),
    (secret) => `<Error><AWSAccessKeyId>${secret}</AWSAccessKeyId></Error>`,
    (secret) => `<Sign>${secret}</Sign>`,
    (secret) => `{ 'password' => '${secret}' }`,
    (secret) => `rtmp://user:pa'${secret}@live.example.com/app`,
    (secret) => `CanonicalRequestBytes: ${hexBytes(`host:b.s3.amazonaws.com\nx-amz-security-token:${secret}\n`)}`,
  ];

  /** Puts a value at a place chosen by `path` inside `json`, or beside it when there is no such place. */
  function plant(json: unknown, value: unknown, path: number[], text: string): unknown {
    let here = json;
    for (const step of path) {
      if (Array.isArray(here) && here.length > 0) {
        const next = here[step % here.length];
        if (typeof next === 'object' && next !== null) {
          here = next;
          continue;
        }
      } else if (here !== null && typeof here === 'object') {
        const values = Object.values(here).filter((v) => typeof v === 'object' && v !== null);
        if (values.length > 0) {
          here = values[step % values.length];
          continue;
        }
      }
      break;
    }
    const carried = typeof value === 'string' ? `${text} ${value} ${text}` : value;
    if (Array.isArray(here)) here.push(carried);
    else if (here !== null && typeof here === 'object') (here as Record<string, unknown>)[`planted${path.length}`] = carried;
    else return { original: json, planted: carried };
    return json;
  }

  it('leaves no planted secret in the stored JSON, whatever the JSON around it', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(fc.tuple(fc.nat(planters.length - 1), marker, fc.array(fc.nat(), { maxLength: 6 }), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 5 }),
        (json, plants) => {
          let payload: unknown = structuredClone(json);
          for (const [rule, secret, path, text] of plants) payload = plant(payload, planters[rule]!(secret), path, text);
          const { json: stored } = maskedJson(payload);
          for (const [, secret] of plants) {
            expect(stored).not.toContain(secret);
            expect(stored).not.toContain(hexBytes(secret));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
