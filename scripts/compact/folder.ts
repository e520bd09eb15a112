import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { StorageError } from '../../src/errors';
import type { Archive, ListedObject } from '../../src/store/archive';
import type { ObjectStore } from '../../src/store/store';

/*
 * A copy of the bucket in a folder ({root}/{key} files, as `npm run query -- --dir` reads it),
 * as the compactor's archive and store: an object's time is its file's modification time.
 */

const keyOf = (root: string, path: string) => relative(root, path).split(sep).join('/');

function pathOf(root: string, key: string): string {
  const path = join(root, ...key.split('/'));
  if (relative(root, path).split(sep).includes('..')) throw new Error(`Key ${key} would leave ${root}`);
  return path;
}

export function folderArchive(root: string): Archive & ObjectStore {
  /** The files under the folder that holds `prefix`, as keys. */
  async function keysUnder(prefix: string): Promise<string[]> {
    const folder = pathOf(root, prefix.slice(0, prefix.lastIndexOf('/') + 1) || '.');
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile())
      .map((e) => keyOf(root, join(e.parentPath, e.name)))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }
  return {
    async list(prefix) {
      const objects: ListedObject[] = [];
      for (const key of await keysUnder(prefix)) {
        const path = pathOf(root, key);
        const [body, info] = await Promise.all([readFile(path), stat(path)]);
        objects.push({ key, etag: createHash('md5').update(body).digest('hex'), size: info.size, lastModified: info.mtime.toISOString() });
      }
      return objects;
    },
    async folders(prefix) {
      const entries = await readdir(pathOf(root, prefix), { withFileTypes: true }).catch(() => []);
      return entries.filter((e) => e.isDirectory()).map((e) => `${prefix}${e.name}/`).sort();
    },
    async get(key) {
      try {
        return await readFile(pathOf(root, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw new StorageError(`No object ${key} in ${root}`, { key, retryable: false, code: 'NoSuchKey', statusCode: 404, requestId: undefined });
      }
    },
    async remove(key) {
      await rm(pathOf(root, key), { force: true });
    },
    /** Written beside, then renamed: a reader never sees half a file. */
    async put({ key, body }) {
      const path = pathOf(root, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.writing`, body);
      await rename(`${path}.writing`, path);
    },
  };
}
