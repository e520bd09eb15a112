import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import type { MaskedTexts } from '../../src/mask/text';
import { plan } from '../../src/plan';
import { PROJECT } from '../build/bundle';
import type { Baseline } from './baseline';
import { median, pairedRatios, spread, type Spread } from './stats';

/*
 * Per-event CPU, without the network: what the handler computes for an event (validation,
 * normalization, keys, serialization, MD5 of both objects) against what any backup must compute
 * for the same event (JSON.stringify of it and the MD5 of those bytes), and against the floor of
 * this design: serializing and hashing the two objects it writes, with nothing else; and, when
 * asked, against the handler of another commit (baseline.ts).
 */

export const CPU_EVENTS = ['workflow-task-docs-sample', 'edit-media-task-success', 'workflow-task-large-ai'];

const layout = { prefix: 'mps-events', timeZone: 'UTC' };
const invocation = { requestId: 'bench', functionName: 'bench', receivedAt: new Date(), deadline: 0 };

/** The short texts masked for earlier events, which the handler keeps for all of an instance's. */
const maskedTexts: MaskedTexts = new Map();
/** The handler's work for one event: plan() computes both objects and their MD5s. */
export const handlerWork = (event: unknown, planOf: typeof plan = plan, masked = maskedTexts) => Object.keys(planOf(event, invocation, layout, masked).objects).length;
const md5 = (value: unknown, suffix = '') => createHash('md5').update(Buffer.from(JSON.stringify(value) + suffix)).digest('base64');
export const lowerBound = (event: unknown) => md5(event);
/** The lower bound paid for both objects: the event and its normalized record (made beforehand). */
export const twoObjects = (event: unknown, record: unknown) => [md5(event), md5(record, '\n')];

const ROUNDS = 5;

export interface CpuRow {
  event: string;
  bytes: number;
  handlerUs: number;
  lowerUs: number;
  /** Serializing and hashing the two objects alone. */
  floorUs: number;
  ratio: number;
  /** The baseline's handler, and ours against it round by round; null without a baseline. */
  baseline: { us: number; ratio: Spread } | null;
}

export async function measureCpu(options: { time: number; warmup: number } = { time: 2_000, warmup: 500 }, baseline?: Baseline): Promise<CpuRow[]> {
  const rows: CpuRow[] = [];
  const baselineMasked: MaskedTexts = new Map();
  for (const name of CPU_EVENTS) {
    const event = JSON.parse(readFileSync(join(PROJECT, 'fixtures', 'events', `${name}.json`), 'utf8'));
    const planned = plan(event, invocation, layout);
    if (planned.kind !== 'archive') throw new Error(`${name} is not a valid event`);
    const tasks: [string, () => unknown][] = [
      ['handler', () => handlerWork(event)],
      ['lower bound', () => lowerBound(event)],
      ['two objects', () => twoObjects(event, planned.record)],
    ];
    if (baseline) tasks.push(['baseline', () => handlerWork(event, baseline.plan, baselineMasked)]);
    // Short rounds in turn, so that a slow spell of a shared machine falls on every task alike
    // and the median round leaves it out.
    const p50s = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({ time: options.time / ROUNDS, warmupTime: options.warmup });
      const first = round % tasks.length;
      for (const [name, fn] of [...tasks.slice(first), ...tasks.slice(0, first)]) bench.add(name, fn);
      await bench.run();
      for (const t of bench.tasks) p50s.set(t.name, [...(p50s.get(t.name) ?? []), (t.result as { latency: { p50: number } }).latency.p50 * 1000]);
    }
    const [handler, lower, floor, theirs] = tasks.map(([name]) => median(p50s.get(name)!));
    rows.push({
      event: name,
      bytes: Buffer.byteLength(JSON.stringify(event)),
      handlerUs: handler!,
      lowerUs: lower!,
      floorUs: floor!,
      ratio: handler! / lower!,
      baseline: theirs === undefined ? null : { us: theirs, ratio: spread(pairedRatios(p50s.get('handler')!, p50s.get('baseline')!)) },
    });
  }
  return rows;
}
