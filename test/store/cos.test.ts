import { createHash } from 'node:crypto';
import type COS from 'cos-nodejs-sdk-v5';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, StorageError } from '../../src/errors';
import { createCosStore, toStorageError, type CosClient } from '../../src/store/cos';
import { crc64 } from '../../src/store/crc64';
import { config } from '../support/doubles';

const body = Buffer.from('{"EventType":"WorkflowTask"}');
const object = { key: 'mps-events/raw/event_type=WorkflowTask/dt=2026-11-22/hour=10/t_FINISH_0123456789abcdef.json', body, md5: createHash('md5').update(body).digest('base64') };
const noDelay = { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0, minAttemptMs: 10 };
const credentials = vi.fn(() => ({ secretId: 'AKID-test', secretKey: 'key-test', sessionToken: 'token-test' }));

type Outcome = Error | object | 'ok' | { etag: string; headers?: Record<string, string> };

/**
 * A COS SDK double: one client, whose putObject calls each take the next outcome. Each call
 * records the options the SDK would read as the request leaves, the signature getAuthorization
 * gives it, and the body it was given; a success answers the body's MD5 as its ETag.
 */
function fakeSdk(...outcomes: Outcome[]) {
  const received: { sent: { Timeout?: number | undefined; Domain?: string | undefined }; auth: { Authorization: string; SecurityToken: string }; params: COS.PutObjectParams; body: Buffer }[] = [];
  const clients: COS.COSOptions[] = [];
  const newClient = vi.fn((options: COS.COSOptions) => {
    clients.push(options);
    const client: CosClient = {
      options: {},
      putObject: vi.fn(async (params: COS.PutObjectParams) => {
        const sent = { Timeout: client.options.Timeout, Domain: client.options.Domain };
        let auth = { Authorization: '', SecurityToken: '' };
        const request = { Method: 'PUT', Pathname: `/${params.Key}`, Query: {}, Headers: { Host: 'h' }, SystemClockOffset: 0 };
        options.getAuthorization!(request as unknown as COS.GetAuthorizationOptions, (a) => (auth = a as unknown as typeof auth));
        const body = params.Body as Buffer;
        received.push({ sent, auth, params, body });
        const outcome = outcomes.shift() ?? 'ok';
        // As the SDK does when an answer tells it COS's clock (RequestTimeTooSkewed).
        const learnt = (outcome as { systemClockOffset?: number }).systemClockOffset;
        if (learnt !== undefined) client.options.SystemClockOffset = learnt;
        const etag = typeof outcome === 'object' && 'etag' in outcome ? outcome : { etag: createHash('md5').update(body).digest('hex') };
        if (outcome !== 'ok' && !('etag' in (outcome as object))) throw outcome;
        return { statusCode: 200, headers: { etag: `"${etag.etag}"`, ...etag.headers }, ETag: `"${etag.etag}"` } as unknown as COS.PutObjectResult;
      }),
    };
    return client;
  });
  return { newClient, received, clients };
}

const serverError = (statusCode: number, code: string) =>
  Object.assign(new Error(`${code} message`), { statusCode, code, RequestId: `req-${statusCode}` });

