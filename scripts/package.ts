import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { bundle, FUNCTION_DIR, PROJECT, writeBundle } from './build/bundle';
import { makeCodeCache } from './build/code-cache';
import { zipFolder } from './build/zip';
import { commandLine, run } from './cli';

const USAGE = `npm run package

Builds dist/function as \`npm run build\` does, makes the V8 code cache on SCF's Node, then
writes dist/mps-cos-backup.zip, byte-identical from one packaging to the next, and its sha256.

  -h, --help   this text`;

export const ZIP_PATH = join(PROJECT, 'dist', 'mps-cos-backup.zip');

/** `npm run package`: the bundle and its code cache, then the deployable zip, reproducible, and its sha256. */
async function main() {
  await writeBundle(await bundle());
  await makeCodeCache(FUNCTION_DIR);
  const { zip, sha256, entries } = await zipFolder(FUNCTION_DIR);
  await writeFile(ZIP_PATH, zip);
  console.log(`${relative(PROJECT, ZIP_PATH)}: ${entries.join(', ')}; ${(zip.length / 1024).toFixed(1)} KB`);
  console.log(`sha256 ${sha256}`);
}

run(async (argv) => {
  if (commandLine(argv, USAGE, {})) await main();
});
