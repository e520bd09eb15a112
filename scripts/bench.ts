import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withBaseline, type Baseline } from './bench/baseline';
import { FULL, measureAll, QUICK } from './bench/measure';
import { benchmarksReport } from './bench/report';
import { PROJECT } from './build/bundle';
import { commandLine, run } from './cli';

/*
 * `npm run bench`: what one event costs against the naive handler, measured in one run on this
 * machine so that the ratios hold even though absolute times drift; prints the tables and writes
 * BENCHMARKS.md. The parts are in scripts/bench/, the method in docs/performance.md.
 */

const USAGE = `npm run bench [-- --quick]

Measures, in one run and against a naive handler, the handler's CPU per event, the function end
to end through the COS SDK one event at a time (in time, and in instructions under valgrind),
the cold invocation and load, and memory, then writes BENCHMARKS.md. Takes about ten minutes;
needs valgrind.

  --quick           every part briefly, a smoke run whose numbers mean little; BENCHMARKS.md is left as it is
  --baseline REF    also times the handler of commit REF (a branch, tag or hash) in section 1, turn by
                    turn with this one's, and gives the ratio: what a change costs per event
  -h, --help        this text`;

run(async (argv) => {
  const args = commandLine(argv, USAGE, { quick: { type: 'boolean' }, baseline: { type: 'string' } });
  if (!args) return;
  const quick = args.values.quick === true;
  const measure = (baseline?: Baseline) => measureAll(quick ? QUICK : FULL, (step) => console.error(step), baseline);
  const results = args.values.baseline === undefined ? await measure() : await withBaseline(args.values.baseline, measure);
  const report = benchmarksReport(results, { quick });
  if (!quick) await writeFile(join(PROJECT, 'BENCHMARKS.md'), report);
  console.log(report);
});
