import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CodeCacheUse } from '../../src/code-cache';
import { ASYNC_EVENT_LIMIT } from '../../src/forward/payload';
import { toJson } from '../../src/json';
import { OVERSIZE_BYTES } from '../../src/oversize';
import { PROJECT } from '../build/bundle';
import { shippedNodeOptions } from '../build/code-cache';
import { fetchScfNode } from '../scf-node';
import { cgroupUsage, inCgroup, makeMemoryCgroup, removeCgroup } from './cgroup';
import { startEmulatorProcess } from './emulator';
import { BEYOND_THE_INSTANCE, INSTANCE_HOLDS, LARGER_FUNCTION, largeEvent, sizedMb } from './large-events';
import type { Builds } from './variants';
import { worstEvents } from './worst-events';

/*
 * Memory of one warm instance: the shipped bundle in a fresh process of SCF's Node handles a
 * workload of events one after another, against the local COS in its own process. Each event is
 * read from its file and parsed for each invocation, as SCF parses it, its text kept meanwhile.
 * Heap in use is read after a full GC early (a tenth of the run, at most 1000 events) and at the
 * end: a leak shows as growth between them. Under the shipped settings the process runs in a
 * memory cgroup of the instance's size, where the machine allows one (cgroup.ts).
 */

const run = promisify(execFile);

/** What SCF gives an instance of the shipped configuration (serverless.yml's memorySize). */
export const INSTANCE_MB = 128;

const DRIVER = `
const fs = require('node:fs');
const { main_handler } = require(process.argv[1]);
const files = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const count = Number(process.argv[3]);
// Only now: on the command line, --expose-gc would change V8's flags, and V8 would refuse the code cache.
require('v8').setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
const early = Math.min(1000, Math.ceil(count / 10));
const mb = (bytes) => Math.round(bytes / 1048576 * 10) / 10;
const heapAfterGc = () => { gc(); return mb(process.memoryUsage().heapUsed); };
(async () => {
  const loadedRss = mb(process.memoryUsage().rss);
  let heapEarly;
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const text = fs.readFileSync(files[i % files.length], 'utf8');
    const summary = await main_handler(JSON.parse(text), { request_id: 'm' + i, time_limit_in_ms: 30000 });
    if (summary.result !== 'archived') throw new Error('not archived: ' + JSON.stringify(summary));
    // The text held until the invocation ends, as SCF's runtime may hold it.
    kept += text.length;
    if (i + 1 === early) heapEarly = heapAfterGc();
  }
  const result = { loadedRss, early, heapEarly, heapAtEnd: heapAfterGc(), peakRss: mb(process.resourceUsage().maxRSS * 1024), kept };
  process.stderr.write(JSON.stringify(result));
})();
`;

/**
 * V8's defaults, which size the heap from the host's memory, not the instance's; what the function
 * ships with; and what docs/deploy.md gives a function that takes synchronous events over 256 KB.
 */
export type MemoryMode = 'v8-defaults' | 'shipped' | 'larger';
export const MEMORY_MODE_NAMES: Record<MemoryMode, string> = { 'v8-defaults': 'V8 defaults', shipped: 'shipped settings', larger: `${LARGER_FUNCTION.memoryMb} MB function` };
/** The modes the ordinary and the worst events run in. */
export const MEMORY_MODES: MemoryMode[] = ['v8-defaults', 'shipped'];
const NODE_OPTIONS: Record<MemoryMode, () => string> = { 'v8-defaults': () => '', shipped: shippedNodeOptions, larger: () => LARGER_FUNCTION.nodeOptions };
/** The memory of the instance each mode stands for, and of its cgroup; none for V8's defaults. */
export const MODE_MB: Record<MemoryMode, number | undefined> = { 'v8-defaults': undefined, shipped: INSTANCE_MB, larger: LARGER_FUNCTION.memoryMb };

/**
 * An ordinary event (the documentation's sample); the worst events MPS can send (worst-events.ts,
 * at SCF's asynchronous limit); the same at the largest size the function parses and walks
 * (src/oversize.ts); and synchronous events of 0.5 to 6 MB in every shape (large-events.ts), read
 * as text, in the function docs/deploy.md gives them.
 */
export type Workload = 'sample' | 'worst' | 'bound' | 'large';
export const WORKLOAD_NAMES: Record<Workload, string> = {
  sample: 'documentation sample',
  worst: `worst ${ASYNC_EVENT_LIMIT / 1024} KB events`,
  bound: `worst ${OVERSIZE_BYTES / 1024} KB events`,
  large: 'synchronous events of 0.5 to 6 MB',
};

export interface MemoryRow {
  mode: MemoryMode;
  workload: Workload;
  nodeOptions: string;
  events: number;
  /** Why the process did not finish (the kernel ended it, or its heap ran out); the numbers are then absent. */
  failed?: string;
  loadedRssMb?: number;
  peakRssMb?: number;
  /** Events handled at the early reading. */
  early?: number;
  heapEarlyMb?: number;
  heapAtEndMb?: number;
  /** What the cold-start line said: the cache is made under the shipped settings, so V8's defaults reject it. */
  codeCache?: CodeCacheUse;
  /** The most the kernel charged, in a cgroup of the mode's MODE_MB; absent outside one. */
  cgroupPeakMb?: number;
}

