import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localKeys, randomKeys } from '../../../scripts/local-cos/keys';
import { LOCAL_BUCKET, LOCAL_REGION } from '../../../scripts/local-cos/local-setup';
import { startLocalCos } from '../../../scripts/local-cos/server';
import type { Keys } from '../../../scripts/local-cos/signature';

describe("the local emulator's keys", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-keys-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps the keys of a folder from one run to the next, readable by its owner only', () => {
    const keys = localKeys(root);
    expect(localKeys(root)).toEqual(keys);
    expect(statSync(join(root, '.keys.json')).mode & 0o777).toBe(0o600);
    expect(localKeys(join(root, 'other'))).not.toEqual(keys);
  });

  it('tells a client holding keys of an earlier folder that the keys changed', async () => {
    const cos = await startLocalCos({ root, keys: localKeys(root), buckets: [LOCAL_BUCKET] });
    const client = (keys: Keys) => new COS({ SecretId: keys.secretId, SecretKey: keys.secretKey, Ip: cos.endpoint.slice('http://'.length), Protocol: 'http:' });
    const put = (keys: Keys) => client(keys).putObject({ Bucket: LOCAL_BUCKET, Region: LOCAL_REGION, Key: 'a.json', Body: Buffer.from('{}') });
    try {
      await expect(put(randomKeys())).rejects.toMatchObject({ code: 'InvalidAccessKeyId', message: expect.stringContaining('The keys of this local COS changed') });
      await expect(put({ secretId: 'AKIDsomethingelse', secretKey: 'x' })).rejects.toMatchObject({ message: 'The access key Id format you provided is invalid.' });
      await expect(put(localKeys(root))).resolves.toMatchObject({ statusCode: 200 });
    } finally {
      await cos.close();
    }
  });
});
