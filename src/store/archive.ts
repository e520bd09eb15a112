import COS from 'cos-nodejs-sdk-v5';
import type { Config, Credentials } from '../config';
import { toStorageError } from './cos';

export interface ListedObject {
  key: string;
  /** Its ETag, without quotes: the MD5 (hex) of its bytes only when COS does not encrypt it. */
  etag: string;
  size: number;
  /** When COS last wrote it, ISO 8601 (COS keeps whole seconds). */
  lastModified: string;
}

/** What replay, query and the compactor read from and remove in the archive bucket. */
export interface Archive {
  list(prefix: string): Promise<ListedObject[]>;
  /** The "folders" right under a prefix (it ends with "/"): each the prefix of the keys below it, ending with "/". */
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
  /** Every page of a listing, through its markers. */
  async function* pages(prefix: string, delimiter?: string) {
    for (let marker = ''; ; ) {
      const page = await call('GetBucket', prefix, () =>
        cos.getBucket({ ...bucket, Prefix: prefix, Marker: marker, MaxKeys: 1000, ...(delimiter && { Delimiter: delimiter }) }),
      );
      yield page;
      if (page.IsTruncated !== 'true' || !page.NextMarker) return;
      marker = page.NextMarker;
    }
  }
  return {
    async list(prefix) {
      const objects: ListedObject[] = [];
      for await (const page of pages(prefix)) {
        for (const c of page.Contents) {
          objects.push({ key: c.Key, etag: c.ETag.replaceAll('"', ''), size: Number(c.Size), lastModified: new Date(c.LastModified).toISOString() });
        }
      }
      return objects;
    },
    async folders(prefix) {
      const folders: string[] = [];
      for await (const page of pages(prefix, '/')) folders.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix));
      return folders;
    },
    async get(key) {
      return (await call('GetObject', key, () => cos.getObject({ ...bucket, Key: key }))).Body as Buffer;
    },
    async remove(key) {
      await call('DeleteObject', key, () => cos.deleteObject({ ...bucket, Key: key }));
    },
  };
}