describe('createCosStore', () => {
  it('puts the object with bucket, region, key, body, JSON content type, MD5 and storage class', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, storageClass: 'STANDARD_IA' }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });

    expect(sdk.received).toHaveLength(1);
    const [{ sent, params, body }] = sdk.received as [(typeof sdk.received)[0]];
    expect(params).toMatchObject({
      Bucket: 'archive-1250000000',
      Region: 'ap-guangzhou',
      Key: object.key,
      ContentLength: object.body.length,
      ContentType: 'application/json',
      StorageClass: 'STANDARD_IA',
      Headers: { 'Content-MD5': object.md5 },
    });
    expect(body).toEqual(object.body);
    expect(sent).toEqual({ Timeout: 5_000, Domain: '' });
  });

  it('signs every request with the credentials of the moment, and sends their session token', async () => {
    const keys = [
      { secretId: 'AKID-first', secretKey: 'key-first', sessionToken: 'token-first' },
      { secretId: 'AKID-rotated', secretKey: 'key-rotated', sessionToken: 'token-rotated' },
    ];
    const sdk = fakeSdk();
    const store = createCosStore(config, { credentials: () => keys.shift()!, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.newClient).toHaveBeenCalledTimes(1);
    expect(sdk.clients[0]).not.toHaveProperty('SecretKey');
    expect(sdk.received.map((r) => r.auth.SecurityToken)).toEqual(['token-first', 'token-rotated']);
    expect(sdk.received[0]!.auth.Authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKID-first&/);
    expect(sdk.received[1]!.auth.Authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKID-rotated&/);
  });

  it('sends connections to COS_ENDPOINT while keeping the COS host (the SDK Ip option)', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, endpoint: { protocol: 'http:', host: '127.0.0.1:9000' } }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.clients[0]).toMatchObject({ Ip: '127.0.0.1:9000', Protocol: 'http:' });
  });

  it('sends no session token when there is none', async () => {
    const sdk = fakeSdk();
    const store = createCosStore(config, { credentials: () => ({ secretId: 'a', secretKey: 'b', sessionToken: undefined }), newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.received[0]!.auth.SecurityToken).toBe('');
  });

  it.each([
    ['a 500', serverError(500, 'InternalError')],
    ['a 503', serverError(503, 'ServiceUnavailable')],
    ['a 429', serverError(429, 'SlowDown')],
    ['a connection reset', { code: 'ECONNRESET' }],
    ['a timeout', Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' })],
    ['a corrupted body', serverError(400, 'BadDigest')],
  ])('retries %s, with fresh credentials and the whole body, then succeeds', async (_name, failure) => {
    credentials.mockClear();
    const sdk = fakeSdk(failure, failure);
    const onRetry = vi.fn();
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000, onRetry });
    expect(sdk.received).toHaveLength(3);
    for (const r of sdk.received) expect(r.body).toEqual(object.body);
    expect(credentials).toHaveBeenCalledTimes(3);
    expect(onRetry).toHaveBeenCalledTimes(2);
    expect(onRetry.mock.calls[0]![0]).toBeInstanceOf(StorageError);
  });

  it('throws a retryable StorageError when every attempt fails', async () => {
    const sdk = fakeSdk(...Array(4).fill(serverError(503, 'ServiceUnavailable')));
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    const put = store.put(object, { deadline: Date.now() + 10_000 });
    await expect(put).rejects.toThrow(StorageError);
    await expect(put).rejects.toMatchObject({ retryable: true, statusCode: 503, code: 'ServiceUnavailable', key: object.key, requestId: 'req-503' });
    expect(sdk.received).toHaveLength(4);
  });

  it.each([
    [403, 'AccessDenied'],
    [403, 'SignatureDoesNotMatch'],
    [404, 'NoSuchBucket'],
  ])('throws %s %s at once: retrying now cannot fix it', async (status, code) => {
    const sdk = fakeSdk(serverError(status, code));
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await expect(store.put(object, { deadline: Date.now() + 10_000 })).rejects.toThrow(new RegExp(`failed with ${status} ${code}`));
    expect(sdk.received).toHaveLength(1);
  });

  it('gives the per-attempt timeout no more than what is left before the deadline', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, timeoutMs: 60_000 }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 3_000 });
    const timeout = sdk.received[0]!.sent.Timeout!;
    expect(timeout).toBeLessThanOrEqual(3_000);
    expect(timeout).toBeGreaterThan(2_000);
  });
  it('gives each of two puts in flight its own timeout, though they share one client', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, timeoutMs: 60_000 }, { credentials, newClient: sdk.newClient });
    const now = Date.now();
    await Promise.all([store.put(object, { deadline: now + 3_000 }), store.put({ ...object, key: 'k2' }, { deadline: now + 20_000 })]);
    const timeouts = Object.fromEntries(sdk.received.map((r) => [r.params.Key, r.sent.Timeout!]));
    expect(timeouts[object.key]).toBeLessThanOrEqual(3_000);
    expect(timeouts.k2).toBeGreaterThan(3_000);
    expect(sdk.newClient).toHaveBeenCalledTimes(1);
  });

  it("moves to COS's backup domain after two attempts in a row got no answer, and says so", async () => {
    const sdk = fakeSdk({ code: 'ETIMEDOUT' }, { code: 'ECONNREFUSED' }, { code: 'ECONNRESET' });
    const onRetry = vi.fn();
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000, onRetry });
    expect(sdk.received.map((r) => r.sent.Domain)).toEqual(['', '', '{Bucket}.cos.{Region}.tencentcos.cn', '{Bucket}.cos.{Region}.tencentcos.cn']);
    expect(onRetry.mock.calls.map((c) => c[3])).toEqual([false, true, true]);
  });

  it("says when the SDK has learnt COS's clock from an answer, once", async () => {
    const sdk = fakeSdk(Object.assign(serverError(403, 'RequestTimeTooSkewed'), { systemClockOffset: 1_200_000 }), serverError(503, 'ServiceUnavailable'));
    const onClockCorrected = vi.fn();
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000, onClockCorrected });
    expect(sdk.received).toHaveLength(3);
    expect(onClockCorrected.mock.calls).toEqual([[1_200_000]]);
  });

  it('stays on the default domain when COS answered, even with an error', async () => {
    const sdk = fakeSdk({ code: 'ETIMEDOUT' }, serverError(503, 'ServiceUnavailable'), { code: 'ETIMEDOUT' });
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.received.map((r) => r.sent.Domain)).toEqual(['', '', '', '']);
  });

  it('retries a success whose ETag is not the MD5 of the body: the object may not be stored', async () => {
    const sdk = fakeSdk({ etag: '00000000000000000000000000000000' });
    const onRetry = vi.fn();
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000, onRetry });
    expect(sdk.received).toHaveLength(2);
    expect(onRetry.mock.calls[0]![0]).toMatchObject({ code: 'ETagMismatch', retryable: true, key: object.key });
  });

  it('throws a retryable StorageError when COS never confirms the bytes', async () => {
    const sdk = fakeSdk(...Array(4).fill({ etag: '' }));
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await expect(store.put(object, { deadline: Date.now() + 10_000 })).rejects.toThrow(/answered 200 with ETag "", not the MD5 of the body sent/);
  });

  it.each([
    ['SSE-COS', { 'x-cos-server-side-encryption': 'AES256' }],
    ['KMS', { 'x-cos-server-side-encryption': 'cos/kms' }],
    ["a customer's key", { 'x-cos-server-side-encryption-customer-algorithm': 'AES256' }],
  ])('takes an object encrypted with %s, whose ETag is not the MD5, for stored when its CRC-64 is the body\'s', async (_name, headers) => {
    const sdk = fakeSdk({ etag: 'ffffffffffffffffffffffffffffffff', headers: { ...headers, 'x-cos-hash-crc64ecma': crc64(body) } });
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.received).toHaveLength(1);
  });

  it('retries a success whose CRC-64 is not the body\'s, whatever its ETag', async () => {
    const sdk = fakeSdk({ etag: createHash('md5').update(body).digest('hex'), headers: { 'x-cos-hash-crc64ecma': '12345' } });
    const onRetry = vi.fn();
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await store.put(object, { deadline: Date.now() + 10_000, onRetry });
    expect(sdk.received).toHaveLength(2);
    expect(onRetry.mock.calls[0]![0]).toMatchObject({ code: 'CRC64Mismatch', retryable: true, key: object.key });
  });

  it('does not take an encrypted object for stored when the answer has no CRC-64 to check', async () => {
    const sdk = fakeSdk(...Array(4).fill({ etag: 'ffffffffffffffffffffffffffffffff', headers: { 'x-cos-server-side-encryption': 'AES256' } }));
    const store = createCosStore(config, { credentials, newClient: sdk.newClient, retryPolicy: noDelay });
    await expect(store.put(object, { deadline: Date.now() + 10_000 })).rejects.toThrow(/for an encrypted object without the CRC-64 of what it stored/);
    expect(sdk.received).toHaveLength(4);
  });

  it.each([
    ['AES256 by default', config.encryption, { ServerSideEncryption: 'AES256' }],
    ['KMS with the default key', { algorithm: 'cos/kms', kmsKeyId: undefined } as const, { ServerSideEncryption: 'cos/kms' }],
    ['KMS with a named key', { algorithm: 'cos/kms', kmsKeyId: 'a1b2-c3d4' } as const, { ServerSideEncryption: 'cos/kms', SSEKMSKeyId: 'a1b2-c3d4' }],
  ])('asks COS to encrypt every object: %s', async (_name, encryption, expected) => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, encryption }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    const { params } = sdk.received[0]!;
    expect(params).toMatchObject(expected);
    if (!('SSEKMSKeyId' in expected)) expect(params).not.toHaveProperty('SSEKMSKeyId');
  });

  it('asks for no encryption with COS_SSE=none, leaving it to the bucket', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, encryption: undefined }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.received[0]!.params).not.toHaveProperty('ServerSideEncryption');
  });

  it('lets missing credentials through as they are, without retrying', async () => {
    const sdk = fakeSdk();
    const missing = () => {
      throw new ConfigError('No credentials: TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY are not set');
    };
    const store = createCosStore(config, { credentials: missing, newClient: sdk.newClient, retryPolicy: noDelay });
    await expect(store.put(object, { deadline: Date.now() + 10_000 })).rejects.toThrow(ConfigError);
    expect(sdk.received).toHaveLength(0);
  });
});

