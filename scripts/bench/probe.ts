import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CodeCacheUse } from '../../src/code-cache';
import { PROJECT } from '../build/bundle';
import { shippedNodeOptions } from '../build/code-cache';
import { progressBar } from '../cli';
import { fetchScfNode } from '../scf-node';
import { countInstructions, COUNT_FROM, COUNT_TO, WAIT_FOR_COUNTING } from './callgrind';

/*
 * A new SCF instance, in a fresh process of SCF's Node with the NODE_OPTIONS serverless.yml sets:
 * the load of a handler's file and, given an event, its first invocation, Node's own start not
 * counted, timed or counted in instructions.
 */

export const FIRST_EVENT = join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json');

/** Run in a fresh process: the load and, given an event, the first invocation; ms and RSS. */
const PROBE = `
const [file, eventFile] = process.argv.slice(1);
const event = eventFile && JSON.parse(require('node:fs').readFileSync(eventFile, 'utf8'));
${WAIT_FOR_COUNTING}
${COUNT_FROM};
const started = process.hrtime.bigint();
const { main_handler } = require(file);
const loaded = process.hrtime.bigint();
if (typeof main_handler !== 'function') throw new Error('no main_handler');
const ms = (from, to) => Number(to - from) / 1e6;
const report = (firstMs, firstCpuMs) => process.stderr.write(JSON.stringify({ loadMs: ms(started, loaded), firstMs, firstCpuMs, rssMb: process.memoryUsage().rss / 1048576 }));
const cpu = process.cpuUsage();
if (!event) {
  ${COUNT_TO};
  report(0, 0);
} else main_handler(event, { request_id: 'cold-start', time_limit_in_ms: 30000 }).then(() => {
  ${COUNT_TO};
  const { user, system } = process.cpuUsage(cpu);
  report(ms(loaded, process.hrtime.bigint()), (user + system) / 1000);
});
`;

/** What the probes run with: SCF's settings, and a bucket the function is configured for. */
export const probeEnv = (more: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  NODE_OPTIONS: shippedNodeOptions(),
  COS_BUCKET: 'cold-start-1250000000',
  COS_REGION: 'ap-guangzhou',
  LOG_LEVEL: 'silent',
  ...more,
});

export interface Probe {
  loadMs: number;
  firstMs: number;
  /** CPU time of the first event: less moved by a busy machine than its wall time. */
  firstCpuMs: number;
  rssMb: number;
  /** From the function's cold-start log line; undefined for what does not log one. */
  codeCache?: CodeCacheUse;
}

export function probe(file: string, env: Record<string, string>, event?: string): Probe {
  const { stdout, stderr, status } = spawnSync(fetchScfNode(), ['-e', PROBE, file, ...(event ? [event] : [])], { env, encoding: 'utf8' });
  if (status !== 0) throw new Error(`loading ${file} failed: ${stderr.slice(-500)}`);
  const coldStart = stdout.split('\n').find((line) => line.includes('"cold_start":true'));
  return { ...(JSON.parse(stderr) as Probe), ...(coldStart && { codeCache: (JSON.parse(coldStart) as { code_cache: CodeCacheUse }).code_cache }) };
}

/** Instructions of the load and, given an event, the first invocation: one process. */
export async function probeInstructions(file: string, env: Record<string, string>, event?: string): Promise<number> {
  const [count, ...more] = await countInstructions(['-e', PROBE, file, ...(event ? [event] : [])], env);
  if (count === undefined || more.length > 0) throw new Error(`the probe of ${file} marked ${more.length + (count === undefined ? 0 : 1)} segments, not one`);
  return count;
}

/**
 * Runs each probe `runs` times, taking turns, so that a slow spell of a shared machine does not
 * fall on one alone; a bar on a terminal shows how far it is.
 */
export function inTurns<T>(runs: number, probes: (() => T)[]): T[][] {
  const results = probes.map((): T[] => []);
  for (let turn = 1; turn <= runs; turn++) {
    probes.forEach((p, i) => results[i]!.push(p()));
    if (process.stderr.isTTY) progressBar(turn, runs);
  }
  return results;
}
