import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildFunction } from '../../scripts/build/code-cache';
import { zipFolder } from '../../scripts/build/zip';

/** The function as `npm run package` ships it, zipped, in `dir`/`name`. */
export async function packaged(dir: string, name: string): Promise<Awaited<ReturnType<typeof zipFolder>>> {
  const functionDir = join(dir, name);
  await buildFunction(functionDir, dir);
  return zipFolder(functionDir);
}

/** The packaged zip unpacked into an empty folder, `dir`/unpacked, as SCF unpacks it; the zip and its entries. */
export async function unpackedFunction(dir: string) {
  const zip = await packaged(dir, 'function');
  const unpacked = join(dir, 'unpacked');
  await mkdir(unpacked);
  const files = unzipSync(zip.zip);
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(unpacked, name), bytes);
  return { zip, unpacked, entries: Object.keys(files) };
}
