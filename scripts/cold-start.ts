import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundle, LAZY_BUILTINS, lazyBuiltins, PROJECT, STUBBED_PACKAGES, stubs, writeBundle } from './build/bundle';
import { fetchScfNode, SCF_NODE_VERSION } from './scf-node';

/*
 * `npm run cold-start`: how long SCF's `require('index.js')` takes until main_handler is ready,
 * in fresh processes of SCF's Node (scf-node.ts), for the shipped bundle, the bundle without
 * stubs, the handler loaded unbundled from node_modules, and its parts loaded apart (APART).
 * Node's own start is not counted.
 * With `-- --instructions` it also counts the instructions of one load under valgrind, less
 * those of requiring an empty file: unlike time, that count does not move with the load of a
 * shared machine, so it is what to compare when changing what the bundle loads.
 */

const RUNS = Number(process.env.COLD_START_RUNS || 21);

/** Run in a fresh process: time from require() to a ready main_handler, in ms. */
const PROBE = `
const file = process.argv[1];
const started = process.hrtime.bigint();
const { main_handler } = require(file);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
if (typeof main_handler !== 'function') throw new Error('no main_handler');
process.stdout.write(String(ms));
`;

const ENV = { PATH: process.env.PATH, COS_BUCKET: 'cold-start-1250000000', COS_REGION: 'ap-guangzhou', LOG_LEVEL: 'silent' };

const loadTime = (file: string) => Number(execFileSync(fetchScfNode(), ['-e', PROBE, file], { env: ENV, encoding: 'utf8' }));

/** Instructions of `node -e "require(file)"`, counted by valgrind's callgrind. */
function instructions(file: string): number {
  const { stderr } = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', fetchScfNode(), '-e', `require(${JSON.stringify(file)})`], {
    env: ENV,
    encoding: 'utf8',
  });
  const count = /Collected : (\d+)/.exec(stderr)?.[1];
  if (!count) throw new Error(`valgrind gave no instruction count (is it installed?): ${stderr.slice(-300)}`);
  return Number(count);
}

/**
 * Parts of the shipped bundle loaded apart, bundled and stubbed as in index.js: the COS SDK is
 * the least that any handler writing through it loads; the empty file is what Node's loader
 * costs by itself, to be taken from the others.
 */
export const APART: [name: string, contents: string][] = [
  ['the COS SDK alone', "require('cos-nodejs-sdk-v5')"],
  ['pino and the logger alone', "require('./src/logger').createLogger('info')"],
  ['zod and the event schemas alone', "require('./src/event/parse')"],
  ['an empty file', ''],
];

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface ColdStart {
  name: string;
  bytes: number;
  /** Median and fastest of the runs: on a shared machine the fastest is the least disturbed. */
  medianMs: number;
  minMs: number;
  /** Millions of instructions above an empty require, when counted. */
  instructionsM?: number;
}

export async function measureColdStart(runs = RUNS, countInstructions = false): Promise<ColdStart[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cold-start-'));
  try {
    const empty = join(dir, 'empty.js');
    await writeFile(empty, '');
    const baseline = countInstructions ? instructions(empty) : 0;
    const variants: { name: string; file: string; bytes: number }[] = [];
    for (const [name, stub] of [['bundle (shipped)', true], ['bundle without stubs', false]] as const) {
      const { main, sdk } = await bundle({ stub });
      const folder = join(dir, stub ? 'stubbed' : 'full');
      await writeBundle([main, sdk], folder, folder);
      variants.push({ name, file: join(folder, main.name), bytes: main.code.length });
    }
    // The same handler with its packages required from node_modules at run time.
    const unbundled = join(PROJECT, 'dist', 'cold-start-unbundled.js');
    const result = await build({ entryPoints: [join(PROJECT, 'src', 'index.ts')], outfile: unbundled, bundle: true, packages: 'external', platform: 'node', target: 'node18', format: 'cjs', write: true, metafile: true, logLevel: 'warning' });
    variants.push({ name: 'unbundled, from node_modules', file: unbundled, bytes: Object.values(result.metafile.outputs)[0]!.bytes });
    for (const [name, contents] of APART) {
      const file = join(dir, `${name.replaceAll(' ', '-')}.js`);
      const apart = await build({
        stdin: { contents: `${contents}; exports.main_handler = async () => null;`, resolveDir: PROJECT },
        outfile: file,
        bundle: true,
        platform: 'node',
        target: 'node18',
        format: 'cjs',
        minify: true,
        write: true,
        metafile: true,
        logLevel: 'warning',
        plugins: [stubs(STUBBED_PACKAGES), lazyBuiltins(LAZY_BUILTINS)],
      });
      variants.push({ name, file, bytes: Object.values(apart.metafile.outputs)[0]!.bytes });
    }
    // The variants take turns, so that a slow spell of a shared machine does not fall on one alone.
    const times = variants.map((): number[] => []);
    for (let run = 0; run < runs; run++) variants.forEach((v, i) => times[i]!.push(loadTime(v.file)));
    return variants.map((v, i) => {
      const row: ColdStart = { name: v.name, bytes: v.bytes, medianMs: median(times[i]!), minMs: Math.min(...times[i]!) };
      if (countInstructions) row.instructionsM = Math.round((instructions(v.file) - baseline) / 1e6);
      return row;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const counting = process.argv.includes('--instructions');
  measureColdStart(RUNS, counting).then((rows) => {
    console.log(`Load time to a ready main_handler over ${RUNS} fresh processes (Node ${SCF_NODE_VERSION}, as on SCF): median, fastest${counting ? ', instructions' : ''}`);
    for (const r of rows) {
      const count = r.instructionsM === undefined ? '' : `  ${String(r.instructionsM).padStart(5)} M`;
      console.log(`  ${r.name.padEnd(32)} ${(r.bytes / 1024).toFixed(0).padStart(5)} KB  ${r.medianMs.toFixed(1).padStart(6)} ms  ${r.minMs.toFixed(1).padStart(6)} ms${count}`);
    }
  });
}
