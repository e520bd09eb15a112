import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/*
 * COS request signatures (q-sign-algorithm=sha1), checked the way COS checks them:
 *   SignKey      = HMAC-SHA1(SecretKey, q-key-time)
 *   HttpString   = method \n decoded path \n signed params \n signed headers \n
 *   StringToSign = sha1 \n q-sign-time \n SHA1(HttpString) \n
 *   Signature    = HMAC-SHA1(SignKey, StringToSign)
 * where the signed params and headers are the ones the client named in q-url-param-list and
 * q-header-list, as name=value pairs with COS's URL encoding, joined by "&".
 */

export interface Keys {
  secretId: string;
  secretKey: string;
  /** When set, requests must carry it in x-cos-security-token (temporary credentials). */
  sessionToken?: string | undefined;
}

export interface SignedRequest {
  method: string;
  /** The URL path, percent-decoded: "/" + key. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface SignatureFailure {
  status: 403;
  code: 'AccessDenied' | 'InvalidAccessKeyId' | 'SignatureDoesNotMatch' | 'InvalidTokenId' | 'RequestTimeTooSkewed';
  message: string;
}

/** encodeURIComponent plus the characters it leaves alone that COS encodes. */
export function cosEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function pairs(names: string[], valueOf: (name: string) => string): string {
  return names.map((name) => `${name}=${cosEncode(valueOf(name))}`).join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[decodeURIComponent(name)];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

function queryValue(query: URLSearchParams, name: string): string {
  for (const [k, v] of query) if (k.toLowerCase() === decodeURIComponent(name)) return v;
  return '';
}

export function sign(req: SignedRequest, secretKey: string, fields: { signTime: string; keyTime: string; headerList: string[]; paramList: string[] }): string {
  const signKey = createHmac('sha1', secretKey).update(fields.keyTime).digest('hex');
  const httpString = [
    req.method.toLowerCase(),
    req.path,
    pairs(fields.paramList, (n) => queryValue(req.query, n)),
    pairs(fields.headerList, (n) => headerValue(req.headers, n)),
    '',
  ].join('\n');
  const stringToSign = ['sha1', fields.signTime, createHash('sha1').update(httpString).digest('hex'), ''].join('\n');
  return createHmac('sha1', signKey).update(stringToSign).digest('hex');
}

/** COS refuses a request signed at a time this far from its own clock. */
const MAX_SKEW_SECONDS = 15 * 60;

const fail = (code: SignatureFailure['code'], message: string): SignatureFailure => ({ status: 403, code, message });

/** Returns undefined when the request is signed by `keys` and still valid at `nowSeconds`. */
export function verify(req: SignedRequest, keys: Keys, nowSeconds: number): SignatureFailure | undefined {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) return fail('AccessDenied', 'Access Denied: the request carries no Authorization.');
  const f = new URLSearchParams(auth);
  if (f.get('q-sign-algorithm') !== 'sha1') return fail('AccessDenied', 'Only q-sign-algorithm=sha1 is supported.');
  if (f.get('q-ak') !== keys.secretId) return fail('InvalidAccessKeyId', 'The access key Id format you provided is invalid.');

  const signTime = f.get('q-sign-time') ?? '';
  const keyTime = f.get('q-key-time') ?? '';
  const [start, end] = signTime.split(';').map(Number);
  if (Number.isFinite(start) && Math.abs(nowSeconds - start!) > MAX_SKEW_SECONDS) {
    return fail('RequestTimeTooSkewed', "The difference between the request time and the server's time is too large.");
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || nowSeconds < start! - 60 || nowSeconds > end!) {
    return fail('AccessDenied', 'Request has expired');
  }
  const list = (name: string) => (f.get(name) ?? '').split(';').filter(Boolean);
  const headerList = list('q-header-list');
  if (!headerList.includes('host')) return fail('AccessDenied', 'The Host header must be signed.');

  const expected = sign(req, keys.secretKey, { signTime, keyTime, headerList, paramList: list('q-url-param-list') });
  const given = f.get('q-signature') ?? '';
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    return fail('SignatureDoesNotMatch', 'The Signature you specified is invalid.');
  }
  if (keys.sessionToken !== undefined && headerValue(req.headers, 'x-cos-security-token') !== keys.sessionToken) {
    return fail('InvalidTokenId', 'The provided token is malformed or otherwise invalid.');
  }
  return undefined;
}
