import { AIMS, aimResults, meets, type AimResult } from './aims';
import { BASELINE_TARGET } from './baseline';
import { COS_NAMES, type ColdInvocation } from './cold-invocation';
import type { CpuRow } from './cpu';
import type { E2eRow, EventInstructions } from './e2e';
import { LOAD_NAMES, type LoadRow } from './load';
import { LATENCIES_MS, type Results } from './measure';
import { MEMORY_MODE_NAMES, MODE_MB, WORKLOAD_NAMES, type MemoryResults, type MemoryRow } from './memory';
import { median, pairedRatios, spread, type Spread } from './stats';
import { VARIANT_NAMES } from './variants';
import { worstEvents } from './worst-events';
import { ASYNC_EVENT_LIMIT } from '../../src/forward/payload';
import { OVERSIZE_BYTES } from '../../src/oversize';

/*
 * BENCHMARKS.md, and the tables `npm run cold-start` prints: numbers in tables, each section with
 * a line or two on what was run. Why it is measured so is in docs/performance.md.
 */

const f = (n: number, digits = 1) => n.toFixed(digits);
const ms = (xs: number[]) => f(median(xs));
const millions = (n: number | undefined) => (n === undefined ? '' : f(n / 1e6, 1));
const times = (s: Spread) => (f(s.min, 2) === f(s.max, 2) ? `${f(s.median, 2)}×` : `${f(s.median, 2)}× (${f(s.min, 2)}–${f(s.max, 2)})`);
/** On the ratio as shown, to two decimals, so that the verdict reads true beside it. */
const verdict = (aim: AimResult['aim'], s: Spread | undefined) => (s === undefined ? '' : meets(aim, Number(f(s.median, 2))) ? 'met' : 'not met');

