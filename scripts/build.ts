import { relative } from 'node:path';
import { bundle, FUNCTION_DIR, largestInputs, PROJECT, writeBundle } from './build/bundle';
import { commandLine, run } from './cli';

const USAGE = `npm run build

Bundles the function into dist/function (the loader index.js, function.js, scf-sdk.js,
compact.js) and
prints the size of each and its largest inputs. \`npm run package\` builds, then adds the code
cache and makes the zip.

  -h, --help   this text`;

/** `npm run build`: the SCF function in dist/function, and what makes up its size. */
async function main() {
  const built = await bundle();
  await writeBundle(built);
  const dir = relative(PROJECT, FUNCTION_DIR);
  const { loader, main, sdk, compact } = built;
  for (const output of [loader, main, sdk, compact]) {
    console.log(`${dir}/${output.name}: ${(output.code.length / 1024).toFixed(1)} KB`);
    if (output === loader) continue;
    for (const [name, bytes] of largestInputs(output.metafile, output === main ? 10 : 5)) {
      console.log(`  ${name.padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(7)} KB`);
    }
  }
  console.log(
    `(${sdk.name} is loaded only when FORWARD_TO names a target, ${compact.name} only by index.compact_handler; source maps in dist/, not shipped; \`npm run package\` adds the code cache)`,
  );
}

run(async (argv) => {
  if (commandLine(argv, USAGE, {})) await main();
});
