import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { zipFolder } from '../build/zip';
import { SCF_NODE_VERSION } from '../scf-node';
import { BILLED_LATENCY_MS } from './aims';
import type { Baseline } from './baseline';
import { measureColdInvocation, type ColdInvocation } from './cold-invocation';
import { COMPACTION_SIZES, measureCompaction, QUICK_COMPACTION_SIZES, type CompactionRow, type CompactionSizes } from './compaction';
import { measureCpu, type CpuRow } from './cpu';
import { countEventInstructions, measureEndToEnd, WARM_UP_EVENTS, type E2ePlan, type E2eRow, type EventInstructions } from './e2e';
import { measureLoad, type LoadRow } from './load';
import { measureMemory, type MemoryResults } from './memory';
import { withBuilds } from './variants';

/* Every benchmark of `npm run bench`, in one run, at the sizes of a plan. */

export interface Plan {
  /** tinybench's time and warm-up per task, in ms. */
  cpu: { time: number; warmup: number };
  e2e: E2ePlan;
  /** The same under callgrind, about 50 times slower once it counts. */
  instructions: E2ePlan;
  /** Fresh processes of each cold-start variant. */
  coldRuns: number;
  /** Events of the documentation's sample; the others take fewer (memory.ts). */
  memoryEvents: number;
  /** The archive compacted and queried. */
  compaction: CompactionSizes;
}

export const FULL: Plan = {
  cpu: { time: 3_000, warmup: 1_000 },
  e2e: { rounds: 5, events: 200, warmUp: WARM_UP_EVENTS },
  instructions: { rounds: 5, events: 40, warmUp: WARM_UP_EVENTS },
  coldRuns: 21,
  memoryEvents: 10_000,
  compaction: COMPACTION_SIZES,
};

/** Every part, briefly: a smoke run whose numbers mean little. */
export const QUICK: Plan = {
  cpu: { time: 100, warmup: 20 },
  e2e: { rounds: 2, events: 10, warmUp: 20 },
  instructions: { rounds: 2, events: 3, warmUp: 20 },
  coldRuns: 3,
  memoryEvents: 200,
  compaction: QUICK_COMPACTION_SIZES,
};

/** COS latencies end to end: a COS answering as fast as it goes, and one about as far as COS in a region. */
export const LATENCIES_MS = [0, BILLED_LATENCY_MS];

export interface Results {
  plan: Plan;
  /** YYYY-MM-DD */
  date: string;
  machine: string;
  node: string;
  scfNode: string;
  /** CPU time the hypervisor gave to others, as a share of this run's: the noise behind every number. */
  stealPercent: number;
  cpu: CpuRow[];
  /** The commit whose handler section 1 timed beside this one's, if any. */
  baseline: string | null;
  e2e: E2eRow[];
  eventInstructions: EventInstructions[];
  cold: ColdInvocation[];
  load: LoadRow[];
  /** The deployable zip: the loader, the bundle, its code cache and scf-sdk.js. */
  zipBytes: number;
  memory: MemoryResults;
  compaction: CompactionRow[];
}

function stealSampler(): () => number {
  const read = () => (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const start = read();
  return () => {
    const delta = read().map((v, i) => v - (start[i] ?? 0));
    const total = delta.reduce((a, b) => a + b, 0);
    return total > 0 ? Math.round((100 * (delta[7] ?? 0)) / total) : 0;
  };
}

/** `step` hears of each part as it starts; section 1 times `baseline`'s handler as well, when given. */
export async function measureAll(plan: Plan, step: (what: string) => void = () => {}, baseline?: Baseline): Promise<Results> {
  const steal = stealSampler();
  const date = new Date().toISOString().slice(0, 10);
  return withBuilds(async (builds) => {
    step('1/6 per-event CPU');
    const cpu = await measureCpu(plan.cpu, baseline);
    step('2/6 end to end');
    const e2e: E2eRow[] = [];
    for (const latencyMs of LATENCIES_MS) e2e.push(...(await measureEndToEnd(builds, latencyMs, plan.e2e)));
    step('3/6 instructions per event, under callgrind');
    const eventInstructions = await countEventInstructions(builds, plan.instructions);
    step('4/6 cold start');
    const cold = await measureColdInvocation(builds, { runs: plan.coldRuns, count: ['function', 'naive'] });
    const load = await measureLoad(builds, { runs: plan.coldRuns, count: false });
    const zipBytes = (await zipFolder(dirname(await builds.file('function')))).zip.length;
    step('5/6 memory');
    const memory = await measureMemory(builds, plan.memoryEvents);
    step('6/6 compaction');
    const compaction = await measureCompaction(plan.compaction, dirname(await builds.file('function')));
    return {
      plan,
      date,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}`,
      node: process.versions.node,
      scfNode: SCF_NODE_VERSION,
      stealPercent: steal(),
      cpu,
      baseline: baseline?.ref ?? null,
      e2e,
      eventInstructions,
      cold,
      load,
      zipBytes,
      memory,
      compaction,
    };
  });
}
