import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT } from '../build/bundle';
import { buildFunction } from '../build/code-cache';
import { fetchScfNode } from '../scf-node';
import { startEmulatorProcess } from './emulator';

/*
 * Memory of one warm instance: the shipped bundle in a fresh process of SCF's Node handles
 * `events` events one after another, against the local COS in its own process. Heap in use is
 * read after a full GC early (a tenth of the run, at most 1000 events) and at the end: a leak
 * shows as growth between them.
 */

const run = promisify(execFile);

const DRIVER = `
const fs = require('node:fs');
const { main_handler } = require(process.argv[1] + '/index.js');
// Only now: on the command line, --expose-gc would change V8's flags, and V8 would refuse the code cache.
require('v8').setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
const count = Number(process.argv[2]);
const early = Math.min(1000, Math.ceil(count / 10));
const sample = fs.readFileSync(process.argv[3], 'utf8');
const mb = (bytes) => Math.round(bytes / 1048576 * 10) / 10;
const heapAfterGc = () => { gc(); return mb(process.memoryUsage().heapUsed); };
(async () => {
  const loadedRss = mb(process.memoryUsage().rss);
  let heapEarly;
  for (let i = 0; i < count; i++) {
    const event = JSON.parse(sample);
    event.WorkflowTaskEvent.TaskId = 'memory-' + i;
    await main_handler(event, { request_id: 'm' + i, time_limit_in_ms: 30000 });
    if (i + 1 === early) heapEarly = heapAfterGc();
  }
  const result = { loadedRss, early, heapEarly, heapAtEnd: heapAfterGc(), rssAtEnd: mb(process.memoryUsage().rss), peakRss: mb(process.resourceUsage().maxRSS * 1024) };
  process.stderr.write(JSON.stringify(result));
})();
`;

export interface MemoryRow {
  mode: string;
  nodeFlags: string;
  events: number;
  loadedRssMb: number;
  peakRssMb: number;
  /** Events handled at the early reading. */
  early: number;
  heapEarlyMb: number;
  heapAtEndMb: number;
}

/** V8's defaults, and a heap bounded as in a 64 MB instance (V8 otherwise sizes it from the host's memory). */
export const MEMORY_MODES: [string, string[]][] = [
  ['V8 defaults', []],
  ['heap bounded for 64 MB', ['--max-old-space-size=24', '--max-semi-space-size=1']],
];

export async function measureMemory(events = 10_000): Promise<MemoryRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-memory-'));
  const emulator = await startEmulatorProcess();
  try {
    await buildFunction(dir, dir);
    const rows: MemoryRow[] = [];
    for (const [mode, flags] of MEMORY_MODES) {
      const { stderr } = await run(fetchScfNode(), [...flags, '-e', DRIVER, dir, String(events), join(PROJECT, 'fixtures', 'events', 'workflow-task-docs-sample.json')], {
        env: { PATH: process.env.PATH ?? '', ...emulator.env, LOG_LEVEL: 'info' },
        maxBuffer: 64 * 1024 * 1024,
      });
      const r = JSON.parse(stderr) as { loadedRss: number; peakRss: number; early: number; heapEarly: number; heapAtEnd: number };
      rows.push({ mode, nodeFlags: flags.join(' ') || '(none)', events, loadedRssMb: r.loadedRss, peakRssMb: r.peakRss, early: r.early, heapEarlyMb: r.heapEarly, heapAtEndMb: r.heapAtEnd });
    }
    return rows;
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
