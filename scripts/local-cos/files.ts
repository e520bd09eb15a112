import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/*
 * Objects as plain files, so that a person can open what the function wrote:
 *   {root}/{bucket}/{key}            the bytes
 *   {root}/.meta/{bucket}/{key}.json  content type, ETag, CRC-64, size, storage class, encryption, time
 * Metadata lives in its own tree so that a glob over a bucket's folder (a query engine's
 * "**\/*.json") sees only objects. Writes go through {root}/.tmp and a rename, so a reader
 * never sees half an object.
 */

export interface ObjectMeta {
  contentType: string;
  etag: string;
  /** x-cos-hash-crc64ecma; absent from objects stored before the emulator gave it. */
  crc64?: string;
  size: number;
  storageClass: string;
  /** The x-cos-server-side-encryption* headers the object was stored with. */
  encryption?: Record<string, string>;
  lastModified: string;
  userMeta: Record<string, string>;
}

export interface ListedObject {
  key: string;
  meta: ObjectMeta;
}

export class UnsafeKeyError extends Error {}

/** Names temporary files apart across processes and writes; nothing random is needed. */
let written = 0;

export class FileStore {
  /**
   * Folders this store made: a PUT is mostly folder checks otherwise, and the emulator's CPU is
   * on the same machine as the function it serves (see the benchmarks). A folder removed from
   * outside is made again on the write that misses it.
   */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  /** The key's segments, refused when one could leave the bucket folder. */
  private segments(key: string): string[] {
    const parts = key.split('/');
    if (key === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes(sep) || p.includes('\0'))) {
      throw new UnsafeKeyError(`Key "${key}" has an empty, "." or ".." segment`);
    }
    return parts;
  }

  bucketPath(bucket: string): string {
    return join(this.root, bucket);
  }

  private objectPath(bucket: string, key: string): string {
    return join(this.root, bucket, ...this.segments(key));
  }

  private metaPath(bucket: string, key: string): string {
    const parts = this.segments(key);
    return join(this.root, '.meta', bucket, ...parts.slice(0, -1), `${parts.at(-1)}.json`);
  }

  async createBucket(bucket: string): Promise<void> {
    await mkdir(this.bucketPath(bucket), { recursive: true });
  }

  async hasBucket(bucket: string): Promise<boolean> {
    return (await stat(this.bucketPath(bucket)).catch(() => undefined))?.isDirectory() ?? false;
  }

  private async folder(path: string, again = false): Promise<void> {
    if (again || !this.folders.has(path)) {
      await mkdir(path, { recursive: true });
      this.folders.add(path);
    }
  }

  private async atomicWrite(path: string, data: Buffer | string, again = false): Promise<void> {
    const tmpDir = join(this.root, '.tmp');
    const tmp = join(tmpDir, `${process.pid}-${++written}`);
    try {
      await Promise.all([this.folder(tmpDir, again), this.folder(dirname(path), again)]);
      await writeFile(tmp, data);
      await rename(tmp, path);
    } catch (error) {
      if (again || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await rm(tmp, { force: true });
      await this.atomicWrite(path, data, true);
    }
  }

  async put(bucket: string, key: string, body: Buffer, meta: ObjectMeta): Promise<void> {
    await Promise.all([this.atomicWrite(this.metaPath(bucket, key), JSON.stringify(meta, null, 2)), this.atomicWrite(this.objectPath(bucket, key), body)]);
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    const text = await readFile(this.metaPath(bucket, key), 'utf8').catch(() => undefined);
    const exists = await stat(this.objectPath(bucket, key)).catch(() => undefined);
    return text && exists?.isFile() ? (JSON.parse(text) as ObjectMeta) : undefined;
  }

  async get(bucket: string, key: string): Promise<{ body: Buffer; meta: ObjectMeta } | undefined> {
    const meta = await this.head(bucket, key);
    if (!meta) return undefined;
    const body = await readFile(this.objectPath(bucket, key)).catch(() => undefined);
    return body ? { body, meta } : undefined;
  }

  async delete(bucket: string, key: string): Promise<void> {
    await rm(this.objectPath(bucket, key), { force: true });
    await rm(this.metaPath(bucket, key), { force: true });
  }

  /**
   * Keys in COS order (byte order of the key), after `marker`, starting with `prefix`. With a
   * delimiter, the keys that hold it after the prefix are rolled up into their common prefixes
   * (up to and including it), each listed once, as COS does; a page counts both.
   */
  async list(
    bucket: string,
    prefix: string,
    marker: string,
    maxKeys: number,
    delimiter = '',
  ): Promise<{ objects: ListedObject[]; commonPrefixes: string[]; truncated: boolean; last?: string }> {
    const keys: string[] = [];
    const walk = async (dir: string, base: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const key = base ? `${base}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          // Only descend where the prefix can still match.
          if (prefix.startsWith(`${key}/`) || key.startsWith(prefix) || `${key}/`.startsWith(prefix)) await walk(join(dir, entry.name), key);
        } else if (key.startsWith(prefix) && key > marker) {
          keys.push(key);
        }
      }
    };
    await walk(this.bucketPath(bucket), '');
    keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    // A page that ended on a common prefix resumes after every key under it.
    const entries: { key: string; rolled: boolean }[] = [];
    for (const key of keys) {
      if (delimiter && marker.endsWith(delimiter) && key.startsWith(marker)) continue;
      const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const entry = at < 0 ? { key, rolled: false } : { key: key.slice(0, at + delimiter.length), rolled: true };
      if (entry.rolled && entries.at(-1)?.key === entry.key) continue;
      entries.push(entry);
    }
    const page = entries.slice(0, maxKeys);
    const objects: ListedObject[] = [];
    for (const { key } of page.filter((e) => !e.rolled)) {
      const meta = await this.head(bucket, key);
      if (meta) objects.push({ key, meta });
    }
    const commonPrefixes = page.filter((e) => e.rolled).map((e) => e.key);
    return { objects, commonPrefixes, truncated: entries.length > maxKeys, ...(page.length > 0 && { last: page.at(-1)!.key }) };
  }
}
