import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomKeys } from '../../../scripts/local-cos/keys';
import { crc64 } from '../../../src/store/crc64';
import { startLocalCos, type LocalCos } from '../../../scripts/local-cos/server';

const Bucket = 'test-1250000000';
const Region = 'ap-guangzhou';

describe('local COS', () => {
  let root: string;
  let cos: LocalCos;
  let client: COS;
  let clientOptions: COS.COSOptions;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-cos-'));
    const keys = randomKeys();
    cos = await startLocalCos({ root, keys, buckets: [Bucket] });
    clientOptions = { SecretId: keys.secretId, SecretKey: keys.secretKey, Ip: cos.endpoint.slice('http://'.length), Protocol: 'http:', Timeout: 2_000 };
    client = new COS(clientOptions);
  });
  afterEach(async () => {
    await cos.close();
    await rm(root, { recursive: true, force: true });
  });

  const put = (Key: string, body: string, extra: Partial<COS.PutObjectParams> = {}) =>
    client.putObject({ Bucket, Region, Key, Body: Buffer.from(body), ContentType: 'application/json', ...extra });

  it('stores an object as a file under {root}/{bucket}/{key}, and answers GET and HEAD', async () => {
    const md5 = createHash('md5').update('{"a":1}').digest();
    const answer = await put('dir/a.json', '{"a":1}', { StorageClass: 'STANDARD_IA', Headers: { 'Content-MD5': md5.toString('base64') } });
    expect(answer.ETag).toBe(`"${md5.toString('hex')}"`);
    expect(await readFile(join(root, Bucket, 'dir', 'a.json'), 'utf8')).toBe('{"a":1}');

    const got = await client.getObject({ Bucket, Region, Key: 'dir/a.json' });
    expect(got.Body.toString()).toBe('{"a":1}');
    expect(got.headers).toMatchObject({ 'content-type': 'application/json', etag: answer.ETag, 'x-cos-storage-class': 'STANDARD_IA' });
    const head = await client.headObject({ Bucket, Region, Key: 'dir/a.json' });
    expect(head.headers).toMatchObject({ 'content-length': '7', etag: answer.ETag });
  });

  it('gives the CRC-64 of what it stored with every answer about it', async () => {
    const answer = await put('c.json', '{"a":1}');
    expect(answer.headers).toMatchObject({ 'x-cos-hash-crc64ecma': crc64(Buffer.from('{"a":1}')) });
    const head = await client.headObject({ Bucket, Region, Key: 'c.json' });
    expect(head.headers).toMatchObject({ 'x-cos-hash-crc64ecma': crc64(Buffer.from('{"a":1}')) });
  });

  it.each([
    ['SSE-COS', { ServerSideEncryption: 'AES256' }, { 'x-cos-server-side-encryption': 'AES256' }],
    ['SSE-KMS', { ServerSideEncryption: 'cos/kms', SSEKMSKeyId: 'k-1' }, { 'x-cos-server-side-encryption': 'cos/kms', 'x-cos-server-side-encryption-cos-kms-key-id': 'k-1' }],
  ])('keeps an object %s as asked, says so, and gives it an ETag that is not its MD5', async (_name, params, headers) => {
    const md5 = createHash('md5').update('{"a":1}').digest();
    const answer = await put('e.json', '{"a":1}', { ...params, Headers: { 'Content-MD5': md5.toString('base64') } });
    expect(answer.headers).toMatchObject(headers);
    expect(answer.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(answer.ETag).not.toBe(`"${md5.toString('hex')}"`);
    const got = await client.getObject({ Bucket, Region, Key: 'e.json' });
    expect(got.Body.toString()).toBe('{"a":1}');
    expect(got.headers).toMatchObject({ ...headers, etag: answer.ETag, 'x-cos-hash-crc64ecma': crc64(Buffer.from('{"a":1}')) });
  });

  it('refuses an encryption algorithm COS does not offer', async () => {
    await expect(put('x.json', '{}', { ServerSideEncryption: 'DES' })).rejects.toMatchObject({ statusCode: 400, code: 'InvalidArgument' });
  });

  it('deletes', async () => {
    await put('gone.json', '{}');
    await client.deleteObject({ Bucket, Region, Key: 'gone.json' });
    await expect(client.headObject({ Bucket, Region, Key: 'gone.json' })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('lists a bucket by prefix, page by page with marker and max-keys', async () => {
    for (const key of ['p/3.json', 'p/1.json', 'q/1.json', 'p/2.json', 'p/sub/4.json']) await put(key, '{}');
    const first = await client.getBucket({ Bucket, Region, Prefix: 'p/', MaxKeys: 2 });
    expect(first.Contents.map((c) => c.Key)).toEqual(['p/1.json', 'p/2.json']);
    expect(first).toMatchObject({ IsTruncated: 'true', NextMarker: 'p/2.json' });
    const rest = await client.getBucket({ Bucket, Region, Prefix: 'p/', Marker: first.NextMarker! });
    expect(rest.Contents.map((c) => c.Key)).toEqual(['p/3.json', 'p/sub/4.json']);
    expect(rest.IsTruncated).toBe('false');
    expect(rest.Contents[0]).toMatchObject({ Size: '2', StorageClass: 'STANDARD' });
  });

  it('rolls keys into common prefixes with the delimiter "/", as COS lists folders, and pages through both', async () => {
    for (const key of ['p/a=1/x.json', 'p/a=1/y/z.json', 'p/a=2/x.json', 'p/b.json', 'pq/c.json']) await put(key, '{}');
    const all = await client.getBucket({ Bucket, Region, Prefix: 'p/', Delimiter: '/' });
    expect(all.CommonPrefixes.map((c) => c.Prefix)).toEqual(['p/a=1/', 'p/a=2/']);
    expect(all.Contents.map((c) => c.Key)).toEqual(['p/b.json']);
    const first = await client.getBucket({ Bucket, Region, Prefix: 'p/', Delimiter: '/', MaxKeys: 1 });
    expect(first).toMatchObject({ IsTruncated: 'true', NextMarker: 'p/a=1/' });
    const rest = await client.getBucket({ Bucket, Region, Prefix: 'p/', Delimiter: '/', Marker: first.NextMarker! });
    expect([...rest.CommonPrefixes.map((c) => c.Prefix), ...rest.Contents.map((c) => c.Key)]).toEqual(['p/a=2/', 'p/b.json']);
    expect((await client.getBucket({ Bucket, Region, Prefix: 'p/a', Delimiter: '/' })).CommonPrefixes.map((c) => c.Prefix)).toEqual(['p/a=1/', 'p/a=2/']);
  });

  it.each<[string, () => Promise<unknown>, number, string]>([
    ['a missing key', () => client.getObject({ Bucket, Region, Key: 'missing.json' }), 404, 'NoSuchKey'],
    ['a missing bucket', () => client.getObject({ Bucket: 'other-1250000000', Region, Key: 'a' }), 404, 'NoSuchBucket'],
    ['a body that does not match its MD5', () => put('x.json', '{}', { Headers: { 'Content-MD5': 'AAAAAAAAAAAAAAAAAAAAAA==' } }), 400, 'BadDigest'],
    ['a key over 850 bytes', () => put('k'.repeat(851), '{}'), 400, 'KeyTooLong'],
  ])('answers %s with a COS error body and a request id', async (_name, call, statusCode, code) => {
    const error = (await call().catch((e: unknown) => e)) as { statusCode: number; code: string; RequestId?: string; headers: Record<string, string> };
    expect(error).toMatchObject({ statusCode, code });
    expect(error.headers['x-cos-request-id']).toMatch(/^[0-9a-f]{24}$/);
    expect(error.RequestId).toBe(error.headers['x-cos-request-id']);
  });

  it('puts a request id on every answer', async () => {
    const answer = await put('a.json', '{}');
    expect(answer.headers?.['x-cos-request-id']).toMatch(/^[0-9a-f]{24}$/);
  });

  it('refuses an unsigned request', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${cos.endpoint}/a.json`, { method: 'GET', headers: { Host: `${Bucket}.cos.${Region}.myqcloud.com` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('with a latency, does the work on arrival and holds each answer until that long after its request', async () => {
    const keys = randomKeys();
    const slow = await startLocalCos({ root, keys, buckets: [Bucket], latencyMs: 400 });
    try {
      const slowClient = new COS({ ...clientOptions, SecretId: keys.secretId, SecretKey: keys.secretKey, Ip: slow.endpoint.slice('http://'.length) });
      const started = Date.now();
      let answered = false;
      const answers = Promise.all(
        ['l/1.json', 'l/2.json'].map((Key) => slowClient.putObject({ Bucket, Region, Key, Body: Buffer.from('{}'), ContentType: 'application/json' })),
      ).then((all) => ((answered = true), all));
      await expect.poll(async () => (await slow.files.list(Bucket, 'l/', '', 10)).objects.length, { timeout: 2_000, interval: 20 }).toBe(2);
      expect(answered).toBe(false);
      const [first] = await answers;
      expect(first?.statusCode).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect(slow.requests.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await slow.close();
    }
  });

  describe('faults', () => {
    it('answers a status a given number of times, then behaves', async () => {
      cos.inject({ kind: 'status', status: 503, code: 'ServiceUnavailable' }, { times: 1, method: 'GET' });
      await put('a.json', '{}');
      // The SDK retries a 5xx on its own when the body is not a stream, as a GET's is not.
      const got = await client.getObject({ Bucket, Region, Key: 'a.json' });
      expect(got.Body.toString()).toBe('{}');
      expect(cos.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
        ['PUT', 200, undefined],
        ['GET', 503, 'status'],
        ['GET', 200, undefined],
      ]);
    });

    it('applies a fault only to matching keys', async () => {
      cos.inject({ kind: 'status', status: 500, code: 'InternalError' }, { keyIncludes: 'bad' });
      await put('good.json', '{}');
      await expect(put('bad.json', '{}', { Body: Readable.from([Buffer.from('{}')]) as never, ContentLength: 2 })).rejects.toMatchObject({ statusCode: 500 });
    });

    it('drops the connection', async () => {
      cos.inject({ kind: 'reset' });
      await expect(client.headObject({ Bucket, Region, Key: 'a.json' })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|socket hang up/i) });
    });

    it('answers slowly', async () => {
      cos.inject({ kind: 'delay', ms: 200 }, { times: 1 });
      const started = Date.now();
      await put('slow.json', '{}');
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });

    it('hangs until the client gives up', async () => {
      cos.inject({ kind: 'hang' }, { times: 1 });
      const hung = new COS({ ...clientOptions, Timeout: 200 });
      await expect(hung.putObject({ Bucket, Region, Key: 'h.json', Body: Readable.from([Buffer.from('{}')]) as never, ContentLength: 2, ContentType: 'application/json' })).rejects.toMatchObject({
        code: expect.stringMatching(/TIMEDOUT/),
      });
    });

    it('corrupts a body in transit, which the MD5 check catches', async () => {
      cos.inject({ kind: 'corrupt' }, { times: 1 });
      const md5 = createHash('md5').update('{"a":1}').digest('base64');
      await expect(put('c.json', '{"a":1}', { Body: Readable.from([Buffer.from('{"a":1}')]) as never, ContentLength: 7, Headers: { 'Content-MD5': md5 } })).rejects.toMatchObject({
        statusCode: 400,
        code: 'BadDigest',
      });
    });
  });
});
