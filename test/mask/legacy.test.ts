import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { maskedJson, maskSecrets } from '../../src/mask/payload';
import { MASK } from '../../src/mask/rule';
import { maskText } from '../../src/mask/text';
import { fixture } from '../support/fixtures';

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

/** Text as S3 quotes bytes in an error: each in hex, separated by spaces (or by `separator`). */
const hexBytes = (text: string, separator = ' ') => [...Buffer.from(text)].map((b) => b.toString(16).padStart(2, '0')).join(separator);

/** One row per rule of the README's table "What is masked": a text as it may arrive, and as it is kept. */
const RULES: [rule: string, given: string, kept: string][] = [
  ['userinfo in a URL', 'fetch ftp://user:hunter2@files.example.com/in.mp4 failed', `fetch ftp://${MASK}@files.example.com/in.mp4 failed`],
  ['a token as userinfo', 'https://ghp_abcdef0123@git.example.com/r.git', `https://${MASK}@git.example.com/r.git`],
  [
    'a presigned COS URL',
    'https://b-1250000000.cos.ap-guangzhou.myqcloud.com/in.mp4?q-sign-algorithm=sha1&q-ak=AKIDplanted&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature=0123456789abcdef0123456789abcdef01234567&x-cos-security-token=tokplanted',
    `https://b-1250000000.cos.ap-guangzhou.myqcloud.com/in.mp4?q-sign-algorithm=sha1&q-ak=${MASK}&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature=${MASK}&x-cos-security-token=${MASK}`,
  ],
  [
    'a presigned S3 URL',
    'https://b.s3.us-east-1.amazonaws.com/in.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAPLANTED%2F20261130%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261130T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGplanted&X-Amz-Signature=deadbeefplanted',
    `https://b.s3.us-east-1.amazonaws.com/in.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${MASK}&X-Amz-Date=20261130T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=${MASK}&X-Amz-Signature=${MASK}`,
  ],
  [
    'VOD Key hotlink protection',
    'https://1250000000.vod2.myqcloud.com/v.mp4?t=6553f0a0&exper=60&rlimit=3&us=72d4cd1101&sign=61a6e0c0b27e4e3a8e3b7d1a1d3a0d2c',
    `https://1250000000.vod2.myqcloud.com/v.mp4?t=6553f0a0&exper=60&rlimit=3&us=72d4cd1101&sign=${MASK}`,
  ],
  [
    'CDN TypeA',
    'http://cdn.example.com/test.jpg?sign=1582791032-im1acp76sx9sdqe601v-0-dd63f95e739ed4b47427a129d21ef4e3',
    `http://cdn.example.com/test.jpg?sign=${MASK}`,
  ],
  ['CDN TypeB', 'http://cdn.example.com/202003032017/b91bad39a0f9c885ddebd6b6164de3c4/test.jpg', `http://cdn.example.com/202003032017/${MASK}/test.jpg`],
  ['CDN TypeC', 'http://cdn.example.com/b91bad39a0f9c885ddebd6b6164de3c4/5e5b1b2a/test.jpg', `http://cdn.example.com/${MASK}/5e5b1b2a/test.jpg`],
  ['CDN TypeD', 'http://cdn.example.com/test.jpg?sign=0f8201d814dfaf64cf54e74c5f7dbcb0&t=1582791032', `http://cdn.example.com/test.jpg?sign=${MASK}&t=1582791032`],
  ['named values in text', 'retry with password=hunter2 and api_key: k-123', `retry with password=${MASK} and api_key: ${MASK}`],
  ['quoted values', `{"token": "two words", 'secret'='x y'`, `{"token": "${MASK}", 'secret'='${MASK}'`],
  ['headers', 'Authorization: Bearer eyJhbGciOi.planted\nCookie: sid=1; theme=dark\nX-Api-Key: k', `Authorization: Bearer ${MASK}\nCookie: ${MASK}\nX-Api-Key: ${MASK}`],
  ['a bearer credential alone', 'sent Bearer abcdefgh12345678 upstream', `sent Bearer ${MASK} upstream`],
  ['JSON inside a string', '{"user":"u","password":"hunter2","nested":{"credentials":{"id":"x"}}}', `{"user":"u","password":"${MASK}","nested":{"credentials":"${MASK}"}}`],
  // What an adversarial review found the first rules missed.
  ['JSON inside a string with escaped slashes', '{"cb":"https:\\/\\/user:hunter2@host.example.com\\/hook"}', '{"cb":"https:\\/\\/******@host.example.com\\/hook"}'],
  ['JSON inside a string with an escaped name', '{"\\u0070assword":"hunter2"}', `{"password":"${MASK}"}`],
  ['JSON inside a string with an escaped "@"', '{"u":"https://user:hunter2\\u0040host/"}', `{"u":"https://${MASK}@host/"}`],
  [
    'a signed URL inside an encoded URL',
    'https://p.example.com/play?u=https%3A%2F%2Fb.example.com%2Fk%3Fq-sign-algorithm%3Dsha1%26q-ak%3DAKIDleak%26q-signature%3Dleak&x=1',
    `https://p.example.com/play?u=https%3A%2F%2Fb.example.com%2Fk%3Fq-sign-algorithm%3Dsha1%26q-ak%3D${MASK}%26q-signature%3D${MASK}&x=1`,
  ],
  ['encoded userinfo', 'next=https%3A%2F%2Fuser%3Ahunter2%40host.example.com%2Fa', `next=https%3A%2F%2F${MASK}%40host.example.com%2Fa`],
  ['parameters after an escaped "&"', 'see /a.mp4?t=1\\u0026q-ak=AKIDleak\\u0026sign=dd63f95e739ed4b47427a129d21ef4e3 (not JSON)', `see /a.mp4?t=1\\u0026q-ak=${MASK}\\u0026sign=${MASK} (not JSON)`],
  ['an array or object value in prose', 'request body: {"password":["hunter2"], "k": 1} and {"token":{"v":"x}y"}} end', `request body: {"password":${MASK}, "k": 1} and {"token":${MASK}} end`],
  ['an "@" inside a password', 'https://user:hun@ter2@host.example.com/x', `https://${MASK}@host.example.com/x`],
  ['userinfo after a bare "//"', 'src=//user:pw@host.example.com/a', `src=//${MASK}@host.example.com/a`],
  [
    "S3's SignatureDoesNotMatch error, quoted in a message",
    'download failed: <Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIAPLANTED</AWSAccessKeyId><SignatureProvided>planted</SignatureProvided><RequestId>R1</RequestId></Error>',
    `download failed: <Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>${MASK}</AWSAccessKeyId><SignatureProvided>${MASK}</SignatureProvided><RequestId>R1</RequestId></Error>`,
  ],
  [
    'XML elements named by the rules, under a namespace prefix too',
    '<Credentials><TmpSecretId>AKIDplanted</TmpSecretId><sts:SessionToken>planted</sts:SessionToken><Sign>planted</Sign><Password></Password><Expiration>2026</Expiration></Credentials>',
    `<Credentials><TmpSecretId>${MASK}</TmpSecretId><sts:SessionToken>${MASK}</sts:SessionToken><Sign>${MASK}</Sign><Password></Password><Expiration>2026</Expiration></Credentials>`,
  ],
  [
    "the request S3's error quotes in hex, holding a session token",
    `<SignatureProvided>x</SignatureProvided><StringToSignBytes>${hexBytes('AWS4-HMAC-SHA256\n20261130T000000Z')}</StringToSignBytes><CanonicalRequestBytes>${hexBytes('PUT\n/in.mp4\n\nhost:b.s3.amazonaws.com\nx-amz-security-token:FwoGplanted\n')}</CanonicalRequestBytes>`,
    `<SignatureProvided>${MASK}</SignatureProvided><StringToSignBytes>${hexBytes('AWS4-HMAC-SHA256\n20261130T000000Z')}</StringToSignBytes><CanonicalRequestBytes>${MASK}</CanonicalRequestBytes>`,
  ],
  ['=> and := in code', `opts = { 'password' => 'hunter2', :token=>x, api_key := "k-1" }`, `opts = { 'password' => '${MASK}', :token=>${MASK}, api_key := "${MASK}" }`],
  // Whole names hint only before a separator: an element's closing tag is one.
  ['an XML element named by a whole name, alone in its text', 'failed: <Sign>planted</Sign>', `failed: <Sign>${MASK}</Sign>`],
  ['an XML element under a prefix, named by a whole name', '<x:q-ak>planted</x:q-ak> <Pass>planted</Pass>', `<x:q-ak>${MASK}</x:q-ak> <Pass>${MASK}</Pass>`],
  ['an XML element, its closing tag kept as written', '<SessionToken>planted</SessionToken\n>', `<SessionToken>${MASK}</SessionToken\n>`],
  ['an XML element quoted in JSON text that escapes slashes', 'body: {"m":"<SessionToken>planted<\\/SessionToken>"}', `body: {"m":"<SessionToken>${MASK}<\\/SessionToken>"}`],
  // A value that starts with a backslash other than an escaped quote's is read as a bare value.
  ['a value after := that starts with a backslash', 'password:=\\hunter2 next', `password:=${MASK} next`],
  ['a value after ": " that starts with a backslash', 'token: \\hunter2', `token: ${MASK}`],
  ['a lower-case bearer', 'got bearer eyJhbGciOiJIUzI1NiJ9.e30.sig', `got bearer ${MASK}`],
  ['a folded cookie header', 'Cookie: a=1;\r\n c=secret\r\nHost: h', `Cookie: ${MASK}\r\nHost: h`],
];

