import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { FUNCTION_DIR, PROJECT } from './build/bundle';
import { makeCodeCache } from './build/code-cache';
import { zipFolder } from './build/zip';

export const ZIP_PATH = join(PROJECT, 'dist', 'mps-cos-backup.zip');

/** `npm run package` (after `npm run build`): the code cache beside the bundle, then the deployable zip, reproducible, and its sha256. */
async function main() {
  await makeCodeCache(FUNCTION_DIR);
  const { zip, sha256, entries } = await zipFolder(FUNCTION_DIR);
  await writeFile(ZIP_PATH, zip);
  console.log(`${relative(PROJECT, ZIP_PATH)}: ${entries.join(', ')}; ${(zip.length / 1024).toFixed(1)} KB`);
  console.log(`sha256 ${sha256}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
