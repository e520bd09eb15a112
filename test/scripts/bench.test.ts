import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CPU_EVENTS, handlerWork, lowerBound, measureCpu, twoObjects } from '../../scripts/bench/cpu';
import { measureEndToEnd } from '../../scripts/bench/e2e';
import { measureMemory, MEMORY_MODES, shippedNodeOptions } from '../../scripts/bench/memory';
import { APART, measureColdStart } from '../../scripts/cold-start';
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

  it('drives both handlers end to end through a local COS of its own', async () => {
    const rows = await measureEndToEnd({ latencyMs: 0, rounds: 1, sizes: { 1: 3, 4: 8 } });
    expect(rows.map((r) => [r.handler, r.concurrency, r.events])).toEqual([
      ['naive putObject', 1, 3],
      ['mps-cos-backup', 1, 3],
      ['naive putObject', 4, 8],
      ['mps-cos-backup', 4, 8],
    ]);
    for (const r of rows) expect(r.eventsPerSecond).toBeGreaterThan(0);
  });

  it('loads the shipped bundle, the bundle without stubs, the unbundled handler and each part apart', async () => {
    const rows = await measureColdStart(1);
    expect(rows.map((r) => r.name)).toEqual(['bundle (shipped)', 'bundle without stubs', 'unbundled, from node_modules', ...APART.map(([name]) => name)]);
    for (const r of rows) expect(r.minMs).toBeGreaterThan(0);
    const size = (name: string) => rows.find((r) => r.name === name)!.bytes;
    expect(size('bundle without stubs')).toBeGreaterThan(size('bundle (shipped)'));
    expect(size('an empty file')).toBeLessThan(100);
  });

  it('reads the memory of the shipped bundle over ordinary and worst events, with and without the shipped settings', async () => {
    const rows = await measureMemory(30);
    const modes = MEMORY_MODES.map(([mode]) => mode);
    expect(rows.map((r) => r.mode)).toEqual([...modes, ...modes]);
    expect(rows.map((r) => r.nodeOptions)).toEqual(['(none)', shippedNodeOptions(), '(none)', shippedNodeOptions()]);
    expect(shippedNodeOptions()).toMatch(/--max-old-space-size=\d+/);
    expect(rows.map((r) => r.events)).toEqual([30, 30, 5, 5]);
    for (const r of rows) expect(r.peakRssMb).toBeGreaterThanOrEqual(r.loadedRssMb);
  });
});
