import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { plan } from '../../src/plan';
import { PROJECT } from '../build/bundle';

/*
 * Per-event CPU, without the network: what the handler computes for an event (validation,
 * normalization, keys, serialization, MD5 of both objects) against what any backup must compute
 * for the same event (JSON.stringify of it and the MD5 of those bytes).
 */

export const CPU_EVENTS = ['workflow-task-docs-sample', 'edit-media-task-success', 'workflow-task-large-ai'];

const layout = { prefix: 'mps-events', timeZone: 'UTC' };
const invocation = { requestId: 'bench', functionName: 'bench', receivedAt: new Date(), deadline: 0 };

/** The handler's work for one event: plan() computes both objects and their MD5s. */
export const handlerWork = (event: unknown) => plan(event, invocation, layout).objects.length;
export const lowerBound = (event: unknown) => createHash('md5').update(Buffer.from(JSON.stringify(event))).digest('base64');

export interface CpuRow {
  event: string;
  bytes: number;
  handlerUs: number;
  lowerUs: number;
  ratio: number;
}

export async function measureCpu(options: { time: number; warmup: number } = { time: 2_000, warmup: 500 }): Promise<CpuRow[]> {
  const rows: CpuRow[] = [];
  for (const name of CPU_EVENTS) {
    const event = JSON.parse(readFileSync(join(PROJECT, 'fixtures', 'events', `${name}.json`), 'utf8'));
    const bench = new Bench({ time: options.time, warmupTime: options.warmup });
    bench.add('handler', () => handlerWork(event));
    bench.add('lower bound', () => lowerBound(event));
    await bench.run();
    const [handler, lower] = bench.tasks.map((t) => (t.result as { latency: { p50: number } }).latency.p50 * 1000);
    rows.push({ event: name, bytes: Buffer.byteLength(JSON.stringify(event)), handlerUs: handler!, lowerUs: lower!, ratio: handler! / lower! });
  }
  return rows;
}
