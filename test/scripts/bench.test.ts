import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CPU_EVENTS, handlerWork, lowerBound, measureCpu, twoObjects } from '../../scripts/bench/cpu';
import { FUNCTION, measureEndToEnd } from '../../scripts/bench/e2e';
import { measureMemory, MEMORY_MODES } from '../../scripts/bench/memory';
import { NAIVE, NAIVE_SKIP_TASK } from '../../scripts/bench/naive';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import { APART, coldRatios, measureColdInvocation, measureLoad, OBJECTS_COMPILED_FIRST, STORING, WITH_CACHE, WITHOUT_CACHE } from '../../scripts/cold-start';
import { fixture } from '../support/fixtures';

/* A smoke run of each benchmark part: it must work; its numbers are not judged here. */
describe('npm run bench, briefly', () => {
  it('measures the handler and the lower bound on the same events', async () => {
    for (const name of CPU_EVENTS) {
      const event = fixture(`events/${name}.json`);
      expect(handlerWork(event)).toBe(2);
      expect(lowerBound(event)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      const [raw, record] = twoObjects(event, { task: 1 });
      expect(raw).toBe(lowerBound(event));
      expect(record).toBe(createHash('md5').update('{"task":1}\n').digest('base64'));
    }
    const rows = await measureCpu({ time: 20, warmup: 5 });
    expect(rows.map((r) => r.event)).toEqual(CPU_EVENTS);
    for (const r of rows) {
      expect(r.ratio).toBeCloseTo(r.handlerUs / r.lowerUs);
      expect(r.floorUs).toBeGreaterThan(0);
    }
  });

  it('drives the function as shipped and both naive handlers end to end through a local COS of its own', async () => {
    const rows = await measureEndToEnd({ latencyMs: 0, rounds: 2, sizes: { 1: 3, 4: 8 }, warmUp: 5 });
    expect(rows.map((r) => [r.handler, r.concurrency, r.events])).toEqual([
      [NAIVE, 1, 3],
      [NAIVE_SKIP_TASK, 1, 3],
      [FUNCTION, 1, 3],
      [NAIVE, 4, 8],
      [NAIVE_SKIP_TASK, 4, 8],
      [FUNCTION, 4, 8],
    ]);
    for (const r of rows) {
      expect(r.eventsPerSecond).toBeGreaterThan(0);
      // One figure a round, which the ratios pair round by round.
      expect(r.cpuMsPerEventByRound).toHaveLength(2);
      expect(Math.min(...r.cpuMsPerEventByRound)).toBeGreaterThan(0);
    }
  });

  it("takes the cold invocation of the function with and without its code cache, and of the naive handler, on SCF's Node, against both COS stand-ins", async () => {
    const rows = await measureColdInvocation(1);
    expect(rows.map((r) => [r.name, r.codeCache])).toEqual([
      [WITH_CACHE, 'accepted'],
      [WITHOUT_CACHE, 'absent'],
      [OBJECTS_COMPILED_FIRST, 'accepted'],
      [NAIVE, undefined],
      [STORING(WITH_CACHE), 'accepted'],
      [STORING(NAIVE), undefined],
    ]);
    for (const r of rows) {
      expect(r.totalMs).toBeCloseTo(r.loadMs + r.firstMs);
      expect(r.rssMb).toBeGreaterThan(0);
    }
    const { withCache, storing } = coldRatios(rows);
    expect(withCache).toBeCloseTo(rows[0]!.totalMs / rows[3]!.totalMs);
    expect(storing).toBeCloseTo(rows[4]!.totalMs / rows[5]!.totalMs);
  });

  it('loads the shipped bundle, the bundle without stubs, the unbundled handler and each part apart', async () => {
    const rows = await measureLoad(1);
    expect(rows.map((r) => r.name)).toEqual(['bundle (shipped, code cache)', 'bundle without stubs, no code cache', 'unbundled, from node_modules', ...APART.map(([name]) => name)]);
    for (const r of rows) expect(r.minMs).toBeGreaterThan(0);
    const size = (name: string) => rows.find((r) => r.name === name)!.bytes;
    expect(size('bundle without stubs, no code cache')).toBeGreaterThan(size('bundle (shipped, code cache)'));
    expect(size('an empty file')).toBeLessThan(100);
  });

  it('reads the memory of the shipped bundle over ordinary and worst events, with and without the shipped settings', async () => {
    const rows = await measureMemory(30);
    const modes = MEMORY_MODES.map(([mode]) => mode);
    expect(rows.map((r) => r.mode)).toEqual([...modes, ...modes]);
    expect(rows.map((r) => r.nodeOptions)).toEqual(['(none)', shippedNodeOptions(), '(none)', shippedNodeOptions()]);
    expect(shippedNodeOptions()).toMatch(/--max-old-space-size=\d+/);
    expect(rows.map((r) => r.events)).toEqual([30, 30, 5, 5]);
    // The cache is made under the shipped settings: V8 takes it under those alone.
    expect(rows.map((r) => r.codeCache)).toEqual(['rejected', 'accepted', 'rejected', 'accepted']);
    for (const r of rows) expect(r.peakRssMb).toBeGreaterThanOrEqual(r.loadedRssMb);
  });
});
