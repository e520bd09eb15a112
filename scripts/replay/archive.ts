import COS from 'cos-nodejs-sdk-v5';
import type { Config, Credentials } from '../../src/config';
import { toStorageError } from '../../src/store/cos';

/** What replay reads from and removes in the archive bucket; the function itself only writes. */
export interface Archive {
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

export function cosArchive(config: Config, credentials: Credentials): Archive {
  const cos = new COS({
    SecretId: credentials.secretId,
    SecretKey: credentials.secretKey,
    ...(credentials.sessionToken ? { SecurityToken: credentials.sessionToken } : {}),
    Timeout: 10_000,
    ...(config.endpoint ? { Ip: config.endpoint.host, Protocol: config.endpoint.protocol } : {}),
  });
  const bucket = { Bucket: config.bucket, Region: config.region };
  const call = async <T>(operation: string, key: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw toStorageError(error, key, operation);
    }
  };
  return {
    async list(prefix) {
      const keys: string[] = [];
      for (let marker = ''; ; ) {
        const page = await call('GetBucket', prefix, () => cos.getBucket({ ...bucket, Prefix: prefix, Marker: marker, MaxKeys: 1000 }));
        keys.push(...page.Contents.map((c) => c.Key));
        if (page.IsTruncated !== 'true' || !page.NextMarker) return keys;
        marker = page.NextMarker;
      }
    },
    async get(key) {
      return (await call('GetObject', key, () => cos.getObject({ ...bucket, Key: key }))).Body as Buffer;
    },
    async remove(key) {
      await call('DeleteObject', key, () => cos.deleteObject({ ...bucket, Key: key }));
    },
  };
}
