import { describe, expect, it } from 'vitest';
import { aimResults, AIMS, BILLED_LATENCY_MS, coldAim, meets } from '../../../scripts/bench/aims';
import type { ColdInvocation } from '../../../scripts/bench/cold-invocation';
import type { E2eRow } from '../../../scripts/bench/e2e';
import type { Variant } from '../../../scripts/bench/variants';

const cold = (variant: Variant, totalsMs: number[], instructions?: number): ColdInvocation => ({
  variant,
  cos: 'answering',
  loadMs: 0,
  firstMs: 0,
  firstCpuMs: 0,
  rssMb: 0,
  totalsMs,
  ...(instructions !== undefined && { instructions }),
});

const e2e = (variant: Variant, latencyMs: number, wallMsByRound: number[], cpuMsByRound: number[]): E2eRow => ({ latencyMs, variant, events: 1, wallMsByRound, cpuMsByRound, p50Ms: 0, p99Ms: 0 });

describe('aims', () => {
  it('are the cold invocation, CPU per event and billed duration, against the naive handler', () => {
    expect(Object.entries(AIMS).map(([aim, { target }]) => [aim, target])).toEqual([
      ['cold', 0.4],
      ['cpu', 1.3],
      ['billed', 1],
    ]);
    expect(meets('cold', 0.4)).toBe(true);
    expect(meets('cold', 0.41)).toBe(false);
  });

  it('pair the runs of the function and the naive handler as they took turns', () => {
    const results = aimResults({
      cold: [cold('function', [40, 60, 50], 180e6), cold('naive', [100, 100, 200], 650e6), { ...cold('function', [1, 1, 1]), cos: 'storing' }],
      e2e: [
        e2e('function', 0, [9, 9], [2, 3]),
        e2e('naive', 0, [1, 1], [1, 2]),
        e2e('function', BILLED_LATENCY_MS, [22, 24], [9, 9]),
        e2e('naive', BILLED_LATENCY_MS, [20, 20], [1, 1]),
      ],
      eventInstructions: [
        { variant: 'naive', perEventByRound: [4e6, 5e6] },
        { variant: 'function', perEventByRound: [5e6, 5e6] },
      ],
    });
    expect(results).toEqual([
      { aim: 'cold', time: { median: 0.4, min: 0.25, max: 0.6 }, instructions: { median: 180 / 650, min: 180 / 650, max: 180 / 650 } },
      { aim: 'cpu', time: { median: 1.75, min: 1.5, max: 2 }, instructions: { median: 1.125, min: 1, max: 1.25 } },
      { aim: 'billed', time: { median: 1.15, min: 1.1, max: 1.2 } },
    ]);
  });

  it('leave out the instructions of a cold invocation not counted', () => {
    expect(coldAim([cold('function', [40]), cold('naive', [100], 650e6)])).toEqual({ aim: 'cold', time: { median: 0.4, min: 0.4, max: 0.4 } });
  });

  it('need both handlers measured', () => {
    expect(() => coldAim([cold('function', [40])])).toThrow('no cold invocation of naive');
    expect(() => aimResults({ cold: [cold('function', [40]), cold('naive', [100])], e2e: [e2e('function', 0, [1], [1])], eventInstructions: [] })).toThrow('no end-to-end run of naive at 0 ms');
  });
});
