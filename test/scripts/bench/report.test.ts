import { describe, expect, it } from 'vitest';
import { AIMS } from '../../../scripts/bench/aims';
import { COLD_VARIANTS } from '../../../scripts/bench/cold-invocation';
import { CPU_EVENTS } from '../../../scripts/bench/cpu';
import { COUNTED_VARIANTS, E2E_VARIANTS } from '../../../scripts/bench/e2e';
import { LOAD_NAMES, type Load } from '../../../scripts/bench/load';
import { LATENCIES_MS, QUICK, type Results } from '../../../scripts/bench/measure';
import { MEMORY_MODES } from '../../../scripts/bench/memory';
import { benchmarksReport, table } from '../../../scripts/bench/report';
import { spread } from '../../../scripts/bench/stats';
import type { Variant } from '../../../scripts/bench/variants';

/** Results of every part, made up: the function's costs are `ours` times the naive handler's. */
function madeUp(ours: { cold: number; cpu: number; billed: number }): Results {
  const naive = (variant: Variant, value: number, of: number) => (variant === 'function' ? value * of : value);
  return {
    plan: QUICK,
    date: '2026-12-07',
    machine: '2 × CPU, 24 GiB, linux',
    node: '20.20.2',
    scfNode: '18.15.0',
    stealPercent: 3,
    cpu: CPU_EVENTS.map((event) => ({ event, bytes: 3924, handlerUs: 50, lowerUs: 20, floorUs: 30, ratio: 2.5, baseline: null })),
    baseline: null,
    e2e: LATENCIES_MS.flatMap((latencyMs) =>
      E2E_VARIANTS.map((variant) => ({
        latencyMs,
        variant,
        events: 10,
        wallMsByRound: [naive(variant, 20, ours.billed), naive(variant, 22, ours.billed)],
        cpuMsByRound: [naive(variant, 2, ours.cpu), naive(variant, 2.2, ours.cpu)],
        p50Ms: 20,
        p99Ms: 25,
      })),
    ),
    eventInstructions: COUNTED_VARIANTS.map((variant) => ({ variant, perEventByRound: [naive(variant, 4e6, ours.cpu), naive(variant, 5e6, ours.cpu)] })),
    cold: COLD_VARIANTS.map(([variant, cos]) => ({
      variant,
      cos,
      loadMs: 40,
      firstMs: 20,
      firstCpuMs: 18,
      rssMb: 49,
      totalsMs: [naive(variant, 150, ours.cold), naive(variant, 160, ours.cold), naive(variant, 155, ours.cold)],
      ...(variant.startsWith('function') && { codeCache: 'accepted' as const }),
      ...(cos === 'answering' && (variant === 'function' || variant === 'naive') && { instructions: naive(variant, 650e6, ours.cold) }),
    })),
    load: (Object.keys(LOAD_NAMES) as Load[]).map((load) => ({ load, bytes: 1024, loadsMs: [30, 31, 32] })),
    zipBytes: 333 * 1024,
    memory: {
      rows: (['sample', 'worst', 'bound', 'large'] as const).flatMap((workload) =>
        (workload === 'large' ? (['larger'] as const) : MEMORY_MODES).map((mode) => ({
          mode,
          workload,
          nodeOptions: mode === 'shipped' ? '--max-old-space-size=48' : mode === 'larger' ? '--max-old-space-size=256' : '',
          events: 200,
          loadedRssMb: 48,
          peakRssMb: workload === 'worst' && mode === 'v8-defaults' ? 131.8 : workload === 'large' ? 346.2 : workload === 'bound' ? 106.2 : 90,
          early: 20,
          heapEarlyMb: 8,
          heapAtEndMb: 8.5,
          codeCache: mode === 'shipped' ? ('accepted' as const) : ('rejected' as const),
          ...(mode !== 'v8-defaults' && { cgroupPeakMb: workload === 'large' ? 320.1 : workload === 'bound' ? 97.4 : 60 }),
        })),
      ),
    },
    compaction: [{ what: 'GROUP BY of a day', measured: '900 ms → 30 ms (30×)', aim: '≥ 20× faster', verdict: 'met' }],
  };
}

