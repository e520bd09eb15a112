import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundle, FUNCTION_DIR, PROJECT, writeBundle } from './bundle';
import { makeCodeCache } from './code-cache';
import { zipFolder } from './zip';

export const ZIP_PATH = join(PROJECT, 'dist', 'mps-cos-backup.zip');

/** What `npm run package` does: the bundle and its code cache in dist/function, then the zip of it. */
export async function packageFunction(): Promise<Awaited<ReturnType<typeof zipFolder>>> {
  await writeBundle(await bundle());
  await makeCodeCache(FUNCTION_DIR);
  const zipped = await zipFolder(FUNCTION_DIR);
  await writeFile(ZIP_PATH, zipped.zip);
  return zipped;
}
