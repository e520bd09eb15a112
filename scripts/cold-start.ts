import { coldAim } from './bench/aims';
import { COLD_VARIANTS, measureColdInvocation } from './bench/cold-invocation';
import { measureLoad } from './bench/load';
import { aimsTable, coldTable, loadTable } from './bench/report';
import { withBuilds } from './bench/variants';
import { commandLine, run, UsageError } from './cli';
import { SCF_NODE_VERSION } from './scf-node';

/*
 * `npm run cold-start`: what a new SCF instance costs, section 3 of BENCHMARKS.md on its own, to
 * compare changes to what the bundle loads. The measures are in scripts/bench/ (cold-invocation.ts,
 * load.ts); the method is in docs/performance.md.
 */

const USAGE = `npm run cold-start [-- --instructions]

What a new SCF instance costs, in fresh processes of SCF's Node ${SCF_NODE_VERSION}: the cold
invocation (load + first event) of the packaged function with and without its code cache and of a
naive handler, then the load alone of the bundle's variants and parts. COLD_START_RUNS (default
21) sets the number of runs of each.

  --instructions   also count instructions with valgrind, which do not move with the machine's load
  -h, --help       this text`;

run(async (argv) => {
  const args = commandLine(argv, USAGE, { instructions: { type: 'boolean' } });
  if (!args) return;
  const runs = Number(process.env.COLD_START_RUNS || 21);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`COLD_START_RUNS=${process.env.COLD_START_RUNS} is not a whole number of runs`);
  const count = args.values.instructions === true;
  await withBuilds(async (builds) => {
    const cold = await measureColdInvocation(builds, { runs, count: count ? COLD_VARIANTS.map(([variant]) => variant) : [] });
    console.log(`Cold invocation, ${runs} runs of each:\n\n${coldTable(cold)}\n\n${aimsTable([coldAim(cold)])}\n`);
    console.log(`Load alone, to a ready main_handler:\n\n${loadTable(await measureLoad(builds, { runs, count }))}`);
  });
});
