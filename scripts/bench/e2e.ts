import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig, readCredentials } from '../../src/config';
import { createHandler, type Handler } from '../../src/handler';
import { createLogger } from '../../src/logger';
import { createCosStore } from '../../src/store/cos';
import { PROJECT } from '../build/bundle';
import { median } from '../cold-start';
import { startEmulatorProcess } from './emulator';
import { createNaiveHandler, NAIVE } from './naive';

/*
 * End to end, over HTTP to the local COS: the real handler (two objects per event, logging
 * included) against a naive one (the same SDK, one bare putObject of JSON.stringify(event)), at
 * concurrency 1 and 32, in turns, several rounds; the median round is reported.
 */

export interface E2eRow {
  /** How long after its request each COS answer leaves: 0 is the emulator as fast as it goes. */
  latencyMs: number;
  handler: string;
  concurrency: number;
  events: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this process (the function's side) per event. */
  cpuMsPerEvent: number;
}

type Run = (event: unknown) => Promise<unknown>;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function drive(run: Run, events: unknown[], concurrency: number): Promise<{ seconds: number; latencies: number[]; cpuMsPerEvent: number }> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) {
        const event = events[next++];
        const t = process.hrtime.bigint();
        await run(event);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    latencies: latencies.sort((a, b) => a - b),
    cpuMsPerEvent: (used.user + used.system) / 1000 / events.length,
  };
}

/** Distinct copies of the docs sample, one task id each, so that no key repeats. */
function events(count: number): unknown[] {
  const sample = readFileSync(join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json'), 'utf8');
  return Array.from({ length: count }, () => {
    const event = JSON.parse(sample);
    event.WorkflowTaskEvent.TaskId = `1250000000-WorkflowTask-${randomUUID().replaceAll('-', '')}`;
    return event;
  });
}

export interface E2eOptions {
  latencyMs: number;
  rounds: number;
  /** Events per run, by concurrency. */
  sizes: Record<number, number>;
}

export async function measureEndToEnd(options: E2eOptions): Promise<E2eRow[]> {
  const emulator = await startEmulatorProcess(options.latencyMs);
  try {
    const config = loadConfig({ ...emulator.env, LOG_LEVEL: 'info' });
    const credentials = readCredentials(emulator.env);
    const handler: Handler = createHandler({
      config,
      store: createCosStore(config, { credentials: () => credentials }),
      logger: createLogger('info', pino.destination({ dest: '/dev/null', sync: true })),
    });
    const context = { request_id: 'bench', function_name: 'bench', time_limit_in_ms: 30_000 };
    const naive = createNaiveHandler(emulator.env);
    const handlers: [string, Run][] = [
      [NAIVE, naive],
      ['mps-cos-backup', (event) => handler(event, context)],
    ];

    await drive(handlers[1]![1], events(50), 8); // warm both paths up
    await drive(naive, events(50), 8);
    const rows: E2eRow[] = [];
    for (const [concurrency, count] of Object.entries(options.sizes).map(([c, n]) => [Number(c), n] as const)) {
      const results = new Map<string, { eps: number; p50: number; p99: number; cpu: number }[]>();
      for (let round = 0; round < options.rounds; round++) {
        for (const [name, run] of round % 2 ? [...handlers].reverse() : handlers) {
          const { seconds, latencies, cpuMsPerEvent } = await drive(run, events(count), concurrency);
          results.set(name, [...(results.get(name) ?? []), { eps: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpu: cpuMsPerEvent }]);
        }
      }
      for (const [name] of handlers) {
        const runs = results.get(name)!;
        rows.push({
          latencyMs: options.latencyMs,
          handler: name,
          concurrency,
          events: count,
          eventsPerSecond: median(runs.map((r) => r.eps)),
          p50Ms: median(runs.map((r) => r.p50)),
          p99Ms: median(runs.map((r) => r.p99)),
          cpuMsPerEvent: median(runs.map((r) => r.cpu)),
        });
      }
    }
    return rows;
  } finally {
    await emulator.close();
  }
}
