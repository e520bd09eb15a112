import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PARSES_BEFORE_COMPILING } from '../../src/zod';
import { PROJECT } from '../build/bundle';
import { shippedNodeOptions } from '../build/code-cache';
import { fetchScfNode } from '../scf-node';
import { countInstructions, COUNT_FROM, COUNT_TO, WAIT_FOR_COUNTING } from './callgrind';
import { startEmulatorProcess } from './emulator';
import { median, percentile } from './stats';
import type { Builds, Variant } from './variants';

/*
 * End to end, over HTTP to the local COS in a process of its own, one event at a time, as SCF
 * gives them to an instance: the function as shipped (its loader, bundle and code cache, logging
 * to stdout at info) against the naive handler (naive.ts) bundled and minified by esbuild, and
 * the same with SkipTask, all in one process of SCF's Node with the NODE_OPTIONS of
 * serverless.yml, in turns, several rounds. The same driver, under callgrind, counts each
 * handler's instructions per event.
 */

/** Measured end to end; the naive handler with SkipTask shows the least one SDK PUT costs. */
export const E2E_VARIANTS: Variant[] = ['naive', 'naive-skip-task', 'function'];
/** Counted in instructions: the pair the aim compares. */
export const COUNTED_VARIANTS: Variant[] = ['naive', 'function'];

/**
 * Events each handler takes before it is measured, so that each is measured as a warm instance
 * is once it has settled. Until then both drift, and which way the ratio leans would depend on
 * the order of the runs: the naive handler's SDK keeps its past uploads in a list, up to its
 * UploadQueueSize of 1,000, and formats the whole list on every update; this function's zod
 * objects compile their parsers after PARSES_BEFORE_COMPILING parses (src/zod.ts).
 */
export const WARM_UP_EVENTS = Math.max(1_000, PARSES_BEFORE_COMPILING) + 100;

/**
 * Runs in that process: requires the handlers, warms each up, then drives each with distinct
 * copies of the docs sample (one task id each, so that no key repeats), one event at a time,
 * and writes one run per line of stderr. Each run is a segment for callgrind, which counts from
 * the end of the warm-up. Its stdout is the function's log, which SCF would collect; here it goes
 * nowhere.
 */
const DRIVER = `
const { randomUUID } = require('node:crypto');
const [files, sampleFile, plan] = process.argv.slice(1);
const { rounds, events: count, warmUp } = JSON.parse(plan);
const sample = require('node:fs').readFileSync(sampleFile, 'utf8');
const context = { request_id: 'bench', function_name: 'bench', time_limit_in_ms: 30000 };
const handlers = JSON.parse(files).map(([variant, file]) => [variant, require(file).main_handler]);

function events(n) {
  return Array.from({ length: n }, () => {
    const event = JSON.parse(sample);
    event.WorkflowTaskEvent.TaskId = '1250000000-WorkflowTask-' + randomUUID().replaceAll('-', '');
    return event;
  });
}

async function drive(handler, batch) {
  const latencies = [];
  ${COUNT_FROM};
  const cpu = process.cpuUsage();
  for (const event of batch) {
    const t = process.hrtime.bigint();
    await handler(event, context);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  ${COUNT_TO};
  return { latencies, cpuMs: (used.user + used.system) / 1000 };
}

(async () => {
  // Eight at a time, to be quicker: neither what fills the SDK's list nor zod's count of parses cares.
  for (const [, handler] of handlers) {
    const batch = events(warmUp);
    await Promise.all(Array.from({ length: 8 }, async () => { while (batch.length > 0) await handler(batch.pop(), context); }));
  }
  ${WAIT_FOR_COUNTING}
  for (let round = 0; round < rounds; round++) {
    for (const [variant, handler] of round % 2 ? [...handlers].reverse() : handlers) {
      process.stderr.write(JSON.stringify({ variant, round, ...(await drive(handler, events(count))) }) + '\\n');
    }
  }
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

interface Run {
  variant: Variant;
  round: number;
  latencies: number[];
  cpuMs: number;
}

export interface E2ePlan {
  rounds: number;
  /** Events per handler in a round. */
  events: number;
  /** Events each handler takes first, unmeasured (WARM_UP_EVENTS). */
  warmUp: number;
}

export interface E2eRow {
  /** How long after its request each COS answer leaves: 0 is the emulator as fast as it goes. */
  latencyMs: number;
  variant: Variant;
  events: number;
  /**
   * Each round's mean wall time per event, which SCF bills, and CPU time per event of the process
   * running the handlers (not COS's): the handlers take turns within a round, so rounds pair.
   */
  wallMsByRound: number[];
  cpuMsByRound: number[];
  /** Medians over the rounds. */
  p50Ms: number;
  p99Ms: number;
}

const driverArgs = async (builds: Builds, variants: Variant[], plan: E2ePlan) => {
  const files = await Promise.all(variants.map(async (variant) => [variant, await builds.file(variant)]));
  const sample = join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json');
  return ['-e', DRIVER, JSON.stringify(files), sample, JSON.stringify(plan)];
};

const driverEnv = (cos: Record<string, string>) => ({ PATH: process.env.PATH ?? '', ...cos, LOG_LEVEL: 'info', NODE_OPTIONS: shippedNodeOptions() });

function runDriver(args: string[], env: Record<string, string>): Promise<Run[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(fetchScfNode(), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
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

export async function measureEndToEnd(builds: Builds, latencyMs: number, plan: E2ePlan): Promise<E2eRow[]> {
  const emulator = await startEmulatorProcess(latencyMs);
  try {
    const runs = await runDriver(await driverArgs(builds, E2E_VARIANTS, plan), driverEnv(emulator.env));
    return E2E_VARIANTS.map((variant) => {
      const mine = runs.filter((r) => r.variant === variant).sort((a, b) => a.round - b.round);
      const sorted = mine.map((r) => [...r.latencies].sort((a, b) => a - b));
      return {
        latencyMs,
        variant,
        events: plan.events,
        wallMsByRound: mine.map((r) => r.latencies.reduce((a, b) => a + b, 0) / r.latencies.length),
        cpuMsByRound: mine.map((r) => r.cpuMs / r.latencies.length),
        p50Ms: median(sorted.map((s) => percentile(s, 50))),
        p99Ms: median(sorted.map((s) => percentile(s, 99))),
      };
    });
  } finally {
    await emulator.close();
  }
}

export interface EventInstructions {
  variant: Variant;
  /** Each round's instructions per event, counted in one process after the same warm-up. */
  perEventByRound: number[];
}

/** The driver under callgrind, against the local COS answering at once, counting once warm. */
export async function countEventInstructions(builds: Builds, plan: E2ePlan): Promise<EventInstructions[]> {
  const emulator = await startEmulatorProcess(0);
  try {
    const counts = await countInstructions(await driverArgs(builds, COUNTED_VARIANTS, plan), driverEnv(emulator.env));
    if (counts.length !== plan.rounds * COUNTED_VARIANTS.length) throw new Error(`callgrind counted ${counts.length} runs, not ${plan.rounds * COUNTED_VARIANTS.length}`);
    // In the driver's order: each round in turn, every other one reversed.
    const order = Array.from({ length: plan.rounds }, (_, round) => (round % 2 ? [...COUNTED_VARIANTS].reverse() : COUNTED_VARIANTS)).flat();
    return COUNTED_VARIANTS.map((variant) => ({ variant, perEventByRound: counts.filter((_, i) => order[i] === variant).map((c) => c / plan.events) }));
  } finally {
    await emulator.close();
  }
}