const lines = (report: string) => report.split('\n');
const tableRows = (report: string, head: string) => {
  const all = lines(report);
  const start = all.findIndex((l) => l.startsWith(`| ${head} |`));
  expect(start).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = start + 2; all[i]?.startsWith('|'); i++) rows.push(all[i]!.slice(2, -2).split(' | '));
  return rows;
};

describe('benchmarksReport, section 4', () => {
  const section = (results: Results) => {
    const report = benchmarksReport(results);
    return report.slice(report.indexOf('## 4. Memory'), report.indexOf('## 5.'));
  };

  it('states the margin of each instance, its RSS and what the kernel charged in a cgroup of its size', () => {
    const text = section(madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 }));
    expect(tableRows(text, 'measure')).toEqual([
      ['highest peak RSS, shipped settings', '106.2', '21.8'],
      ['most the kernel charged, shipped settings, in a memory cgroup of 128 MB', '97.4', '30.6'],
      ['highest peak RSS, 512 MB function', '346.2', '165.8'],
      ['most the kernel charged, 512 MB function, in a memory cgroup of 512 MB', '320.1', '191.9'],
      ['heap in use, most growth between the two readings', '0.5', ''],
    ]);
    expect(text).toContain("(128 MB for the shipped settings, 512 MB for the 512 MB function)");
    expect(text).toContain("the margin is the RSS's.");
    expect(tableRows(text, 'events').find((r) => r[0] === 'worst 256 KB events' && r[1] === 'shipped settings')).toEqual(['worst 256 KB events', 'shipped settings', '200', 'accepted', '48.0', '106.2', '97.4', '8.0', '8.5']);
    expect(tableRows(text, 'events').find((r) => r[0] === 'synchronous events of 0.5 to 6 MB')).toEqual(['synchronous events of 0.5 to 6 MB', '512 MB function', '200', 'rejected', '48.0', '346.2', '320.1', '8.0', '8.5']);
  });

  it('says when no cgroup could be made, and which run failed and why', () => {
    const results = madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 });
    const rows = results.memory.rows.map(({ cgroupPeakMb: _, ...r }) => r);
    const { peakRssMb: __, ...last } = rows.at(-1)!;
    const failed = { ...last, failed: 'its heap ran out' };
    const text = section({ ...results, memory: { rows: [...rows.slice(0, -1), failed], cgroupUnavailable: 'this machine mounts no memory cgroup controller' } });
    expect(text).toContain('the synchronous events of 0.5 to 6 MB failed under the 512 MB function: its heap ran out. These runs were not in a memory cgroup: this machine mounts no memory cgroup controller.');
    expect(tableRows(text, 'measure').map((r) => r[0])).toEqual(['highest peak RSS, shipped settings', 'highest peak RSS, 512 MB function', 'heap in use, most growth between the two readings']);
    expect(tableRows(text, 'events').at(-1)![5]).toBe('failed: its heap ran out');
  });
});

