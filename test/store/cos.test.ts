import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type COS from 'cos-nodejs-sdk-v5';
import { describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/errors';
import { createCosStore, toStorageError } from '../../src/store/cos';
import { config } from '../support/doubles';

const body = Buffer.from('{"EventType":"WorkflowTask"}');
const object = { key: 'mps-events/raw/event_type=WorkflowTask/dt=2026-11-22/hour=10/t_FINISH_0123456789abcdef.json', body, md5: createHash('md5').update(body).digest('base64') };
const noDelay = { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0, minAttemptMs: 10 };
const credentials = vi.fn(() => ({ secretId: 'AKID-test', secretKey: 'key-test', sessionToken: 'token-test' }));

/** A COS SDK double: each putObject call takes the next outcome, and reads the body as COS would. */
function fakeSdk(...outcomes: (Error | object | 'ok')[]) {
  const received: { options: COS.COSOptions; params: COS.PutObjectParams; body: Buffer }[] = [];
  const newClient = vi.fn((options: COS.COSOptions) => ({
    putObject: vi.fn(async (params: COS.PutObjectParams) => {
      received.push({ options, params, body: await buffer(params.Body as Readable) });
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      return { statusCode: 200, headers: {}, ETag: '"x"' } as unknown as COS.PutObjectResult;
    }),
  }));
  return { newClient, received };
}

const serverError = (statusCode: number, code: string) =>
  Object.assign(new Error(`${code} message`), { statusCode, code, RequestId: `req-${statusCode}` });

describe('createCosStore', () => {
  it('puts the object with bucket, region, key, body, JSON content type, MD5 and storage class', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, storageClass: 'STANDARD_IA' }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });

    expect(sdk.received).toHaveLength(1);
    const [{ options, params, body }] = sdk.received as [(typeof sdk.received)[0]];
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
    expect(options).toEqual({ SecretId: 'AKID-test', SecretKey: 'key-test', SecurityToken: 'token-test', Timeout: 5_000 });
  });

  it('sends connections to COS_ENDPOINT while keeping the COS host (the SDK Ip option)', async () => {
    const sdk = fakeSdk();
    const store = createCosStore({ ...config, endpoint: { protocol: 'http:', host: '127.0.0.1:9000' } }, { credentials, newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.received[0]!.options).toMatchObject({ Ip: '127.0.0.1:9000', Protocol: 'http:' });
  });

  it('sends no session token when there is none', async () => {
    const sdk = fakeSdk();
    const store = createCosStore(config, { credentials: () => ({ secretId: 'a', secretKey: 'b', sessionToken: undefined }), newClient: sdk.newClient });
    await store.put(object, { deadline: Date.now() + 10_000 });
    expect(sdk.received[0]!.options).not.toHaveProperty('SecurityToken');
  });

  it.each([
    ['a 500', serverError(500, 'InternalError')],
    ['a 503', serverError(503, 'ServiceUnavailable')],
    ['a 429', serverError(429, 'SlowDown')],
    ['a connection reset', { code: 'ECONNRESET' }],
    ['a timeout', Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' })],
    ['a corrupted body', serverError(400, 'BadDigest')],
  ])('retries %s, with fresh credentials and a fresh body, then succeeds', async (_name, failure) => {
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
    const timeout = sdk.received[0]!.options.Timeout!;
    expect(timeout).toBeLessThanOrEqual(3_000);
    expect(timeout).toBeGreaterThan(2_000);
  });
});

describe('toStorageError', () => {
  it('reads a server error', () => {
    const e = toStorageError(Object.assign(new Error('The Signature you specified is invalid.'), { statusCode: 403, code: 'SignatureDoesNotMatch', RequestId: 'r-1' }), 'k');
    expect(e).toMatchObject({ statusCode: 403, code: 'SignatureDoesNotMatch', requestId: 'r-1', key: 'k', retryable: false });
    expect(e.message).toBe('COS PutObject k failed with 403 SignatureDoesNotMatch: The Signature you specified is invalid.');
  });

  it('reads a network fault, which the SDK reports as a plain object', () => {
    const e = toStorageError({ code: 'ECONNRESET' }, 'k');
    expect(e).toMatchObject({ statusCode: undefined, code: 'ECONNRESET', retryable: true });
    expect(e.message).toBe('COS PutObject k failed with no response ECONNRESET');
    expect(e.stack).toBeDefined();
  });

  it('takes the request id from the response headers when the body had none', () => {
    expect(toStorageError({ statusCode: 500, headers: { 'x-cos-request-id': 'hdr-1' } }, 'k')).toMatchObject({ requestId: 'hdr-1', code: 'UnknownError', retryable: true });
  });

  it('survives anything thrown', () => {
    for (const thrown of [undefined, null, 'text', 42]) expect(toStorageError(thrown, 'k')).toBeInstanceOf(StorageError);
  });
});
