import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

  --quick      every part briefly, a smoke run whose numbers mean little; BENCHMARKS.md is left as it is
  -h, --help   this text`;

run(async (argv) => {
  const args = commandLine(argv, USAGE, { quick: { type: 'boolean' } });
  if (!args) return;
  const quick = args.values.quick === true;
  const report = benchmarksReport(await measureAll(quick ? QUICK : FULL, (step) => console.error(step)), { quick });
  if (!quick) await writeFile(join(PROJECT, 'BENCHMARKS.md'), report);
  console.log(report);
});
