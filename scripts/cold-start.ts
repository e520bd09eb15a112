import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { CACHE_FILE, type CodeCacheUse } from '../src/code-cache';
import { startAnsweringCosProcess, startEmulatorProcess } from './bench/emulator';
import { NAIVE } from './bench/naive';
import { bundle, LAZY_BUILTINS, LAZY_PACKAGES, lazyBuiltins, lazyPackages, PROJECT, STUBBED_PACKAGES, stubs, writeBundle } from './build/bundle';
import { buildFunction, shippedNodeOptions } from './build/code-cache';
import { commandLine, progressBar, run } from './cli';
import { fetchScfNode, SCF_NODE_VERSION } from './scf-node';

/*
 * `npm run cold-start`: what a new SCF instance costs, in fresh processes of SCF's Node
 * (scf-node.ts) with the NODE_OPTIONS serverless.yml sets, Node's own start not counted.
 * - The cold invocation: `require('index.js')`, then the first event against a COS in a process
 *   of its own, for the function as packaged (with its code cache), the same without the cache,
 *   and the naive handler (scripts/bench/naive.ts) bundled and minified by esbuild as a careful
 *   user would ship it (measureColdInvocation says against which COS).
 * - The load alone, until main_handler is ready, for the bundle without stubs, the handler loaded
 *   unbundled from node_modules, and its parts loaded apart (APART), to show where the load goes.
 * With `-- --instructions` it also counts the instructions of each cold invocation and each load
 * under valgrind, less those of requiring an empty file: unlike time, that count does not move
 * with the load of a shared machine, so it is what to compare when changing what the bundle loads.
 */

const RUNS = Number(process.env.COLD_START_RUNS || 21);
const FIRST_EVENT = join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json');

/** Run in a fresh process: the load and, given an event, the first invocation; ms and RSS. */
const PROBE = `
const [file, eventFile] = process.argv.slice(1);
const event = eventFile && JSON.parse(require('node:fs').readFileSync(eventFile, 'utf8'));
const started = process.hrtime.bigint();
const { main_handler } = require(file);
const loaded = process.hrtime.bigint();
if (typeof main_handler !== 'function') throw new Error('no main_handler');
const ms = (from, to) => Number(to - from) / 1e6;
const report = (firstMs, firstCpuMs) => process.stderr.write(JSON.stringify({ loadMs: ms(started, loaded), firstMs, firstCpuMs, rssMb: process.memoryUsage().rss / 1048576 }));
const cpu = process.cpuUsage();
if (!event) report(0, 0);
else main_handler(event, { request_id: 'cold-start', time_limit_in_ms: 30000 }).then(() => {
  const { user, system } = process.cpuUsage(cpu);
  report(ms(loaded, process.hrtime.bigint()), (user + system) / 1000);
});
`;

const ENV = { PATH: process.env.PATH ?? '', NODE_OPTIONS: shippedNodeOptions(), COS_BUCKET: 'cold-start-1250000000', COS_REGION: 'ap-guangzhou', LOG_LEVEL: 'silent' };

interface Probe {
  loadMs: number;
  firstMs: number;
  /** CPU time of the first event: less moved by a busy machine than its wall time. */
  firstCpuMs: number;
  rssMb: number;
  /** From the function's cold-start log line; undefined for what does not log one. */
  codeCache?: CodeCacheUse;
}

function probe(file: string, env: Record<string, string>, event?: string): Probe {
  const { stdout, stderr, status } = spawnSync(fetchScfNode(), ['-e', PROBE, file, ...(event ? [event] : [])], { env, encoding: 'utf8' });
  if (status !== 0) throw new Error(`loading ${file} failed: ${stderr.slice(-500)}`);
  const coldStart = stdout.split('\n').find((line) => line.includes('"cold_start":true'));
  return { ...(JSON.parse(stderr) as Probe), ...(coldStart && { codeCache: (JSON.parse(coldStart) as { code_cache: CodeCacheUse }).code_cache }) };
}

