import { describe, expect, it } from 'vitest';
import { maskedJson } from '../../src/mask/payload';
import { MASK } from '../../src/mask/rule';
import { maskText } from '../../src/mask/text';
import { hexBytes } from '../support/hex-bytes';

/** Texts as they may arrive, and as they are kept: what an adversarial review found, beyond the examples of the registry. */
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

  // A key may name a secret in two words, as text may.
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

  it('keeps the form of JSON inside a string when it masks it: numbers, key order, escapes', () => {
    const text = '{"user_id":1234567890123456789,"2":"b","1":"a","name":"caf\\u00e9","password":"x"}';
    expect(maskText(text)).toBe(`{"user_id":1234567890123456789,"2":"b","1":"a","name":"caf\\u00e9","password":"${MASK}"}`);
  });

  // Linear takes milliseconds here; a pattern that went quadratic would take hours, and the test
  // would fail on vitest's timeout. Each run was one that could.
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
    // A secret name glued inside the value before it ends that value where it starts.
    'a?token=',
    'x|token: ',
    'password=a|',
    'password=tokens.example.com:1',
    // A header's value runs to the end of its line.
    'Authorization: ',
    'Authorization: a="',
    'Authorization: a=\\"',
    'Cookie: a\\',
    'proxy-authorization:x\r',
    // A private key's text runs to its END line.
    '-----BEGIN PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----a',
    '-----BEGIN A B PRIVATE KEY-----\\n',
    '-----BEGIN PRIVATE KEY-----\\\\\\',
    '-----BEGIN PRIVATE KEY-----ab_',
    '-----BEGIN PRIVATE KEY-----\nAAAA',
    'Set-',
    'x%3Dtoken%3D',
    'password=x: ',
    'token: Bearer ',
    'q-ak => password=',
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
