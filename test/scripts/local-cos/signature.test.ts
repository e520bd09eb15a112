import COS from 'cos-nodejs-sdk-v5';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosEncode, verify, type SignedRequest } from '../../../scripts/local-cos/signature';

const keys = { secretId: 'AKIDtest', secretKey: 'test-key' };
const now = Math.floor(Date.now() / 1000);

/** A request as the SDK would send it, signed by the SDK's own signer. */
function sdkSigned(options: { key?: string; method?: 'PUT' | 'GET' | 'DELETE'; query?: Record<string, string>; headers?: Record<string, string>; secretKey?: string; expires?: number }): SignedRequest {
  const key = options.key ?? 'mps-events/raw/a.json';
  const headers: Record<string, string> = { host: 'b-1250000000.cos.ap-guangzhou.myqcloud.com', 'content-type': 'application/json', ...options.headers };
  const authorization = COS.getAuthorization({
    SecretId: keys.secretId,
    SecretKey: options.secretKey ?? keys.secretKey,
    Method: options.method ?? 'PUT',
    Key: key,
    Query: options.query ?? {},
    Headers: headers,
    ...(options.expires !== undefined && { Expires: options.expires }),
  });
  return {
    method: options.method ?? 'PUT',
    path: `/${key}`,
    query: new URLSearchParams(options.query),
    headers: { ...headers, authorization },
  };
}

describe('verify', () => {
  it('accepts what the COS SDK signs', () => {
    expect(verify(sdkSigned({}), keys, now)).toBeUndefined();
    expect(verify(sdkSigned({ method: 'GET', key: '', query: { prefix: 'a/', marker: 'a/b', 'max-keys': '2' } }), keys, now)).toBeUndefined();
  });

  it('accepts any key, query and header value the SDK signs', () => {
    fc.assert(
      // Keys as the SDK sends them: it signs a key that starts with "/" as given, without another "/".
      fc.property(fc.string({ minLength: 1 }).filter((k) => !k.startsWith('/')), fc.string(), fc.string(), (key, queryValue, metaValue) => {
        const req = sdkSigned({ key, query: { prefix: queryValue }, headers: { 'x-cos-meta-note': metaValue } });
        expect(verify(req, keys, now)).toBeUndefined();
      }),
    );
  });

  it.each<[string, (r: SignedRequest) => SignedRequest, string]>([
    ['a wrong secret key', () => sdkSigned({ secretKey: 'other' }), 'SignatureDoesNotMatch'],
    ['a changed signed header', (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' } }), 'SignatureDoesNotMatch'],
    ['a changed path', (r) => ({ ...r, path: '/mps-events/raw/b.json' }), 'SignatureDoesNotMatch'],
    ['a changed method', (r) => ({ ...r, method: 'DELETE' }), 'SignatureDoesNotMatch'],
    ['another access key', (r) => ({ ...r, headers: { ...r.headers, authorization: String(r.headers.authorization).replace('q-ak=AKIDtest', 'q-ak=AKIDother') } }), 'InvalidAccessKeyId'],
    ['no Authorization', (r) => ({ ...r, headers: { host: r.headers.host } }), 'AccessDenied'],
    ['an expired signature', () => sdkSigned({ expires: -120 }), 'AccessDenied'],
  ])('refuses %s', (_name, change, code) => {
    expect(verify(change(sdkSigned({})), keys, now)).toMatchObject({ status: 403, code });
  });

  it.each([20 * 60, -20 * 60])("answers RequestTimeTooSkewed when the signature's time is %i s from COS's clock", (offset) => {
    expect(verify(sdkSigned({}), keys, now + offset)).toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
  });

  it('checks the session token when one is configured', () => {
    const req = sdkSigned({ headers: { 'x-cos-security-token': 'token-1' } });
    expect(verify(req, { ...keys, sessionToken: 'token-1' }, now)).toBeUndefined();
    expect(verify(req, { ...keys, sessionToken: 'token-2' }, now)).toMatchObject({ code: 'InvalidTokenId' });
  });
});

describe('cosEncode', () => {
  it('encodes what encodeURIComponent leaves alone', () => {
    expect(cosEncode("a b!'()*~/")).toBe('a%20b%21%27%28%29%2A~%2F');
  });
});
