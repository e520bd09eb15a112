import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CodeCacheUse } from '../../src/code-cache';
import { toJson } from '../../src/json';
import { PROJECT } from '../build/bundle';
import { shippedNodeOptions } from '../build/code-cache';
import { fetchScfNode } from '../scf-node';
import { startEmulatorProcess } from './emulator';
import type { Builds } from './variants';
import { worstEvents } from './worst-events';

/*
 * Memory of one warm instance: the shipped bundle in a fresh process of SCF's Node handles a
 * workload of events one after another, against the local COS in its own process. Each event
 * arrives as JSON text, parsed for each invocation as SCF parses it. Heap in use is read after a
 * full GC early (a tenth of the run, at most 1000 events) and at the end: a leak shows as growth
 * between them.
 */

const run = promisify(execFile);

const DRIVER = `
const fs = require('node:fs');
const { main_handler } = require(process.argv[1]);
// Only now: on the command line, --expose-gc would change V8's flags, and V8 would refuse the code cache.
require('v8').setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const count = Number(process.argv[3]);
const early = Math.min(1000, Math.ceil(count / 10));
const mb = (bytes) => Math.round(bytes / 1048576 * 10) / 10;
const heapAfterGc = () => { gc(); return mb(process.memoryUsage().heapUsed); };
(async () => {
  const loadedRss = mb(process.memoryUsage().rss);
  let heapEarly;
  for (let i = 0; i < count; i++) {
    const summary = await main_handler(JSON.parse(texts[i % texts.length]), { request_id: 'm' + i, time_limit_in_ms: 30000 });
    if (summary.result !== 'archived') throw new Error('not archived: ' + JSON.stringify(summary));
    if (i + 1 === early) heapEarly = heapAfterGc();
  }
  const result = { loadedRss, early, heapEarly, heapAtEnd: heapAfterGc(), peakRss: mb(process.resourceUsage().maxRSS * 1024) };
  process.stderr.write(JSON.stringify(result));
})();
`;

/** V8's defaults, which size the heap from the host's memory, not the instance's, and what the function ships with. */
export type MemoryMode = 'v8-defaults' | 'shipped';
export const MEMORY_MODE_NAMES: Record<MemoryMode, string> = { 'v8-defaults': 'V8 defaults', shipped: 'shipped settings' };
export const MEMORY_MODES = Object.keys(MEMORY_MODE_NAMES) as MemoryMode[];
const NODE_OPTIONS: Record<MemoryMode, () => string> = { 'v8-defaults': () => '', shipped: shippedNodeOptions };

/** An ordinary event (the documentation's sample), and the worst 128 KB events (worst-events.ts) taking turns. */
export type Workload = 'sample' | 'worst';
export const WORKLOAD_NAMES: Record<Workload, string> = { sample: 'documentation sample', worst: 'worst 128 KB events' };

export interface MemoryRow {
  mode: MemoryMode;
  workload: Workload;
  nodeOptions: string;
  events: number;
  loadedRssMb: number;
  peakRssMb: number;
  /** Events handled at the early reading. */
  early: number;
  heapEarlyMb: number;
  heapAtEndMb: number;
  /** What the cold-start line said: the cache is made under the shipped settings, so V8's defaults reject it. */
  codeCache: CodeCacheUse;
}

/** Each workload's event texts and count: the worst take tens of milliseconds each, so they run a tenth as many times. */
function workloads(events: number): Record<Workload, { texts: string[]; count: number }> {
  const worst = worstEvents();
  return {
    sample: { texts: [readFileSync(join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json'), 'utf8')], count: events },
    worst: { texts: worst.map((w) => toJson(w.event)), count: Math.max(worst.length, Math.round(events / 10)) },
  };
}

export async function measureMemory(builds: Builds, events: number): Promise<MemoryRow[]> {
  const emulator = await startEmulatorProcess();
  try {
    const handler = await builds.file('function');
    const rows: MemoryRow[] = [];
    for (const [workload, { texts, count }] of Object.entries(workloads(events)) as [Workload, { texts: string[]; count: number }][]) {
      const file = join(builds.root, `memory-${workload}.json`);
      await writeFile(file, JSON.stringify(texts));
      for (const mode of MEMORY_MODES) {
        const options = NODE_OPTIONS[mode]();
        // Through NODE_OPTIONS, as SCF hands the function's environment to its Node.
        const { stdout, stderr } = await run(fetchScfNode(), ['-e', DRIVER, handler, file, String(count)], {
          env: { PATH: process.env.PATH ?? '', ...emulator.env, LOG_LEVEL: 'info', NODE_OPTIONS: options },
          maxBuffer: 64 * 1024 * 1024,
        });
        const r = JSON.parse(stderr) as { loadedRss: number; peakRss: number; early: number; heapEarly: number; heapAtEnd: number };
        const coldStart = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { code_cache: CodeCacheUse };
        rows.push({ mode, workload, nodeOptions: options, events: count, loadedRssMb: r.loadedRss, peakRssMb: r.peakRss, early: r.early, heapEarlyMb: r.heapEarly, heapAtEndMb: r.heapAtEnd, codeCache: coldStart.code_cache });
      }
    }
    return rows;
  } finally {
    await emulator.close();
  }
}
