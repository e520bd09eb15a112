import { relative } from 'node:path';
import { bundle, FUNCTION_DIR, largestInputs, PROJECT, writeBundle } from './build/bundle';

/** `npm run build`: the SCF bundle in dist/function/index.js, and what makes up its size. */
async function main() {
  const b = await bundle();
  await writeBundle(b);
  console.log(`${relative(PROJECT, FUNCTION_DIR)}/index.js: ${(b.code.length / 1024).toFixed(1)} KB (source map in dist/index.js.map, not shipped)`);
  console.log('Largest inputs:');
  for (const [name, bytes] of largestInputs(b.metafile, 10)) console.log(`  ${name.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(7)} KB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
