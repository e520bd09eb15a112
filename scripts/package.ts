import { relative } from 'node:path';
import { PROJECT } from './build/bundle';
import { packageFunction, ZIP_PATH } from './build/package';
import { commandLine, run } from './cli';

const USAGE = `npm run package

Builds dist/function as \`npm run build\` does, makes the V8 code cache on SCF's Node, then
writes dist/mps-cos-backup.zip, byte-identical from one packaging to the next, and its sha256.

  -h, --help   this text`;

/** `npm run package`: the bundle and its code cache, then the deployable zip, reproducible, and its sha256. */
async function main() {
  const { zip, sha256, entries } = await packageFunction();
  console.log(`${relative(PROJECT, ZIP_PATH)}: ${entries.join(', ')}; ${(zip.length / 1024).toFixed(1)} KB`);
  console.log(`sha256 ${sha256}`);
}

run(async (argv) => {
  if (commandLine(argv, USAGE, {})) await main();
});
