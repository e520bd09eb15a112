import { describe, expect, it } from 'vitest';
import { maskedJson } from '../../../src/mask/payload';
import { MASK } from '../../../src/mask/rule';
import { maskText } from '../../../src/mask/text';
import { hexBytes } from '../../support/hex-bytes';

// RFC 9110: an Authorization header's value is the credentials, an auth-scheme and what follows it.
describe('an Authorization header', () => {
  it.each([
    ['S3 signature version 2', 'Authorization: AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=', `Authorization: AWS ${MASK}`],
    ['OSS', 'Authorization: OSS LTAI5tPlanted:kZoYNv66bsmc10+dcGKw5x2PRrk=', `Authorization: OSS ${MASK}`],
    ['SharedKey', 'Authorization: SharedKey myaccount:ctzMq410TV3wS7upTBcunJTDLEJwMAZuFPfr0mrrA08=', `Authorization: SharedKey ${MASK}`],
    ['QBox', 'Authorization: QBox j6XaEDm5DdXqPlanted:eu_Dp1m8M5bo5BVZ0fx8NkzNAQ4=', `Authorization: QBox ${MASK}`],
    ['COS, which has no scheme', 'Authorization: q-sign-algorithm=sha1&q-ak=AKIDplanted&q-sign-time=1;2&q-key-time=1;2&q-header-list=host&q-url-param-list=&q-signature=planted', `Authorization: ${MASK}`],
    [
      'TC3-HMAC-SHA256',
      'Authorization: TC3-HMAC-SHA256 Credential=AKIDplanted/2026-11-30/scf/tc3_request, SignedHeaders=content-type;host, Signature=planted',
      `Authorization: TC3-HMAC-SHA256 ${MASK}`,
    ],
    ['SigV4', 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAPLANTED/20261130/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=planted', `Authorization: AWS4-HMAC-SHA256 ${MASK}`],
    ['Digest, its quoted parameters', 'Authorization: Digest username="u", realm="a b", response="planted"\r\nHost: h', `Authorization: Digest ${MASK}\r\nHost: h`],
    ['Proxy-Authorization', 'Proxy-Authorization: Basic cGxhbnRlZDpwbGFudGVk', `Proxy-Authorization: Basic ${MASK}`],
    ['in lower case', 'authorization: aws akia:planted', `authorization: aws ${MASK}`],
    ['on folded lines', 'Authorization: AWS AKIA:\r\n planted\r\nHost: h', `Authorization: AWS ${MASK}\r\nHost: h`],
    ['a name where the scheme would be', 'Authorization: token: planted', `Authorization: ${MASK}`],
    ['as JSON quoted in prose writes it', 'sent {"headers":"Authorization: AWS AKIA:planted\\nHost: h"}', `sent {"headers":"Authorization: AWS ${MASK}\\nHost: h"}`],
    ['with escaped quotes in JSON quoted in prose', 'sent {"h":"Authorization: Digest response=\\"planted\\", nc=1"}', `sent {"h":"Authorization: Digest ${MASK}"}`],
    ['after an escaped line end in JSON quoted in prose', 'sent {"h":"Set-Cookie: a=1\\r\\nAuthorization: QBox ak:planted"}', `sent {"h":"Set-Cookie: ${MASK}\\r\\nAuthorization: QBox ${MASK}"}`],
  ])('is masked whole, its scheme kept: %s', (_scheme, given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  it('is masked whole in an event', () => {
    const payload = { Message: 'GET failed: Authorization: AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=', Sign: 's' };
    expect(maskedJson(payload).json).toBe(`{"Message":"GET failed: Authorization: AWS ${MASK}","Sign":"${MASK}"}`);
  });

  // A cookie may hold a "'" (RFC 6265's cookie-octet): only a '"' that opens no parameter ends it.
  it('is masked past a "\'" to the end of its line', () => {
    expect(maskText(`'Authorization: AWS a:b' was refused\nnext`)).toBe(`'Authorization: AWS ${MASK}\nnext`);
  });
});

// A bare value ends before a secret name that starts inside it; the pass reads on from the value's
// start and never goes back, so these are found in one reading.
describe('a secret name glued to the value before it', () => {
  it.each([
    ['after a "|"', 'password=abc|token: planted', `password=${MASK}token: ${MASK}`],
    ['in a URL that is the value', 'password=rtmp://u:pw@h/live?token: planted', `password=${MASK}token: ${MASK}`],
    ['after a URL whose userinfo holds a "\'"', "auth=rtmp://alice:s3cr'etPlanted@host/app", `auth=${MASK}`],
    ["in userinfo after a \"'\"", "rtmp://alice:Zq7Wv3'token=Planted@host/app", `rtmp://${MASK}@host/app`],
    ['encoded', 'password=abc%3Ftoken%3Dplanted', `password=${MASK}%3Ftoken%3D${MASK}`],
    ['a header', 'password=x|Authorization: AWS a:planted', `password=${MASK}Authorization: AWS ${MASK}`],
  ])('is read as a name: %s', (_where, given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  // In JSON quoted in prose, a line end is written \n: the name after it is whole.
  it.each([
    ['a\\nsign: planted', `a\\nsign: ${MASK}`],
    ['h: 1\\r\\nq-ak=planted', `h: 1\\r\\nq-ak=${MASK}`],
    ['\\token: planted', `\\token: ${MASK}`],
  ])('is read after an escaped line end: %j', (given, kept) => {
    expect(maskText(given)).toBe(kept);
  });

  it('is masked when its bytes in hex follow a name', () => {
    expect(maskText(`sign: ${hexBytes('token=planted')}`)).toBe(`sign: ${MASK}`);
  });

  it('is the value itself when it starts the value', () => {
    expect(maskText('password=tokens.example.com:8443 next')).toBe(`password=${MASK} next`);
    expect(maskText('x-cos-security-token=Planted1tokens.example.com:8443')).toBe(`x-cos-security-token=${MASK}`);
  });
});
