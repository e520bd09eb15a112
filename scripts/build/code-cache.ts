import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { fetchScfNode } from '../scf-node';
import { bundle, MAP_DIR, PROJECT, writeBundle, type Bundle, type BundleOptions } from './bundle';

const run = promisify(execFile);

/** The events run before the cache is made: one of each type, so that both paths are compiled. */
const WARM_UP_EVENTS = ['workflow-task-docs-sample', 'edit-media-task-success'].map((name) => join(PROJECT, 'fixtures', 'events', `${name}.json`));

/**
 * NODE_OPTIONS as serverless.yml sets them for the function. V8 refuses a cache made under other
 * flags (a heap size is one), so the cache is made under these.
 */
export function shippedNodeOptions(): string {
  const yml = parse(readFileSync(join(PROJECT, 'serverless.yml'), 'utf8')) as { inputs: { environment: { variables: Record<string, string> } } };
  return yml.inputs.environment.variables.NODE_OPTIONS ?? '';
}

/**
 * Writes function.cache beside function.js in `dir`, made by SCF's own Node (the only V8 that
 * accepts it) running cache-maker.ts. `--random-seed=1` makes the bytes the same on every build
 * (V8 leaves the seed out of the flags it checks, so a plain node accepts them); without it they
 * differ each time.
 */
export async function makeCodeCache(dir: string): Promise<void> {
  const maker = await build({
    entryPoints: [join(__dirname, 'cache-maker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_OPTIONS: shippedNodeOptions(),
    COS_BUCKET: 'code-cache-1250000000',
    COS_REGION: 'ap-guangzhou',
    TENCENTCLOUD_SECRETID: 'code-cache',
    TENCENTCLOUD_SECRETKEY: 'code-cache',
  };
  await run(fetchScfNode(), ['--random-seed=1', '-e', maker.outputFiles[0]!.text, dir, ...WARM_UP_EVENTS], { env }).catch((error: { stderr?: string }) => {
    // The error's own message would quote the whole maker, passed with -e.
    throw new Error(`Making the code cache on SCF's Node failed: ${error.stderr ?? String(error)}`);
  });
}

/** The function folder as it ships: the loader, the bundle and its code cache, the SCF SDK. */
export async function buildFunction(dir: string, mapDir = MAP_DIR, options: BundleOptions = {}): Promise<Bundle> {
  const built = await bundle(options);
  await writeBundle(built, dir, mapDir);
  await makeCodeCache(dir);
  return built;
}