describe('benchmarksReport', () => {
  const report = benchmarksReport(madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 }));

  it('heads the report with the aims, then a section for each part', () => {
    expect(lines(report)[0]).toBe('# Benchmarks');
    expect(lines(report).filter((l) => l.startsWith('## '))).toEqual([
      '## Aims',
      '## 1. Per-event CPU without the network',
      '## 2. End to end, one event at a time',
      '## 3. Cold start',
      '## 4. Memory',
      '## 5. Compaction',
    ]);
  });

  it('gives each aim its target, its ratio in time and, where counted, in instructions, and whether each is met', () => {
    expect(tableRows(report, 'aim')).toEqual([
      [AIMS.cold.name, '≤ 0.40×', '0.35×', 'met', '0.35×', 'met'],
      [AIMS.cpu.name, '≤ 1.30×', '1.40×', 'not met', '1.40×', 'not met'],
      [AIMS.billed.name, '≤ 1.00×', '0.98×', 'met', '', ''],
    ]);
  });

  it('judges a ratio as shown, to two decimals', () => {
    const rows = tableRows(benchmarksReport(madeUp({ cold: 0.4004, cpu: 1.306, billed: 1 })), 'aim');
    expect(rows.map((r) => [r[2], r[3]])).toEqual([
      ['0.40×', 'met'],
      ['1.31×', 'not met'],
      ['1.00×', 'met'],
    ]);
  });

  it('shows the range of the rounds beside their median', () => {
    const results = madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 });
    results.e2e.find((r) => r.latencyMs === 0 && r.variant === 'function')!.cpuMsByRound = [2.4, 3.3];
    expect(tableRows(benchmarksReport(results), 'aim')[1]![2]).toBe('1.35× (1.20–1.50)');
  });

  it('is numbers in tables, each with a line or two on its method, no line longer than 300 characters', () => {
    const blocks = report.trim().split('\n\n');
    for (const [i, block] of blocks.entries()) {
      if (block.startsWith('#') || block.startsWith('|')) continue;
      expect(block.split('\n').length, block).toBeLessThanOrEqual(2);
      if (i > 1) expect(blocks[i + 1], `a table after: ${block}`).toMatch(/^\| /);
    }
    for (const line of lines(report)) expect(line.length, line).toBeLessThanOrEqual(300);
    for (const block of blocks.filter((b) => b.startsWith('|'))) {
      const widths = block.split('\n').map((row) => row.split(' | ').length);
      expect(new Set(widths).size, block).toBe(1);
    }
  });

  it('has a row for each variant measured', () => {
    expect(tableRows(report, 'COS latency')).toHaveLength(LATENCIES_MS.length * E2E_VARIANTS.length);
    expect(tableRows(report, 'handler').map((r) => r[0])).toEqual(['naive putObject', 'mps-cos-backup']);
    expect(tableRows(report, 'variant').map((r) => [r[0], r[1]])).toEqual(
      expect.arrayContaining([
        ['mps-cos-backup', 'answers at once'],
        ['naive putObject', 'local COS, storing'],
      ]),
    );
    expect(tableRows(report, 'events').map((r) => r[6])).toEqual(['', '60.0', '', '60.0', '', '97.4', '320.1']);
  });

  it('says when it comes from a smoke run', () => {
    expect(report).not.toContain('--quick');
    expect(lines(benchmarksReport(madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 }), { quick: true }))[2]).toContain('with `--quick`, a smoke run');
  });
});

describe('section 1 against a baseline', () => {
  /** The report of a run that timed the handler of `main` too, ours `ratios` of it round by round on the first event. */
  function against(ratios: number[]) {
    const results = madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 });
    results.baseline = 'main';
    results.cpu = results.cpu.map((r, i) => ({ ...r, baseline: { us: 45, ratio: spread(i === 0 ? ratios : [1.2]) } }));
    return benchmarksReport(results);
  }

  it('gives the baseline handler and the ratio to it for each event', () => {
    const rows = tableRows(against([1.08, 1.11]), 'event');
    expect(rows.map((r) => r.slice(-2))).toEqual([['45.0', '1.10× (1.08–1.11)'], ['45.0', '1.20×'], ['45.0', '1.20×']]);
    expect(against([1.08, 1.11])).toContain('| handler at main µs | handler / handler at main |');
  });

  it("judges the documentation's sample against the aim, as shown", () => {
    expect(against([1.08, 1.11])).toContain('Against the handler at main, round by round, on workflow-task-docs-sample: 1.10× (1.08–1.11) (aim ≤ 1.10×: met).');
    expect(against([1.11, 1.13])).toContain('1.12× (1.11–1.13) (aim ≤ 1.10×: not met)');
  });

  it('leaves the columns and the line out without a baseline', () => {
    const report = benchmarksReport(madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 }));
    expect(report).not.toContain('handler at');
    expect(report).not.toContain('Against the handler');
    expect(tableRows(report, 'event')[0]).toHaveLength(8);
  });
});

describe('table', () => {
  it('is a Markdown table: a head, a rule, a row each', () => {
    expect(table(['a', 'b'], [[1, 'x'], [2, 'y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x |\n| 2 | y |');
  });
});

describe('the compaction section', () => {
  it('gives each measure, its aim and whether it is met', () => {
    const report = benchmarksReport(madeUp({ cold: 0.35, cpu: 1.4, billed: 0.98 }));
    expect(tableRows(report, 'what')).toEqual([['GROUP BY of a day', '900 ms → 30 ms (30×)', '≥ 20× faster', 'met']]);
    expect(report).toContain(`An archive of ${QUICK.compaction.eventsPerDay.toLocaleString('en')} WorkflowTask events a day for ${QUICK.compaction.days} days`);
  });
});
