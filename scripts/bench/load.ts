import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_FILE } from '../../src/code-cache';
import { bundle, LAZY_BUILTINS, LAZY_PACKAGES, lazyBuiltins, lazyPackages, PROJECT, STUBBED_PACKAGES, stubs, writeBundle } from '../build/bundle';
import { inTurns, probe, probeEnv, probeInstructions } from './probe';
import { bundleOneFile, type Builds } from './variants';

/*
 * The load alone, until main_handler is ready, in fresh processes of SCF's Node (probe.ts): the
 * shipped bundle, the same without its stubs, the handler unbundled, and its parts loaded apart,
 * to show where the load goes.
 */

/**
 * Parts of the shipped bundle loaded apart, bundled and stubbed as in the function: the COS SDK
 * is the least that any handler writing through it loads; the empty file is what Node's loader
 * costs by itself.
 */
const APART = {
  'cos-sdk': "require('cos-nodejs-sdk-v5')",
  logger: "require('./src/logger').createLogger('info')",
  schemas: "require('./src/event/parse')",
  empty: '',
};

export type Load = 'shipped' | 'unstubbed' | 'unbundled' | keyof typeof APART;

export const LOAD_NAMES: Record<Load, string> = {
  shipped: 'bundle (shipped, code cache)',
  unstubbed: 'bundle without stubs, no code cache',
  unbundled: 'unbundled, from node_modules',
  'cos-sdk': 'the COS SDK alone',
  logger: 'pino and the logger alone',
  schemas: 'zod and the event schemas alone',
  empty: 'an empty file',
};

export interface LoadRow {
  load: Load;
  bytes: number;
  /** Each run's load, in ms. */
  loadsMs: number[];
  /** In one run under callgrind, when counted. */
  instructions?: number;
}

/** Each variant's file and its size in bytes. */
async function buildLoads(builds: Builds): Promise<[Load, string, number][]> {
  const shipped = await builds.file('function');
  const full = join(builds.root, 'unstubbed');
  const unstubbed = await bundle({ stub: false });
  await mkdir(full);
  await writeBundle(unstubbed, full, full);
  // Required from node_modules at run time, so written where they resolve.
  const unbundled = join(PROJECT, 'dist', 'cold-start-unbundled.js');
  const result = await build({ entryPoints: [join(PROJECT, 'src', 'index.ts')], outfile: unbundled, bundle: true, packages: 'external', platform: 'node', target: 'node18', format: 'cjs', write: true, metafile: true, logLevel: 'warning' });
  const loads: [Load, string, number][] = [
    ['shipped', shipped, (await stat(join(dirname(shipped), BUNDLE_FILE))).size],
    ['unstubbed', join(full, 'index.js'), unstubbed.main.code.length],
    ['unbundled', unbundled, Object.values(result.metafile.outputs)[0]!.bytes],
  ];
  for (const [load, contents] of Object.entries(APART) as [keyof typeof APART, string][]) {
    const file = join(builds.root, `${load}.js`);
    const bytes = await bundleOneFile(`${contents}; exports.main_handler = async () => null;`, file, [stubs(STUBBED_PACKAGES), lazyBuiltins(LAZY_BUILTINS), lazyPackages(LAZY_PACKAGES)]);
    loads.push([load, file, bytes]);
  }
  return loads;
}

export async function measureLoad(builds: Builds, { runs, count }: { runs: number; count: boolean }): Promise<LoadRow[]> {
  const loads = await buildLoads(builds);
  const env = probeEnv();
  const times = inTurns(runs, loads.map(([, file]) => () => probe(file, env).loadMs));
  const rows: LoadRow[] = [];
  for (const [i, [load, file, bytes]] of loads.entries()) {
    rows.push({ load, bytes, loadsMs: times[i]!, ...(count && { instructions: await probeInstructions(file, env) }) });
  }
  return rows;
}
