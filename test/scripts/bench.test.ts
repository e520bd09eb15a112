import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AIMS } from '../../scripts/bench/aims';
import { COLD_VARIANTS } from '../../scripts/bench/cold-invocation';
import { withBaseline } from '../../scripts/bench/baseline';
import { CPU_EVENTS, handlerWork, lowerBound, measureCpu, twoObjects } from '../../scripts/bench/cpu';
import { COUNTED_VARIANTS, E2E_VARIANTS } from '../../scripts/bench/e2e';
import { LOAD_NAMES } from '../../scripts/bench/load';
import { LATENCIES_MS, measureAll, QUICK, type Results } from '../../scripts/bench/measure';
import { BEYOND_THE_INSTANCE, INSTANCE_HOLDS, LARGER_FUNCTION } from '../../scripts/bench/large-events';
import { MEMORY_MODES } from '../../scripts/bench/memory';
import { benchmarksReport } from '../../scripts/bench/report';
import type { Variant } from '../../scripts/bench/variants';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import type { CodeCacheUse } from '../../src/code-cache';
import { fixture } from '../support/fixtures';

const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;

/** What each variant's cold-start line says of its code cache: the naive handler logs none. */
const CODE_CACHE: Partial<Record<Variant, CodeCacheUse>> = { function: 'accepted', 'function-no-cache': 'absent', 'function-compiling-first': 'accepted' };

