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

/** COS's order of keys: the order of their bytes. */
const compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

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

  /** The object and its metadata, read at once. */
  async get(bucket: string, key: string): Promise<{ body: Buffer; meta: ObjectMeta } | undefined> {
    const [text, body] = await Promise.all([readFile(this.metaPath(bucket, key), 'utf8').catch(() => undefined), readFile(this.objectPath(bucket, key)).catch(() => undefined)]);
    return text && body ? { body, meta: JSON.parse(text) as ObjectMeta } : undefined;
  }

  async delete(bucket: string, key: string): Promise<void> {
    await rm(this.objectPath(bucket, key), { force: true });
    await rm(this.metaPath(bucket, key), { force: true });
  }

  /**
   * Keys in COS order (byte order of the key), after `marker`, starting with `prefix`. With the
   * delimiter "/", a key with another "/" after the prefix is rolled into its common prefix, the
   * prefix up to that "/", as COS lists "folders".
   */
  async list(
    bucket: string,
    prefix: string,
    marker: string,
    maxKeys: number,
    delimiter = '',
  ): Promise<{ objects: ListedObject[]; prefixes: string[]; truncated: boolean }> {
    const entries: { key: string; folder: boolean }[] = [];
    const after = (key: string) => compare(key, marker) > 0;
    // In key order, folder by folder, and only as far as the page: a folder's keys all start
    // with its name and "/", which is where it sorts among its neighbours.
    const walk = async (dir: string, base: string): Promise<boolean> => {
      const children = (await readdir(dir, { withFileTypes: true }).catch(() => []))
        .map((entry) => ({ entry, key: base ? `${base}/${entry.name}` : entry.name, folder: entry.isDirectory() }))
        .sort((a, b) => compare(a.folder ? `${a.key}/` : a.key, b.folder ? `${b.key}/` : b.key));
      for (const { entry, key, folder } of children) {
        if (entries.length > maxKeys) return true;
        if (!folder) {
          if (key.startsWith(prefix) && after(key)) entries.push({ key, folder: false });
        } else if (delimiter === '/' && key.length >= prefix.length && `${key}/`.startsWith(prefix) && !key.slice(prefix.length).includes('/')) {
          if (after(`${key}/`)) entries.push({ key: `${key}/`, folder: true });
        } else if ((prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix)) && (after(`${key}/`) || marker.startsWith(`${key}/`))) {
          if (await walk(join(dir, entry.name), key)) return true;
        }
      }
      return false;
    };
    await walk(this.bucketPath(bucket), '');
    const page = entries.slice(0, maxKeys);
    const objects: ListedObject[] = [];
    for (const { key, folder } of page) {
      const meta = folder ? undefined : await this.head(bucket, key);
      if (meta) objects.push({ key, meta });
    }
    return { objects, prefixes: page.filter((e) => e.folder).map((e) => e.key), truncated: entries.length > maxKeys };
  }
}