describe('toStorageError', () => {
  it('reads a server error', () => {
    const e = toStorageError(Object.assign(new Error('The Signature you specified is invalid.'), { statusCode: 403, code: 'SignatureDoesNotMatch', RequestId: 'r-1' }), 'k');
    expect(e).toMatchObject({ statusCode: 403, code: 'SignatureDoesNotMatch', requestId: 'r-1', key: 'k', retryable: false });
    expect(e.message).toBe('COS PutObject k failed with 403 SignatureDoesNotMatch (The Signature you specified is invalid.)');
  });

  it.each([
    ['RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.'],
    ['AccessDenied', 'Request has expired'],
  ])('takes %s (%s) for retryable: the SDK has corrected its clock from the answer', (code, message) => {
    expect(toStorageError(Object.assign(new Error(message), { statusCode: 403, code }), 'k')).toMatchObject({ retryable: true });
  });

  it('reads a network fault, which the SDK reports as a plain object', () => {
    const e = toStorageError({ code: 'ECONNRESET' }, 'k');
    expect(e).toMatchObject({ statusCode: undefined, code: 'ECONNRESET', retryable: true });
    expect(e.message).toBe('COS PutObject k failed with no response ECONNRESET');
    expect(e.stack).toBeDefined();
  });

  it.each(['ECONNRESET', 'ESOCKETTIMEDOUT'])('takes %s for retryable even with the status of the answer it cut short', (code) => {
    expect(toStorageError({ code, statusCode: 200 }, 'k')).toMatchObject({ statusCode: 200, code, retryable: true });
  });

  it('takes the request id from the response headers when the body had none', () => {
    expect(toStorageError({ statusCode: 500, headers: { 'x-cos-request-id': 'hdr-1' } }, 'k')).toMatchObject({ requestId: 'hdr-1', code: 'UnknownError', retryable: true });
  });

  it('survives anything thrown', () => {
    for (const thrown of [undefined, null, 'text', 42]) expect(toStorageError(thrown, 'k')).toBeInstanceOf(StorageError);
  });
});
