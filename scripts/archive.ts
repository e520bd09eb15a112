import COS from 'cos-nodejs-sdk-v5';
import type { Config, Credentials } from '../src/config';
import { toStorageError } from '../src/store/cos';

export interface ListedObject {
  key: string;
  /** Its ETag, without quotes: the MD5 (hex) of its bytes only when COS does not encrypt it. */
  etag: string;
}

/** What replay and query read from and remove in the archive bucket; the function itself only writes. */
export interface Archive {
  list(prefix: string): Promise<ListedObject[]>;
  /** The folders right under `prefix`, each ending in "/" (COS's common prefixes, with the delimiter "/"). */
  folders(prefix: string): Promise<string[]>;
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
      const objects: ListedObject[] = [];
      for (let marker = ''; ; ) {
        const page = await call('GetBucket', prefix, () => cos.getBucket({ ...bucket, Prefix: prefix, Marker: marker, MaxKeys: 1000 }));
        objects.push(...page.Contents.map((c) => ({ key: c.Key, etag: c.ETag.replaceAll('"', '') })));
        if (page.IsTruncated !== 'true' || !page.NextMarker) return objects;
        marker = page.NextMarker;
      }
    },
    async folders(prefix) {
      const folders: string[] = [];
      for (let marker = ''; ; ) {
        const page = await call('GetBucket', prefix, () => cos.getBucket({ ...bucket, Prefix: prefix, Delimiter: '/', Marker: marker, MaxKeys: 1000 }));
        folders.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix));
        if (page.IsTruncated !== 'true' || !page.NextMarker) return folders;
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