describe('per-event CPU', () => {
  it('measures the handler and the lower bound on the same events', () => {
    for (const name of CPU_EVENTS) {
      const event = fixture(`events/${name}.json`);
      expect(handlerWork(event)).toBe(2);
      expect(lowerBound(event)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      const [raw, record] = twoObjects(event, { task: 1 });
      expect(raw).toBe(lowerBound(event));
      expect(record).toBe(createHash('md5').update('{"task":1}\n').digest('base64'));
    }
  });

  it("times a commit's handler beside this one's when asked, round by round", async () => {
    const rows = await withBaseline('HEAD', (baseline) => measureCpu({ time: 50, warmup: 10 }, baseline));
    expect(rows.map((r) => r.event)).toEqual(CPU_EVENTS);
    for (const r of rows) {
      expect(r.baseline!.us).toBeGreaterThan(0);
      expect(r.baseline!.ratio.min).toBeGreaterThan(0);
      expect(r.baseline!.ratio.min).toBeLessThanOrEqual(r.baseline!.ratio.max);
    }
  }, 60_000);
});

/* The run of `npm run bench -- --quick`: every part must work; its numbers are not judged here. */
describe.skipIf(!hasValgrind)('npm run bench -- --quick', () => {
  let results: Results;
  let report: string;
  beforeAll(async () => {
    results = await measureAll(QUICK);
    report = benchmarksReport(results, { quick: true });
  }, 600_000);

  it('reports every section, headed by the aims, in time and, but for billed duration, in instructions', () => {
    expect(report.match(/^## .*/gm)).toEqual(['## Aims', '## 1. Per-event CPU without the network', '## 2. End to end, one event at a time', '## 3. Cold start', '## 4. Memory', '## 5. Compaction']);
    const row = (name: string) => report.split('\n').find((line) => line.startsWith(`| ${name} |`))?.slice(2, -2).split(' | ');
    const ratio = expect.stringMatching(/^\d+\.\d\d×/);
    const verdict = expect.stringMatching(/^(met|not met)$/);
    expect(row(AIMS.cold.name)).toEqual([AIMS.cold.name, '≤ 0.40×', ratio, verdict, ratio, verdict]);
    expect(row(AIMS.cpu.name)).toEqual([AIMS.cpu.name, '≤ 1.30×', ratio, verdict, ratio, verdict]);
    expect(row(AIMS.billed.name)).toEqual([AIMS.billed.name, '≤ 1.00×', ratio, verdict, '', '']);
  });

  it('times the handler and the lower bounds on each event', () => {
    expect(results.cpu.map((r) => r.event)).toEqual(CPU_EVENTS);
    for (const r of results.cpu) expect(Math.min(r.handlerUs, r.lowerUs, r.floorUs)).toBeGreaterThan(0);
  });

  it('drives the function as shipped and both naive handlers one event at a time, round by round, at each COS latency', () => {
    expect(results.e2e.map((r) => [r.latencyMs, r.variant])).toEqual(LATENCIES_MS.flatMap((latency) => E2E_VARIANTS.map((variant) => [latency, variant])));
    for (const r of results.e2e) {
      expect(r.wallMsByRound).toHaveLength(QUICK.e2e.rounds);
      expect(r.cpuMsByRound).toHaveLength(QUICK.e2e.rounds);
      expect(Math.min(...r.wallMsByRound, ...r.cpuMsByRound)).toBeGreaterThan(0);
    }
    // A COS answering so long after each request: no event takes less.
    for (const r of results.e2e) expect(Math.min(...r.wallMsByRound)).toBeGreaterThanOrEqual(r.latencyMs);
  });

  it('counts instructions per event of the function and the naive handler, round by round, in one process', () => {
    expect(results.eventInstructions.map((r) => r.variant)).toEqual(COUNTED_VARIANTS);
    for (const r of results.eventInstructions) {
      expect(r.perEventByRound).toHaveLength(QUICK.instructions.rounds);
      // An SDK PUT alone is millions: a segment that missed the events would be far less.
      expect(Math.min(...r.perEventByRound)).toBeGreaterThan(1e6);
    }
  });

  it("takes the cold invocation of each variant on SCF's Node, against both COS stand-ins, counting the aim's two", () => {
    expect(results.cold.map((r) => [r.variant, r.cos, r.codeCache, r.instructions !== undefined])).toEqual(
      COLD_VARIANTS.map(([variant, cos]) => [variant, cos, CODE_CACHE[variant], cos === 'answering' && ['function', 'naive'].includes(variant)]),
    );
    for (const r of results.cold) {
      expect(r.totalsMs).toHaveLength(QUICK.coldRuns);
      expect(r.rssMb).toBeGreaterThan(0);
    }
  });

  it('loads the shipped bundle, the bundle without stubs, the unbundled handler and each part apart', () => {
    expect(results.load.map((r) => r.load)).toEqual(Object.keys(LOAD_NAMES));
    const size = (load: string) => results.load.find((r) => r.load === load)!.bytes;
    expect(size('unstubbed')).toBeGreaterThan(size('shipped'));
    expect(size('empty')).toBeLessThan(100);
    expect(results.zipBytes).toBeGreaterThan(size('shipped') / 2);
  });

  it('reads the memory of the shipped bundle over ordinary, worst and large events, in a cgroup of the instance where it can', () => {
    const rows = results.memory.rows;
    expect(rows.map((r) => [r.workload, r.mode, r.nodeOptions])).toEqual([
      ...['sample', 'worst'].flatMap((workload) => MEMORY_MODES.map((mode) => [workload, mode, mode === 'shipped' ? shippedNodeOptions() : ''])),
      ['bound', 'shipped', shippedNodeOptions()],
      ['large', 'larger', LARGER_FUNCTION.nodeOptions],
    ]);
    expect(shippedNodeOptions()).toMatch(/--max-old-space-size=\d+/);
    expect(rows.map((r) => r.events)).toEqual([QUICK.memoryEvents, QUICK.memoryEvents, QUICK.memoryEvents / 5, QUICK.memoryEvents / 5, QUICK.memoryEvents / 10, INSTANCE_HOLDS.length + BEYOND_THE_INSTANCE.length]);
    expect(rows.map((r) => r.failed)).toEqual(rows.map(() => undefined));
    // The cache is made under the shipped settings: V8 takes it under those alone.
    expect(rows.map((r) => r.codeCache)).toEqual(['rejected', 'accepted', 'rejected', 'accepted', 'accepted', 'rejected']);
    for (const r of rows) expect(r.peakRssMb).toBeGreaterThanOrEqual(r.loadedRssMb!);
    // In a cgroup wherever one could be made: then every run of an instance's size has what the kernel charged.
    const sized = rows.filter((r) => r.mode !== 'v8-defaults');
    if (results.memory.cgroupUnavailable === undefined) for (const r of sized) expect(r.cgroupPeakMb).toBeGreaterThan(0);
    else for (const r of sized) expect(r.cgroupPeakMb).toBeUndefined();
    expect(report).toContain('## 4. Memory');
  });
});
