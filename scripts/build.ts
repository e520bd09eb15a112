import { relative } from 'node:path';
import { bundle, FUNCTION_DIR, largestInputs, PROJECT, writeBundle } from './build/bundle';

/** `npm run build`: the SCF function in dist/function, and what makes up its size. */
async function main() {
  const built = await bundle();
  await writeBundle(built);
  const dir = relative(PROJECT, FUNCTION_DIR);
  const { loader, main, sdk } = built;
  for (const output of [loader, main, sdk]) {
    console.log(`${dir}/${output.name}: ${(output.code.length / 1024).toFixed(1)} KB`);
    if (output === loader) continue;
    for (const [name, bytes] of largestInputs(output.metafile, output === main ? 10 : 5)) {
      console.log(`  ${name.padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(7)} KB`);
    }
  }
  console.log(`(${sdk.name} is loaded only when FORWARD_TO names a target; source maps in dist/, not shipped; \`npm run package\` adds the code cache)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
