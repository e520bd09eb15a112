import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/*
 * Tencent Cloud API 3.0 signatures (TC3-HMAC-SHA256), checked the way the API checks them:
 *   CanonicalRequest = METHOD \n path \n query \n signed headers (name:value\n each) \n header names \n SHA256(body)
 *   StringToSign     = TC3-HMAC-SHA256 \n timestamp \n date/service/tc3_request \n SHA256(CanonicalRequest)
 *   key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")
 * Each signed header as name:value, the value trimmed and in lower case (API 3.0, signature v3);
 * Host without its port, as the SDK signs it.
 */

export interface ApiKeys {
  secretId: string;
  secretKey: string;
  /** When set, requests must carry it in X-TC-Token. */
  token?: string | undefined;
}

export interface ApiFailure {
  code: 'AuthFailure.SignatureFailure' | 'AuthFailure.SecretIdNotFound' | 'AuthFailure.SignatureExpire' | 'AuthFailure.InvalidAuthorization' | 'AuthFailure.TokenFailure';
  message: string;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const utcDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export function tc3Signature(input: { method: string; url: URL; headers: IncomingHttpHeaders; signedHeaders: string[]; body: Buffer; timestamp: number; service: string; secretKey: string }): string {
  const value = (name: string) => {
    const raw = String(input.headers[name] ?? '').trim().toLowerCase();
    return name === 'host' ? raw.replace(/:\d+$/, '') : raw;
  };
  const canonical = [
    input.method,
    input.url.pathname,
    input.url.search.slice(1),
    input.signedHeaders.map((h) => `${h}:${value(h)}\n`).join(''),
    input.signedHeaders.join(';'),
    sha256(input.body),
  ].join('\n');
  const date = utcDate(input.timestamp);
  const stringToSign = ['TC3-HMAC-SHA256', input.timestamp, `${date}/${input.service}/tc3_request`, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  return hmac(key, stringToSign).toString('hex');
}

const AUTH = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Returns undefined when the request is signed by `keys` within five minutes of `nowSeconds`. */
export function verifyTc3(req: { method: string; url: URL; headers: IncomingHttpHeaders; body: Buffer }, keys: ApiKeys, nowSeconds: number): ApiFailure | undefined {
  const match = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!match) return { code: 'AuthFailure.InvalidAuthorization', message: 'Authorization is not a TC3-HMAC-SHA256 signature.' };
  const [, secretId, date, , signed, signature] = match as unknown as [string, string, string, string, string, string];
  if (secretId !== keys.secretId) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId is not found.' };
  const timestamp = Number(req.headers['x-tc-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300 || utcDate(timestamp) !== date) {
    return { code: 'AuthFailure.SignatureExpire', message: 'The signature has expired.' };
  }
  const signedHeaders = signed.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('content-type')) {
    return { code: 'AuthFailure.InvalidAuthorization', message: 'Host and Content-Type must be signed.' };
  }
  // The API signs with the service its host serves, whatever the scope names: a request signed
  // for another service fails. The SDK takes it from the host's first label ("127" on 127.0.0.1).
  const served = String(req.headers.host ?? '').split('.')[0]!.replace(/:\d+$/, '');
  const expected = tc3Signature({ ...req, signedHeaders, timestamp, service: served, secretKey: keys.secretKey });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return { code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated.' };
  }
  if (keys.token !== undefined && req.headers['x-tc-token'] !== keys.token) {
    return { code: 'AuthFailure.TokenFailure', message: 'The token is invalid.' };
  }
  return undefined;
}