export interface MemoryResults {
  rows: MemoryRow[];
  /** Why the rows of an instance's size ran outside a memory cgroup, when they did. */
  cgroupUnavailable?: string;
}

interface WorkloadPlan {
  texts: () => string[];
  count: number;
  modes: MemoryMode[];
}

/**
 * Each workload's events and count: the worst take tens of milliseconds each, the large hundreds,
 * so they run a fifth, a tenth and a hundredth as many times as the sample, each event at least
 * once. V8's defaults only for the sample and the 128 KB events, against which the shipped settings
 * were chosen. The large events in the larger function: a warm 128 MB instance taking them in turns
 * goes past 128 MB.
 */
/** Every large event: each shape at each size. */
const LARGE = [...INSTANCE_HOLDS, ...BEYOND_THE_INSTANCE];

function workloads(events: number): Record<Workload, WorkloadPlan> {
  const worst = (limit: number) => () => worstEvents(limit).map((w) => toJson(w.event));
  return {
    sample: { texts: () => [readFileSync(join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json'), 'utf8')], count: events, modes: MEMORY_MODES },
    worst: { texts: worst(ASYNC_EVENT_LIMIT), count: Math.max(5, Math.round(events / 5)), modes: MEMORY_MODES },
    bound: { texts: worst(OVERSIZE_BYTES), count: Math.max(5, Math.round(events / 10)), modes: ['shipped'] },
    large: { texts: () => LARGE.map(([shape, mb]) => largeEvent(shape, sizedMb(mb)).text), count: Math.max(LARGE.length, Math.round(events / 100)), modes: ['larger'] },
  };
}

/** Why a driver process ended without its result; `oomKills`: what the kernel ended in its cgroup of `limitMb`. */
function failure(error: { signal?: string | null; stderr?: string }, oomKills: number, limitMb: number | undefined): string {
  if (oomKills > 0) return `the kernel ended it past ${limitMb} MB`;
  if (/heap out of memory/.test(error.stderr ?? '')) return 'its heap ran out';
  return `it failed (${error.signal ?? (error.stderr ?? '').slice(0, 200)})`;
}

export async function measureMemory(builds: Builds, events: number): Promise<MemoryResults> {
  const emulator = await startEmulatorProcess();
  let cgroupUnavailable: string | undefined;
  try {
    const handler = await builds.file('function');
    const rows: MemoryRow[] = [];
    for (const [workload, { texts, count, modes }] of Object.entries(workloads(events)) as [Workload, WorkloadPlan][]) {
      const dir = join(builds.root, `memory-${workload}`);
      await mkdir(dir, { recursive: true });
      const files = await Promise.all(texts().map(async (text, i) => {
        const file = join(dir, `${i}.json`);
        await writeFile(file, text);
        return file;
      }));
      const list = join(dir, 'files.json');
      await writeFile(list, JSON.stringify(files));
      for (const mode of modes) {
        const options = NODE_OPTIONS[mode]();
        const limitMb = MODE_MB[mode];
        const cgroup = limitMb === undefined ? undefined : makeMemoryCgroup(limitMb, `mps-bench-memory-${process.pid}-${workload}`);
        if (cgroup && 'unavailable' in cgroup) cgroupUnavailable = cgroup.unavailable;
        const limited = cgroup && !('unavailable' in cgroup) ? cgroup : undefined;
        const args = ['-e', DRIVER, handler, list, String(count)];
        const [file, argv] = limited ? inCgroup(limited, fetchScfNode(), args) : [fetchScfNode(), args];
        const row: MemoryRow = { mode, workload, nodeOptions: options, events: count };
        let failed: { signal?: string; stderr?: string } | undefined;
        try {
          // Through NODE_OPTIONS, as SCF hands the function's environment to its Node.
          const { stdout, stderr } = await run(file, argv, { env: { PATH: process.env.PATH ?? '', ...emulator.env, LOG_LEVEL: 'info', NODE_OPTIONS: options }, maxBuffer: 256 * 1024 * 1024 });
          const r = JSON.parse(stderr) as { loadedRss: number; peakRss: number; early: number; heapEarly: number; heapAtEnd: number };
          const coldStart = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { code_cache: CodeCacheUse };
          Object.assign(row, { loadedRssMb: r.loadedRss, peakRssMb: r.peakRss, early: r.early, heapEarlyMb: r.heapEarly, heapAtEndMb: r.heapAtEnd, codeCache: coldStart.code_cache });
        } catch (error) {
          failed = error as { signal?: string; stderr?: string };
        }
        const usage = limited && cgroupUsage(limited);
        if (limited) removeCgroup(limited);
        if (usage) row.cgroupPeakMb = Math.round(usage.peakMb * 10) / 10;
        if (failed) row.failed = failure(failed, usage?.oomKills ?? 0, limitMb);
        rows.push(row);
      }
    }
    return { rows, ...(cgroupUnavailable === undefined ? {} : { cgroupUnavailable }) };
  } finally {
    await emulator.close();
  }
}
