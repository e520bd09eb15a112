import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** DOS time cannot go before 1980; any fixed moment makes the archive the same on every build. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * A zip of the folder with its files at the root, byte-identical for identical files: entries
 * sorted, one fixed time, one compression level, and fflate's pure-JS deflate, which gives the
 * same bytes on every Node version (zlib's output differs between builds).
 */
export async function zipFolder(dir: string): Promise<{ zip: Uint8Array; sha256: string; entries: string[] }> {
  const paths = (await filesUnder(dir)).sort();
  const files: Zippable = {};
  const entries: string[] = [];
  for (const path of paths) {
    const name = relative(dir, path).split(sep).join('/');
    entries.push(name);
    files[name] = [await readFile(path), { mtime: FIXED_MTIME, level: 9 }];
  }
  const zip = zipSync(files);
  return { zip, sha256: createHash('sha256').update(zip).digest('hex'), entries };
}