export function table(head: string[], rows: (string | number)[][]): string {
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const aimsTable = (results: AimResult[]) =>
  table(
    ['aim', 'target', 'time', 'verdict', 'instructions', 'verdict'],
    results.map((r) => [AIMS[r.aim].name, `≤ ${f(AIMS[r.aim].target, 2)}×`, times(r.time), verdict(r.aim, r.time), r.instructions ? times(r.instructions) : '', verdict(r.aim, r.instructions)]),
  );

const cpuTable = (rows: CpuRow[], baseline: string | null) =>
  table(
    ['event', 'bytes', 'handler µs', 'two objects µs', 'lower bound µs', 'handler / lower bound', 'two objects / lower bound', 'handler / two objects'].concat(
      baseline === null ? [] : [`handler at ${baseline} µs`, `handler / handler at ${baseline}`],
    ),
    rows.map((r) =>
      [r.event, r.bytes, f(r.handlerUs), f(r.floorUs), f(r.lowerUs), `${f(r.handlerUs / r.lowerUs, 2)}×`, `${f(r.floorUs / r.lowerUs, 2)}×`, `${f(r.handlerUs / r.floorUs, 2)}×`].concat(
        r.baseline === null ? [] : [f(r.baseline.us), times(r.baseline.ratio)],
      ),
    ),
  );

/** The handler against the baseline's on the documentation's sample (the first event), and whether that is within the aim. */
function againstBaseline(rows: CpuRow[], baseline: string | null): string {
  const [sample] = rows;
  if (baseline === null || !sample?.baseline) return '';
  const { ratio } = sample.baseline;
  const met = Number(f(ratio.median, 2)) <= BASELINE_TARGET ? 'met' : 'not met';
  return `\nAgainst the handler at ${baseline}, round by round, on ${sample.event}: ${times(ratio)} (aim ≤ ${f(BASELINE_TARGET, 2)}×: ${met}).`;
}

const e2eTable = (rows: E2eRow[]) =>
  table(
    ['COS latency', 'handler', 'wall ms/event', 'p50 ms', 'p99 ms', 'CPU ms/event'],
    rows.map((r) => [`${r.latencyMs} ms`, VARIANT_NAMES[r.variant], ms(r.wallMsByRound), f(r.p50Ms), f(r.p99Ms), f(median(r.cpuMsByRound), 2)]),
  );

function e2eRatioTable(rows: E2eRow[]): string {
  const at = (latencyMs: number, variant: E2eRow['variant']) => rows.find((r) => r.latencyMs === latencyMs && r.variant === variant)!;
  return table(
    ['COS latency', 'wall time (billed duration)', 'CPU'],
    LATENCIES_MS.map((latency) => {
      const [ours, theirs] = [at(latency, 'function'), at(latency, 'naive')];
      return [`${latency} ms`, times(spread(pairedRatios(ours.wallMsByRound, theirs.wallMsByRound))), times(spread(pairedRatios(ours.cpuMsByRound, theirs.cpuMsByRound)))];
    }),
  );
}

const instructionsTable = (rows: EventInstructions[]) =>
  table(
    ['handler', 'M instructions/event', 'fewest', 'most'],
    rows.map((r) => {
      const s = spread(r.perEventByRound);
      return [VARIANT_NAMES[r.variant], millions(s.median), millions(s.min), millions(s.max)];
    }),
  );

export const coldTable = (rows: ColdInvocation[]) =>
  table(
    ['variant', 'COS', 'load ms', 'first event ms', 'first event CPU ms', 'total ms', 'fastest ms', 'RSS MB', 'code cache', 'M instructions'],
    rows.map((r) => [VARIANT_NAMES[r.variant], COS_NAMES[r.cos], f(r.loadMs), f(r.firstMs), f(r.firstCpuMs), ms(r.totalsMs), f(Math.min(...r.totalsMs)), f(r.rssMb), r.codeCache ?? '', millions(r.instructions)]),
  );

export const loadTable = (rows: LoadRow[]) =>
  table(
    ['variant', 'KB', 'median ms', 'fastest ms', 'M instructions'],
    rows.map((r) => [LOAD_NAMES[r.load], f(r.bytes / 1024, 0), ms(r.loadsMs), f(Math.min(...r.loadsMs)), millions(r.instructions)]),
  );

const mb = (n: number | undefined) => (n === undefined ? '' : f(n));

const memoryTable = (rows: MemoryRow[]) =>
  table(
    ['events', 'V8 heap', 'count', 'code cache', 'RSS loaded MB', 'peak RSS MB', "peak in a cgroup of the instance's size, MB", 'heap early MB', 'heap at end MB'],
    rows.map((r) => [WORKLOAD_NAMES[r.workload], MEMORY_MODE_NAMES[r.mode], r.events, r.codeCache ?? '', mb(r.loadedRssMb), r.failed ? `failed: ${r.failed}` : mb(r.peakRssMb), mb(r.cgroupPeakMb), mb(r.heapEarlyMb), mb(r.heapAtEndMb)]),
  );

/** What the runs of an instance's size say of its memory: a line on them, and a table. */
function memorySummary({ rows, cgroupUnavailable }: MemoryResults): string {
  const most = (values: (number | undefined)[]) => Math.max(...values.filter((v): v is number => v !== undefined));
  const growth = most(rows.map((r) => (r.heapAtEndMb === undefined || r.heapEarlyMb === undefined ? undefined : r.heapAtEndMb - r.heapEarlyMb)));
  const sized = (['shipped', 'larger'] as const).flatMap((mode) => {
    const limitMb = MODE_MB[mode]!;
    const own = rows.filter((r) => r.mode === mode);
    return own.length === 0 ? [] : [{ name: MEMORY_MODE_NAMES[mode], limitMb, own, rss: most(own.map((r) => r.peakRssMb)) }];
  });
  const failed = sized.flatMap(({ name, own }) => own.filter((r) => r.failed).map((r) => `the ${WORKLOAD_NAMES[r.workload]} failed under the ${name}: ${r.failed}`));
  const line = [
    `Each against its instance's memory (${sized.map((m) => `${m.limitMb} MB for the ${m.name}`).join(', ')}). A cgroup is charged only the pages of Node's executable no other process read first; an instance, which starts Node itself, is charged them, as RSS counts them: the margin is the RSS's.`,
    failed.length > 0 ? `${failed.join('; ')}.` : '',
    cgroupUnavailable === undefined ? '' : `These runs were not in a memory cgroup: ${cgroupUnavailable}.`,
  ];
  return `${line[0]}\n${[line[1], line[2]].filter(Boolean).join(' ')}`.trim() + `

${table(
    ['measure', 'MB', 'margin MB'],
    [
      ...sized.flatMap(({ name, limitMb, own, rss }) => {
        const charged = cgroupUnavailable === undefined ? most(own.map((r) => r.cgroupPeakMb)) : undefined;
        return [
          [`highest peak RSS, ${name}`, f(rss), f(limitMb - rss)],
          ...(charged === undefined ? [] : [[`most the kernel charged, ${name}, in a memory cgroup of ${limitMb} MB`, f(charged), f(limitMb - charged)]]),
        ];
      }),
      ['heap in use, most growth between the two readings', f(growth), ''],
    ],
  )}`;
}

/** `quick`: the run was a smoke run, and says so. */
export function benchmarksReport(results: Results, { quick = false } = {}): string {
  const { plan } = results;
  const smoke = quick ? ' with `--quick`, a smoke run whose numbers mean little' : '';
  const shipped = results.memory.rows.find((r) => r.mode === 'shipped')?.nodeOptions ?? '';
  return `# Benchmarks

\`npm run bench\`${smoke}, ${results.date}: ${results.machine}, steal ${results.stealPercent}%; Node ${results.node} for section 1, SCF's Node ${results.scfNode} for the others.
How and why each is measured: [docs/performance.md](docs/performance.md).

## Aims

Each a ratio to the naive handler (\`scripts/bench/naive.ts\`: the same SDK, one \`putObject\` of the event), measured side by side in this run: median (range) of the paired runs or rounds.

${aimsTable(aimResults(results))}

## 1. Per-event CPU without the network

The handler's work on an event (\`plan()\`) against \`JSON.stringify\` and MD5 of the event (lower bound) and of both objects it writes (two objects); tinybench medians.${againstBaseline(results.cpu, results.baseline)}

${cpuTable(results.cpu, results.baseline)}

## 2. End to end, one event at a time

Each handler in one process of SCF's Node, through the COS SDK over HTTP to the local COS, after ${plan.e2e.warmUp} events unmeasured; ${plan.e2e.rounds} rounds of ${plan.e2e.events} events, the handlers in turns; medians of the rounds.

${e2eTable(results.e2e)}

The function against the naive handler, round by round:

${e2eRatioTable(results.e2e)}

Instructions per event, counted by callgrind in one process after the same warm-up, at 0 ms: ${plan.instructions.rounds} rounds of ${plan.instructions.events} events.

${instructionsTable(results.eventInstructions)}

## 3. Cold start

\`require('index.js')\` and the first event, in fresh processes of SCF's Node with serverless.yml's NODE_OPTIONS, Node's own start not counted: ${plan.coldRuns} runs each, in turns; medians. Instructions: one run under callgrind.

${coldTable(results.cold)}

The load alone, until \`main_handler\` is ready. The deployable zip is ${f(results.zipBytes / 1024, 0)} KB.

${loadTable(results.load)}

## 4. Memory

One warm instance, events one after another, each parsed from its text as SCF does, the text kept. Shipped settings: \`NODE_OPTIONS=${shipped}\`; runs but V8's defaults in a cgroup of the instance's size where possible. Heap after a full GC, after a tenth of the events and at the end.
Worst events at ${ASYNC_EVENT_LIMIT / 1024} KB (all MPS sends) and ${OVERSIZE_BYTES / 1024} KB (the most parsed and walked), in turns: ${worstEvents(ASYNC_EVENT_LIMIT)
    .map((w) => w.name)
    .join(', ')}; \`large-events.ts\`, 0.5 to 6 MB, every shape, in the ${MEMORY_MODE_NAMES.larger} (docs/deploy.md).

${memoryTable(results.memory.rows)}

${memorySummary(results.memory)}

## 5. Compaction

An archive of ${results.plan.compaction.eventsPerDay.toLocaleString('en')} WorkflowTask events a day for ${results.plan.compaction.days} days, 2% delivered again an hour later, and a day of ${results.plan.compaction.bigDay.toLocaleString('en')}, in the local COS.
The zip's \`compact.js\` compacts the first day and the big day on SCF's Node (serverless.compact.yml's NODE_OPTIONS) through the COS SDK; queries run as \`npm run query\` runs them, before and after; a pull is counted in requests.

${table(
  ['what', 'measured', 'aim', 'verdict'],
  results.compaction.map((r) => [r.what, r.measured, r.aim, r.verdict]),
)}
`;
}