describe('maskText', () => {
  it.each(RULES)('masks %s', (_rule, given, kept) => {
    expect(maskText(given)).toBe(kept);
  });

  it.each([
    'https://b-1250000000.cos.ap-guangzhou.myqcloud.com/in/video.mp4',
    'https://tokens.example.com:8443/videos/a.mp4',
    'https://signature-cdn.example.com:443/a/b.mp4',
    'Basic transcoding template applied',
    'design=1, signal: 2, author: Bob, assign=3',
    'task 2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7 finished',
    '{"Sessions":[1,2],"note":"  spaced  "}',
    'mailto:someone@example.com',
    '<Error><Code>NoSuchKey</Code><Key>in/token.mp4</Key><Message>token: <b>none</b></Message></Error>',
    'signal => 2, design := 3',
    // Lower-cased, the Kelvin sign reads "token": a hint, which the rules find to be no name.
    'to\u212Aen=abc',
    // Empty userinfo holds nothing to mask.
    'rtmp://@live.example.com/app',
    '//@',
    'next=https%3A%2F%2F%40host.example.com',
  ])('leaves %j as it is', (text) => {
    expect(maskText(text)).toBe(text);
  });

  // Masking what it masked changes nothing: a rule that masks a value must leave nothing that an
  // earlier rule, or itself, would take on a second reading.
  it.each([
    // A masked value takes the "<" that kept the element from being text only.
    ['<Token>x password="a<b" y</Token>', `<Token>${MASK}</Token>`],
    ['<Token>Cookie: a<b\n</Token>', `<Token>${MASK}</Token>`],
    ['<SessionToken>AKIDplanted token: [1,"<"]</SessionToken>', `<SessionToken>${MASK}</SessionToken>`],
    // What stands against a bracket's close would join the masked value as a bare one.
    ['token: {"a":1}x b', `token: ${MASK} b`],
    ['api_key := [1]x=y', `api_key := ${MASK}`],
  ])('masks %j once and for all', (text, kept) => {
    expect(maskText(text)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  it('masks the text of an XML element with attributes', () => {
    const masked = maskText('<Error><Password type="plain">planted</Password><Code>X</Code></Error>');
    expect(masked).not.toContain('planted');
    expect(masked).toMatch(/^<Error><Password type=.*>\*{6}<\/Password><Code>X<\/Code><\/Error>$/);
  });

  // Its hints are read in the text lower-cased, where İ becomes two characters: "api.?key" would
  // no longer find one between "api" and "key".
  it('masks a name that text lower-casing lengthens: apiİkey, in JSON inside a string', () => {
    expect(maskText('{"apiİkey":"planted"}')).toBe(`{"apiİkey":"${MASK}"}`);
  });

  // Text that is not JSON can quote JSON whose names are escaped; JSON.parse, which would read
  // them, never sees that text. Read again decoded, it is kept decoded where that masks more.
  it.each([
    ['body: {"\\u0070assword":"planted"}', `body: {"password":"${MASK}"}`],
    ['pass\\u0077ord=planted&x=1', `password=${MASK}&x=1`],
    ['{"\\u0054oken":"planted"', `{"Token":"${MASK}"`],
    ['?a=1\\u0026q\\u002dak=planted', `?a=1&q-ak=${MASK}`],
    ['x \\u0070assword=planted, sign=planted', `x password=${MASK}, sign=${MASK}`],
  ])('masks a name written with escapes in text that is not JSON: %s', (given, kept) => {
    expect(maskText(given)).toBe(kept);
  });

  // Decoded, an escaped quote or backslash is written as JSON's own escape of it, so that a value
  // stays whole and a decoded escape is no new one; what is not printable ASCII stays as written.
  it.each([
    ['body: {"\\u0070assword":"ab\\u0022cd"}', `body: {"password":"${MASK}"}`],
    ['\\u005cu0070assword=kept \\u0074oken=planted', `\\\\u0070assword=kept token=${MASK}`],
    ['body: {"\\\\u0070assword":"kept"}', 'body: {"\\\\u0070assword":"kept"}'],
    ['x \\u0070assword=planted caf\\u00e9 \\ud83d \\u0000', `x password=${MASK} caf\\u00e9 \\ud83d \\u0000`],
  ])('decodes only what JSON would read as printable ASCII: %s', (given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  it('keeps text with escapes as it is where decoding them masks nothing more', () => {
    expect(maskText('see \\u0026 sign=planted then caf\\u00e9')).toBe(`see \\u0026 sign=${MASK} then caf\\u00e9`);
  });

  // A key may name a secret in two words, as text may (README, "What is masked").
  it.each([
    ['upload failed, secret key: planted', `upload failed, secret key: ${MASK}`],
    ['API Key: planted', `API Key: ${MASK}`],
    ['access\tkey=planted&x=1', `access\tkey=${MASK}&x=1`],
    ['pass word: planted', `pass word: ${MASK}`],
    ['auth key=planted', `auth key=${MASK}`],
    ['{"API Key":"planted"} tail', `{"API Key":"${MASK}"} tail`],
  ])('masks a name of two words in text: %j', (given, kept) => {
    expect(maskText(given)).toBe(kept);
  });

  it.each(['the key: kept', 'sign in key: kept', 'api, key: kept'])('leaves a second word alone when the two make no name: %j', (text) => {
    expect(maskText(text)).toBe(text);
  });

  // JSON.parse keeps a repeated key's last value: the first must not hide from the JSON rules.
  it.each([
    ['{"Sign":"planted","Sign":""}', '{"Sign":""}'],
    ['{"password":"planted","password":null}', '{"password":null}'],
    ['{"p\\u0061ssword":"planted","password":"x"}', `{"password":"${MASK}"}`],
    ['{"password=a":{"k":"planted"},"password=b":""}', `{"password=${MASK}":"${MASK}","password=${MASK}~2":""}`],
    ['{"a":{"token":"planted","token":""},"b":1}', '{"a":{"token":""},"b":1}'],
  ])('masks JSON inside a string that repeats a key: %s', (given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskedJson({ SessionContext: given, Sign: 's' }).json).not.toContain('planted');
  });

  // Linear takes milliseconds here; a pattern that went quadratic would take hours, and the test
  // would fail on vitest's timeout. Each run was one that could.
  it('keeps the form of JSON inside a string when it masks it: numbers, key order, escapes', () => {
    const text = '{"user_id":1234567890123456789,"2":"b","1":"a","name":"caf\\u00e9","password":"x"}';
    expect(maskText(text)).toBe(`{"user_id":1234567890123456789,"2":"b","1":"a","name":"caf\\u00e9","password":"${MASK}"}`);
  });

  it.each([
    'a',
    'a.',
    'a ',
    'a://',
    'a= ',
    'token=',
    '"',
    'apiKey:\\"a',
    'token="a',
    'x://a@',
    'pwd',
    'token',
    'password:"\\"',
    'password:[',
    'password=\\"',
    '%3A%2F%2Fa',
    ' //a',
    '\\u0070',
    'a\\u0070=',
    'a key=',
    'x ',
    '<password>',
    '<password a',
    '<token>x<',
    '<a>74 6f 6b 65 6e 3d 78 78</a>',
    '74 6f 6b 65 6e 3d 78 78 | ',
    '00 ',
    '00 00 00 00 00 00 00 x',
    '00 00 00 00 00 00 00 00x',
    '0a\\n',
    '0a \t\r\n',
    '0 ',
    ' ',
    "x://'?@",
    "%3A%2F%2F'%2F%40",
  ])('reads a megabyte of %j in one pass', (run) => {
    const text = `token ${run.repeat(Math.ceil(1_000_000 / run.length))}`;
    expect(maskText(text)).toMatch(/^token /);
  });

  // Each level of JSON inside a string was walked up to three times, and each walk masked the
  // level inside it anew: sixteen levels (a megabyte), each naming a secret that only the JSON
  // rules read, took hours.
  it('reads JSON nested in strings sixteen levels deep once per level', () => {
    let text = `{"\\u0070assword":"planted","blob":"${'a'.repeat(1_000)}"}`;
    for (let level = 1; level < 16; level++) text = `{"\\u0070assword":"planted","inner":${JSON.stringify(text)}}`;
    let masked = JSON.parse(maskText(text)) as { password: string; inner?: string; blob?: string };
    for (let level = 1; level < 16; level++) {
      expect(masked.password).toBe(MASK);
      masked = JSON.parse(masked.inner!) as typeof masked;
    }
    expect(masked).toEqual({ password: MASK, blob: 'a'.repeat(1_000) });
  });
});

// RFC 3986 allows a "'" in userinfo unencoded (a '"', "<" or ">" it does not).
describe('userinfo holding a "\'"', () => {
  it.each([
    ['in a URL', "play rtmp://user:pa'ss@live.example.com/app failed", `play rtmp://${MASK}@live.example.com/app failed`],
    ['quoted in prose', "tried 'rtmp://user:pa'ss@live.example.com/app' twice", `tried 'rtmp://${MASK}@live.example.com/app' twice`],
    ['in JSON text', `{"Url":"rtmp://user:pa'ss@live.example.com/app"}`, `{"Url":"rtmp://${MASK}@live.example.com/app"}`],
    ['with escaped slashes', "rtmp:\\/\\/user:pa'ss@live.example.com", `rtmp:\\/\\/${MASK}@live.example.com`],
    ['percent-encoded, as encodeURIComponent leaves it', "next=rtmp%3A%2F%2Fuser%3Apa'ss%40live.example.com%2Fapp", `next=rtmp%3A%2F%2F${MASK}%40live.example.com%2Fapp`],
    ['with a named value in it', "rtmp://u:token=a'b@live.example.com/app", `rtmp://${MASK}@live.example.com/app`],
    ['with a quoted named value in it', "x://u:password='a b'@live.example.com", `x://${MASK}@live.example.com`],
  ])('masks it %s', (_form, given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  // Before the named values, a "'" ends userinfo as it ends a bare value: masked with it, it
  // would no longer end the value of the name before the URL, which would take the next name.
  it('masks a name after such a URL in a bare value', () => {
    expect(maskText("password=rtmp://u:p'w@live.example.com/app?token: planted")).not.toContain('planted');
  });

  // A "'" that closes a quoted string may be read as the password's: masking more is the price.
  // A '"' is never read as the password's, so a match stays in the string of JSON text it starts in.
  it('masks past a quote that closes a string, never past one of JSON text', () => {
    expect(maskText("urls: 'rtmp://live.example.com','ops@example.com'")).toBe(`urls: 'rtmp://${MASK}@example.com'`);
    const message = JSON.stringify({ urls: ['rtmp://live.example.com', 'ops@example.com'], note: "'rtmp://live.example.com','ops@example.com'" });
    const masked = maskText(`sent ${message}`);
    expect(masked).toBe(`sent {"urls":["rtmp://live.example.com","ops@example.com"],"note":"'rtmp://${MASK}@example.com'"}`);
    expect(JSON.parse(masked.slice('sent '.length))).toEqual({ urls: ['rtmp://live.example.com', 'ops@example.com'], note: `'rtmp://${MASK}@example.com'` });
  });

  it.each(['mail ops@example.com about it', "it's ops@example.com", "['rtmp://live.example.com', 'ops@example.com']", "mailto:o'brien@example.com"])('leaves %j as it is', (text) => {
    expect(maskText(text)).toBe(text);
  });
});

describe('bytes in hex', () => {
  const request = 'PUT\n/in.mp4\n\nhost:b.s3.amazonaws.com\nx-amz-security-token:FwoGplanted\n';

  it('masks them where nothing around them names a credential, in text and in an event masked in place', () => {
    const element = `<CanonicalRequestBytes>${hexBytes(request)}</CanonicalRequestBytes>`;
    expect(maskText(element)).toBe(`<CanonicalRequestBytes>${MASK}</CanonicalRequestBytes>`);
    const { json } = maskedJson({ Sign: 'planted', Message: `failed: ${element}` });
    expect(JSON.parse(json)).toEqual({ Sign: MASK, Message: `failed: <CanonicalRequestBytes>${MASK}</CanonicalRequestBytes>` });
  });

  // The forms S3's error takes once an SDK has parsed it, and the whitespace a writer may put
  // between bytes; each run is masked whole, what stands around it kept.
  it.each([
    [
      'in JSON inside a message',
      `upload failed: {"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${hexBytes(request)}"}`,
      `upload failed: {"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${MASK}"}`,
    ],
    ['in JSON text', `{"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${hexBytes(request)}"}`, `{"Code":"SignatureDoesNotMatch","CanonicalRequestBytes":"${MASK}"}`],
    ['in prose', `SignatureDoesNotMatch, CanonicalRequestBytes: ${hexBytes(request)} (RequestId R1)`, `SignatureDoesNotMatch, CanonicalRequestBytes: ${MASK} (RequestId R1)`],
    ['sixteen to a line', `CanonicalRequestBytes:\n${hexBytes(request).replace(/((?:\w\w ){15}\w\w) /g, '$1\n')}\nRequestId: R1`, `CanonicalRequestBytes:\n${MASK}\nRequestId: R1`],
    ['between tabs', `bytes: ${hexBytes(request, '\t')}`, `bytes: ${MASK}`],
    ['between several spaces', `bytes: ${hexBytes(request, '   ')}`, `bytes: ${MASK}`],
    ['in upper case', `bytes: ${hexBytes(request).toUpperCase()}`, `bytes: ${MASK}`],
    ['with whitespace around them in an element', `<CanonicalRequestBytes>\n  ${hexBytes(request)}\n</CanonicalRequestBytes>`, `<CanonicalRequestBytes>\n  ${MASK}\n</CanonicalRequestBytes>`],
    ['between newlines escaped in JSON quoted in prose', `body: {"CanonicalRequestBytes":"${hexBytes(request, '\\n')}"}`, `body: {"CanonicalRequestBytes":"${MASK}"}`],
  ])('masks them %s', (_form, given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  // JSON text writes each of these but the space as an escape, which the hints must read as
  // whitespace: no space stands in these messages.
  it.each(['\n', '\r\n', '\t', '\v', '\f', '  '])('masks them between %j in an event masked in place', (separator) => {
    const { json } = maskedJson({ Sign: 'planted', Message: `CanonicalRequestBytes:${separator}${hexBytes(request, separator)}` });
    expect(JSON.parse(json)).toEqual({ Sign: MASK, Message: `CanonicalRequestBytes:${separator}${MASK}` });
  });

  // Masked first, a run would no longer hold the whitespace that ends a value before it, which
  // would then take the name after it (token: zz******/secret: x kept x).
  it('reads them after the named values', () => {
    expect(maskText(`token: zz${hexBytes(request)}/secret: planted`)).toBe(`token: ${MASK}secret: ${MASK}`);
  });

  // Masked from the escape's letter, the JSON quoted in the message would no longer parse.
  it('starts a run after an escape whose letter is a hex digit', () => {
    const message = `{"m":"\\fe ${hexBytes('password=planted')}"}`;
    const masked = maskText(`body: ${message}`);
    expect(masked).toBe(`body: {"m":"\\fe ${MASK}"}`);
    expect(JSON.parse(masked.slice('body: '.length))).toEqual({ m: `\fe ${MASK}` });
  });

  // What megabytes of hex spell is not read: a 2 MB run took the instance past its heap.
  it('masks a run longer than any S3 quotes whole, unread', () => {
    const from = vi.spyOn(Buffer, 'from');
    try {
      expect(maskText(`bytes: ${'00 '.repeat(70_000)}`)).toBe(`bytes: ${MASK} `);
      expect(from).not.toHaveBeenCalled();
    } finally {
      from.mockRestore();
    }
  });

  // Masked whole, the run would cut the name that runs on from its last byte: 0asign= would read
  // as sign=, taking token: for its value.
  it('ends a run before a name that runs on from its last byte', () => {
    expect(maskText(`${hexBytes(request)}sign=token: planted`)).toBe(`${MASK} 0asign=token: ${MASK}`);
  });

  it.each([
    ['an MD5 ETag', 'ETag: "9b2cf535f27731c974343645a3985328"'],
    ['a TaskId', 'task 2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7 finished'],
    ['bytes that spell nothing the rules mask', `<StringToSignBytes>${hexBytes('AWS4-HMAC-SHA256\n20261130T000000Z')}</StringToSignBytes>`],
    ['numbers of two digits', 'frames 10 20 30 40 50 60 70 80 90 dropped'],
  ])('leaves %s as it is', (_what, text) => {
    expect(maskText(text)).toBe(text);
  });

  // The hints must not fire on the hex every event holds: such an event is neither walked nor copied.
  it('takes ordinary hex for no hint', () => {
    const payload = {
      TaskId: '2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7',
      ETag: '"9b2cf535f27731c974343645a3985328"',
      RequestId: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
      Md5: 'd41d8cd98f00b204e9800998ecf8427e',
      Progress: '10 20 30 40 50 60 70',
    };
    expect(maskedJson(payload).value).toBe(payload);
  });

  // Each level was read four times for each reading of the level around it: a megabyte of hex
  // spelling hex twelve levels deep took seconds, and each level more four times as long.
  it.each([
    ['in an element', (hex: string) => `<b>${hex}</b>`],
    ['in prose', (hex: string) => `bytes: ${hex}`],
  ])('reads hex that spells hex %s once per level for each reading of the outermost', (_where, wrap) => {
    let text = '\\u0041 bearer bonds';
    for (let level = 0; level < 8; level++) text = `\\u0041 ${wrap(hexBytes(text))}`;
    const from = vi.spyOn(Buffer, 'from');
    try {
      expect(maskText(text)).toBe(text);
      const decoded = from.mock.calls.filter((call) => (call as unknown[])[1] === 'hex');
      expect(decoded.length).toBeGreaterThanOrEqual(8);
      expect(decoded.length).toBeLessThanOrEqual(4 * 8);
    } finally {
      from.mockRestore();
    }
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
