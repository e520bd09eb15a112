import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { toJson } from '../../src/json';
import { bundle, PROJECT, writeBundle } from '../build/bundle';
import { fetchScfNode } from '../scf-node';
import { startEmulatorProcess } from './emulator';
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
const { main_handler } = require(process.argv[1] + '/index.js');
const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const count = Number(process.argv[3]);
const early = Math.min(1000, Math.ceil(count / 10));
const mb = (bytes) => Math.round(bytes / 1048576 * 10) / 10;
const heapAfterGc = () => { global.gc(); return mb(process.memoryUsage().heapUsed); };
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

export interface MemoryRow {
  mode: string;
  workload: string;
  nodeOptions: string;
  events: number;
  loadedRssMb: number;
  peakRssMb: number;
  /** Events handled at the early reading. */
  early: number;
  heapEarlyMb: number;
  heapAtEndMb: number;
}

/** The NODE_OPTIONS that serverless.yml deploys the function with. */
export function shippedNodeOptions(): string {
  const config = parse(readFileSync(join(PROJECT, 'serverless.yml'), 'utf8')) as { inputs: { environment: { variables: Record<string, string> } } };
  return config.inputs.environment.variables.NODE_OPTIONS ?? '';
}

/** V8's defaults, which size the heap from the host's memory, not the instance's, and what the function ships with. */
export const MEMORY_MODES: [string, () => string][] = [
  ['V8 defaults', () => ''],
  ['shipped settings', shippedNodeOptions],
];

/**
 * An ordinary event (the documentation's sample), and the worst 128 KB events taking turns.
 * The worst take tens of milliseconds each, so they run a tenth as many times.
 */
function workloads(events: number): { name: string; texts: string[]; count: number }[] {
  const sample = readFileSync(join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json'), 'utf8');
  const worst = worstEvents();
  return [
    { name: 'documentation sample', texts: [sample], count: events },
    { name: `worst 128 KB events (${worst.map((w) => w.name).join(', ')})`, texts: worst.map((w) => toJson(w.event)), count: Math.max(worst.length, Math.round(events / 10)) },
  ];
}

export async function measureMemory(events = 10_000): Promise<MemoryRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-memory-'));
  const emulator = await startEmulatorProcess();
  try {
    const { main, sdk } = await bundle();
    await writeBundle([main, sdk], dir, dir);
    const rows: MemoryRow[] = [];
    for (const workload of workloads(events)) {
      const file = join(dir, 'events.json');
      await writeFile(file, JSON.stringify(workload.texts));
      for (const [mode, nodeOptions] of MEMORY_MODES) {
        const options = nodeOptions();
        // Through NODE_OPTIONS, as SCF hands the function's environment to its Node.
        const { stderr } = await run(fetchScfNode(), ['--expose-gc', '-e', DRIVER, dir, file, String(workload.count)], {
          env: { PATH: process.env.PATH ?? '', ...emulator.env, LOG_LEVEL: 'info', NODE_OPTIONS: options },
          maxBuffer: 64 * 1024 * 1024,
        });
        const r = JSON.parse(stderr) as { loadedRss: number; peakRss: number; early: number; heapEarly: number; heapAtEnd: number };
        rows.push({ mode, workload: workload.name, nodeOptions: options || '(none)', events: workload.count, loadedRssMb: r.loadedRss, peakRssMb: r.peakRss, early: r.early, heapEarlyMb: r.heapEarly, heapAtEndMb: r.heapAtEnd });
      }
    }
    return rows;
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
