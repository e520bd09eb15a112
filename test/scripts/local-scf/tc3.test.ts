import { describe, expect, it } from 'vitest';
import { tc3Signature, verifyTc3 } from '../../../scripts/local-scf/tc3';

const keys = { secretId: 'AKIDtest', secretKey: 'test-key' };
const now = 1_763_776_800;
const date = new Date(now * 1000).toISOString().slice(0, 10);

/** A request signed the way the SDK signs it: content-type and host (without port), for the service of the host's first label. */
function signed(overrides: { body?: string; secretKey?: string; timestamp?: number; host?: string; service?: string } = {}) {
  const body = Buffer.from(overrides.body ?? '{"FunctionName":"notify"}');
  const host = overrides.host ?? 'scf.tencentcloudapi.com';
  const service = overrides.service ?? host.split('.')[0]!;
  const url = new URL(`http://${host}/`);
  const timestamp = overrides.timestamp ?? now;
  const headers: Record<string, string> = { host, 'content-type': 'application/json', 'x-tc-timestamp': String(timestamp) };
  const signature = tc3Signature({ method: 'POST', url, headers, signedHeaders: ['content-type', 'host'], body, timestamp, service, secretKey: overrides.secretKey ?? keys.secretKey });
  const day = new Date(timestamp * 1000).toISOString().slice(0, 10);
  headers.authorization = `TC3-HMAC-SHA256 Credential=${keys.secretId}/${day}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
  return { method: 'POST', url, headers, body };
}

describe('verifyTc3', () => {
  it('accepts a correctly signed request', () => {
    expect(verifyTc3(signed(), keys, now)).toBeUndefined();
    expect(verifyTc3(signed(), keys, now + 299)).toBeUndefined();
    // The SDK's service for a local endpoint, as it signs for SCF_API_ENDPOINT=http://127.0.0.1:9001.
    expect(verifyTc3(signed({ host: '127.0.0.1:9001' }), keys, now)).toBeUndefined();
  });

  it.each<[string, () => ReturnType<typeof signed>, string]>([
    ['a changed body', () => ({ ...signed(), body: Buffer.from('{"FunctionName":"other"}') }), 'AuthFailure.SignatureFailure'],
    ['a changed host', () => ({ ...signed(), headers: { ...signed().headers, host: 'elsewhere:9001' } }), 'AuthFailure.SignatureFailure'],
    ['a signature for another service than the host serves', () => signed({ service: 'cvm' }), 'AuthFailure.SignatureFailure'],
    ['a wrong secret key', () => signed({ secretKey: 'other' }), 'AuthFailure.SignatureFailure'],
    ['another SecretId', () => ({ ...signed(), headers: { ...signed().headers, authorization: signed().headers.authorization!.replace('AKIDtest', 'AKIDother') } }), 'AuthFailure.SecretIdNotFound'],
    ['an old timestamp', () => signed({ timestamp: now - 301 }), 'AuthFailure.SignatureExpire'],
    ['no Authorization', () => ({ ...signed(), headers: { host: '127.0.0.1:9001' } }), 'AuthFailure.InvalidAuthorization'],
  ])('refuses %s', (_name, request, code) => {
    expect(verifyTc3(request(), keys, now)).toMatchObject({ code });
  });

  it('signs header values trimmed and in lower case, as the API reads them', () => {
    const request = signed();
    expect(verifyTc3({ ...request, headers: { ...request.headers, 'content-type': ' Application/JSON ' } }, keys, now)).toBeUndefined();
  });

  it('checks the session token when one is configured', () => {
    const request = signed();
    expect(verifyTc3(request, { ...keys, token: 'tok' }, now)).toMatchObject({ code: 'AuthFailure.TokenFailure' });
    expect(verifyTc3({ ...request, headers: { ...request.headers, 'x-tc-token': 'tok' } }, { ...keys, token: 'tok' }, now)).toBeUndefined();
  });

  it('signs the date of the timestamp into the scope', () => {
    expect(signed().headers.authorization).toContain(`/${date}/scf/tc3_request`);
  });
});