/** Instructions of the probe (no event: the load alone), counted by valgrind's callgrind. */
function instructions(file: string, env: Record<string, string> = ENV, event?: string): number {
  const { stderr } = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', fetchScfNode(), '-e', PROBE, file, ...(event ? [event] : [])], {
    env,
    encoding: 'utf8',
  });
  const count = /Collected : (\d+)/.exec(stderr)?.[1];
  if (!count) throw new Error(`valgrind gave no instruction count (is it installed?): ${stderr.slice(-300)}`);
  return Number(count);
}

/**
 * Parts of the shipped bundle loaded apart, bundled and stubbed as in the function: the COS SDK
 * is the least that any handler writing through it loads; the empty file is what Node's loader
 * costs by itself, to be taken from the others.
 */
export const APART: [name: string, contents: string][] = [
  ['the COS SDK alone', "require('cos-nodejs-sdk-v5')"],
  ['pino and the logger alone', "require('./src/logger').createLogger('info')"],
  ['zod and the event schemas alone', "require('./src/event/parse')"],
  ['an empty file', ''],
];

export const WITH_CACHE = 'mps-cos-backup, code cache';
export const WITHOUT_CACHE = 'mps-cos-backup, no code cache';
export const OBJECTS_COMPILED_FIRST = "mps-cos-backup, code cache, zod's parsers compiled on the first event";
/** A row measured against the local COS, which stores what it is sent, rather than one that answers at once. */
export const STORING = (name: string) => `${name}, local COS storing`;

/**
 * The function as it was before its zod objects waited for PARSES_BEFORE_COMPILING parses to
 * compile their parsers (src/zod.ts): the measure of what that saves the first event.
 */
const compilingOnFirstParse: Plugin = {
  name: 'compile-on-first-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]zod\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const changed = source.replace('inst._zod.parse = uncompiled;', '');
      if (changed === source) throw new Error('src/zod.ts no longer defers compiling as this variant expects');
      return { contents: changed, loader: 'ts' };
    });
  },
};

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface ColdInvocation {
  name: string;
  /** Medians over the runs. */
  loadMs: number;
  firstMs: number;
  totalMs: number;
  /** The fastest run's load + first event: on a shared machine the fastest is the least disturbed. */
  minTotalMs: number;
  firstCpuMs: number;
  rssMb: number;
  codeCache?: CodeCacheUse;
  /** Millions of instructions above requiring an empty file, when counted. */
  instructionsM?: number;
}

export interface ColdStart {
  name: string;
  bytes: number;
  /** Median and fastest of the runs: on a shared machine the fastest is the least disturbed. */
  medianMs: number;
  minMs: number;
  /** Millions of instructions above an empty require, when counted. */
  instructionsM?: number;
}

const oneFile = (stdin: string, outfile: string, plugins: BuildOptions['plugins'] = []) =>
  build({ stdin: { contents: stdin, resolveDir: PROJECT }, outfile, bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, write: true, metafile: true, logLevel: 'warning', plugins });

/** The naive handler (bench/naive.ts) as a careful user would ship it: bundled and minified by esbuild, exporting main_handler. */
export const bundleNaive = (outfile: string, { skipTask = false } = {}) =>
  oneFile(`exports.main_handler = require('./scripts/bench/naive').createNaiveHandler(process.env, { skipTask: ${skipTask} });`, outfile);
const bytesOf = (result: { metafile: { outputs: Record<string, { bytes: number }> } }) => Object.values(result.metafile.outputs)[0]!.bytes;

/**
 * Runs each probe `runs` times, taking turns, so that a slow spell of a shared machine does not
 * fall on one alone; a bar on a terminal shows how far it is.
 */
function inTurns<T>(runs: number, probes: (() => T)[]): T[][] {
  const results = probes.map((): T[] => []);
  for (let turn = 1; turn <= runs; turn++) {
    probes.forEach((p, i) => results[i]!.push(p()));
    if (process.stderr.isTTY) progressBar(turn, runs);
  }
  return results;
}

/**
 * The cold invocation of the function, with and without its code cache, and of the naive handler,
 * against a COS that answers each PUT once its body has arrived: what the handlers cost. Then the
 * function with its cache and the naive handler again against the local COS, which stores both
 * objects' files before it answers, in one process on the same machine: its work for the
 * function's two PUTs lands on the function's first event, where COS does it on machines of its
 * own, at once (STORING rows).
 */
