import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARSES_BEFORE_COMPILING } from '../../src/zod';
import { PROJECT } from '../build/bundle';
import { buildFunction, shippedNodeOptions } from '../build/code-cache';
import { bundleNaive, median } from '../cold-start';
import { fetchScfNode } from '../scf-node';
import { startEmulatorProcess } from './emulator';
import { NAIVE, NAIVE_SKIP_TASK } from './naive';

/*
 * End to end, over HTTP to the local COS, what a user runs: the function as shipped (dist/function,
 * the bundle loaded by its loader, logging to stdout at info) against the naive handler (the same
 * SDK, one bare putObject of JSON.stringify(event)) bundled and minified by esbuild, and the same
 * with SkipTask, all in one fresh process of SCF's Node with the NODE_OPTIONS of serverless.yml, at
 * concurrency 1 and 32, in turns, several rounds; the median round is reported.
 */

/**
 * Events each handler takes before it is measured, so that each is measured as a warm instance
 * is once it has settled. Until then both drift, and which way the ratio leans would depend on
 * the order of the runs: the naive handler's SDK keeps its past uploads in a list, up to its
 * UploadQueueSize of 1,000, and formats the whole list on every update; this function's zod
 * objects compile their parsers after PARSES_BEFORE_COMPILING parses (src/zod.ts).
 */
export const WARM_UP_EVENTS = Math.max(1_000, PARSES_BEFORE_COMPILING) + 100;

export interface E2eRow {
  /** How long after its request each COS answer leaves: 0 is the emulator as fast as it goes. */
  latencyMs: number;
  handler: string;
  concurrency: number;
  events: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time of the process running the handlers (the function's side, not COS's) per event, in
   * each round, in order: the handlers take turns within a round, so rounds pair.
   */
  cpuMsPerEventByRound: number[];
}

export const FUNCTION = 'mps-cos-backup';

/**
 * Runs in that process: requires the handlers, warms each up, then drives each with distinct
 * copies of the docs sample (one task id each, so that no key repeats) and writes one run per
 * line of stderr. Its stdout is the function's log, which SCF would collect; here it goes nowhere.
 */
const DRIVER = `
const { randomUUID } = require('node:crypto');
const [functionDir, naives, sampleFile, plan] = process.argv.slice(1);
const { rounds, sizes, warmUp } = JSON.parse(plan);
const sample = require('node:fs').readFileSync(sampleFile, 'utf8');
const context = { request_id: 'bench', function_name: 'bench', time_limit_in_ms: 30000 };
const { main_handler } = require(functionDir + '/index.js');
const handlers = [...JSON.parse(naives).map(([name, file]) => [name, require(file).main_handler]), [${JSON.stringify(FUNCTION)}, (event) => main_handler(event, context)]];

function events(count) {
  return Array.from({ length: count }, () => {
    const event = JSON.parse(sample);
    event.WorkflowTaskEvent.TaskId = '1250000000-WorkflowTask-' + randomUUID().replaceAll('-', '');
    return event;
  });
}

async function drive(run, batch, concurrency) {
  const latencies = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < batch.length) {
      const event = batch[next++];
      const t = process.hrtime.bigint();
      await run(event);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  const used = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies: latencies.sort((a, b) => a - b), cpuMs: (used.user + used.system) / 1000 };
}

(async () => {
  for (const [, run] of handlers) await drive(run, events(warmUp), 8);
  for (const [concurrency, count] of Object.entries(sizes)) {
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of round % 2 ? [...handlers].reverse() : handlers) {
        const { seconds, latencies, cpuMs } = await drive(run, events(count), Number(concurrency));
        process.stderr.write(JSON.stringify({ name, concurrency: Number(concurrency), count, seconds, latencies, cpuMs }) + '\\n');
      }
    }
  }
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

interface Run {
  name: string;
  concurrency: number;
  count: number;
  seconds: number;
  latencies: number[];
  cpuMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function runDriver(args: string[], env: Record<string, string>): Promise<Run[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(fetchScfNode(), ['-e', DRIVER, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = stderr.split('\n').filter((l) => l.startsWith('{'));
      if (code === 0) resolve(lines.map((l) => JSON.parse(l) as Run));
      else reject(new Error(`the end-to-end driver exited with ${code}: ${stderr.slice(-1000)}`));
    });
  });
}

export interface E2eOptions {
  latencyMs: number;
  rounds: number;
  /** Events per run, by concurrency. */
  sizes: Record<number, number>;
  /** Events each handler takes first, unmeasured (WARM_UP_EVENTS). */
  warmUp: number;
}

export async function measureEndToEnd(options: E2eOptions): Promise<E2eRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-e2e-'));
  const emulator = await startEmulatorProcess(options.latencyMs);
  try {
    const functionDir = join(dir, 'function');
    await buildFunction(functionDir, dir);
    const naives: [string, string][] = [
      [NAIVE, join(dir, 'naive.js')],
      [NAIVE_SKIP_TASK, join(dir, 'naive-skip-task.js')],
    ];
    await bundleNaive(naives[0]![1]);
    await bundleNaive(naives[1]![1], { skipTask: true });
    const sample = join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json');
    const plan = { rounds: options.rounds, sizes: options.sizes, warmUp: options.warmUp };
    const runs = await runDriver([functionDir, JSON.stringify(naives), sample, JSON.stringify(plan)], {
      PATH: process.env.PATH ?? '',
      ...emulator.env,
      LOG_LEVEL: 'info',
      NODE_OPTIONS: shippedNodeOptions(),
    });
    const rows: E2eRow[] = [];
    for (const [c, count] of Object.entries(options.sizes)) {
      for (const name of [NAIVE, NAIVE_SKIP_TASK, FUNCTION]) {
        const mine = runs.filter((r) => r.name === name && r.concurrency === Number(c));
        rows.push({
          latencyMs: options.latencyMs,
          handler: name,
          concurrency: Number(c),
          events: count,
          eventsPerSecond: median(mine.map((r) => r.count / r.seconds)),
          p50Ms: median(mine.map((r) => percentile(r.latencies, 50))),
          p99Ms: median(mine.map((r) => percentile(r.latencies, 99))),
          cpuMsPerEventByRound: mine.map((r) => r.cpuMs / r.count),
        });
      }
    }
    return rows;
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