export async function measureColdInvocation(runs = RUNS, countInstructions = false): Promise<ColdInvocation[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cold-invocation-'));
  const [answering, emulator] = await Promise.all([startAnsweringCosProcess(), startEmulatorProcess()]);
  try {
    const empty = join(dir, 'empty.js');
    await writeFile(empty, '');
    const baseline = countInstructions ? instructions(empty) : 0;
    const cached = join(dir, 'cached');
    await buildFunction(cached, dir);
    const compiling = join(dir, 'compiling');
    await buildFunction(compiling, dir, { plugins: [compilingOnFirstParse] });
    const uncached = join(dir, 'uncached');
    await cp(cached, uncached, { recursive: true });
    await rm(join(uncached, CACHE_FILE));
    const naive = join(dir, 'naive.js');
    await bundleNaive(naive);

    const atOnce = { ...ENV, ...answering.env, LOG_LEVEL: 'info' };
    const storing = { ...ENV, ...emulator.env, LOG_LEVEL: 'info' };
    const variants: [name: string, file: string, env: Record<string, string>][] = [
      [WITH_CACHE, join(cached, 'index.js'), atOnce],
      [WITHOUT_CACHE, join(uncached, 'index.js'), atOnce],
      [OBJECTS_COMPILED_FIRST, join(compiling, 'index.js'), atOnce],
      [NAIVE, naive, atOnce],
      [STORING(WITH_CACHE), join(cached, 'index.js'), storing],
      [STORING(NAIVE), naive, storing],
    ];
    const results = inTurns(runs, variants.map(([, file, env]) => () => probe(file, env, FIRST_EVENT)));
    return variants.map(([name], i) => {
      const rs = results[i]!;
      const totals = rs.map((r) => r.loadMs + r.firstMs);
      const row: ColdInvocation = {
        name,
        loadMs: median(rs.map((r) => r.loadMs)),
        firstMs: median(rs.map((r) => r.firstMs)),
        totalMs: median(totals),
        minTotalMs: Math.min(...totals),
        firstCpuMs: median(rs.map((r) => r.firstCpuMs)),
        rssMb: median(rs.map((r) => r.rssMb)),
      };
      const uses = new Set(rs.map((r) => r.codeCache));
      if (uses.size > 1) throw new Error(`${name}: the code cache was ${[...uses].join(' in some runs, ')} in others`);
      if (rs[0]!.codeCache) row.codeCache = rs[0]!.codeCache;
      if (countInstructions) row.instructionsM = Math.round((instructions(variants[i]![1], variants[i]![2], FIRST_EVENT) - baseline) / 1e6);
      return row;
    });
  } finally {
    await Promise.all([answering.close(), emulator.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The load alone of the bundle without stubs, of the handler unbundled, and of its parts apart. */
export async function measureLoad(runs = RUNS, countInstructions = false): Promise<ColdStart[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cold-start-'));
  try {
    const empty = join(dir, 'empty.js');
    await writeFile(empty, '');
    const baseline = countInstructions ? instructions(empty) : 0;
    const shipped = join(dir, 'shipped');
    const { main } = await buildFunction(shipped, dir);
    const full = join(dir, 'full');
    const unstubbed = await bundle({ stub: false });
    await writeBundle(unstubbed, full, full);
    const variants: { name: string; file: string; bytes: number }[] = [
      { name: 'bundle (shipped, code cache)', file: join(shipped, 'index.js'), bytes: main.code.length },
      { name: 'bundle without stubs, no code cache', file: join(full, 'index.js'), bytes: unstubbed.main.code.length },
    ];
    // The same handler with its packages required from node_modules at run time.
    const unbundled = join(PROJECT, 'dist', 'cold-start-unbundled.js');
    const result = await build({ entryPoints: [join(PROJECT, 'src', 'index.ts')], outfile: unbundled, bundle: true, packages: 'external', platform: 'node', target: 'node18', format: 'cjs', write: true, metafile: true, logLevel: 'warning' });
    variants.push({ name: 'unbundled, from node_modules', file: unbundled, bytes: bytesOf(result) });
    for (const [name, contents] of APART) {
      const file = join(dir, `${name.replaceAll(' ', '-')}.js`);
      const apart = await oneFile(`${contents}; exports.main_handler = async () => null;`, file, [stubs(STUBBED_PACKAGES), lazyBuiltins(LAZY_BUILTINS), lazyPackages(LAZY_PACKAGES)]);
      variants.push({ name, file, bytes: bytesOf(apart) });
    }
    const times = inTurns(runs, variants.map((v) => () => probe(v.file, ENV).loadMs));
    return variants.map((v, i) => {
      const row: ColdStart = { name: v.name, bytes: v.bytes, medianMs: median(times[i]!), minMs: Math.min(...times[i]!) };
      if (countInstructions) row.instructionsM = Math.round((instructions(v.file) - baseline) / 1e6);
      return row;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The aim for the cold invocation with the code cache, as a share of the naive handler's. */
export const COLD_AIM = 0.4;

/** The cold invocation against the naive handler's, as ratios. */
export function coldRatios(rows: ColdInvocation[]): { withCache: number; withoutCache: number; storing: number } {
  const total = (name: string) => rows.find((r) => r.name === name)!.totalMs;
  return {
    withCache: total(WITH_CACHE) / total(NAIVE),
    withoutCache: total(WITHOUT_CACHE) / total(NAIVE),
    storing: total(STORING(WITH_CACHE)) / total(STORING(NAIVE)),
  };
}

const USAGE = `npm run cold-start [-- --instructions]

What a new SCF instance costs, in fresh processes of SCF's Node ${SCF_NODE_VERSION}: the cold
invocation (load + first event) of the packaged function with and without its code cache and of a
naive handler, then the load alone of the bundle's variants and parts. COLD_START_RUNS (default
21) sets the number of runs of each.

  --instructions   also count instructions with valgrind, which do not move with the machine's load
  -h, --help       this text`;

if (require.main === module) {
  run(async (argv) => {
    const args = commandLine(argv, USAGE, { instructions: { type: 'boolean' } });
    if (!args) return;
    const counting = args.values.instructions === true;
    const f = (n: number) => n.toFixed(1).padStart(6);
    console.log(`Cold invocation, load + first event against a COS that answers at once (and the local COS, storing), over ${RUNS} fresh processes (Node ${SCF_NODE_VERSION}, as on SCF): medians, fastest total, RSS after`);
    const cold = await measureColdInvocation(RUNS, counting);
    for (const r of cold) {
      const count = r.instructionsM === undefined ? '' : `  ${r.instructionsM} M instructions`;
      console.log(`  ${r.name}\n    load ${f(r.loadMs)} ms  first event ${f(r.firstMs)} ms  total ${f(r.totalMs)} ms  fastest ${f(r.minTotalMs)} ms  first event CPU ${f(r.firstCpuMs)} ms  ${f(r.rssMb)} MB${r.codeCache ? `  cache ${r.codeCache}` : ''}${count}`);
    }
    const { withCache, withoutCache, storing } = coldRatios(cold);
    console.log(`  against the naive handler: ${withCache.toFixed(2)}× with the code cache (aim ≤ ${COLD_AIM}×), ${withoutCache.toFixed(2)}× without; ${storing.toFixed(2)}× with the code cache against the local COS, storing`);
    if (counting) {
      const ins = (name: string) => cold.find((r) => r.name === name)!.instructionsM!;
      console.log(`  in instructions: ${(ins(WITH_CACHE) / ins(NAIVE)).toFixed(2)}× with the code cache, ${(ins(WITHOUT_CACHE) / ins(NAIVE)).toFixed(2)}× without`);
    }
    console.log(`Load alone, to a ready main_handler: median, fastest${counting ? ', instructions' : ''}`);
    for (const r of await measureLoad(RUNS, counting)) {
      const count = r.instructionsM === undefined ? '' : `  ${String(r.instructionsM).padStart(5)} M`;
      console.log(`  ${r.name.padEnd(36)} ${(r.bytes / 1024).toFixed(0).padStart(5)} KB  ${f(r.medianMs)} ms  ${f(r.minMs)} ms${count}`);
    }
  });
}
