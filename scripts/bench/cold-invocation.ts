import type { CodeCacheUse } from '../../src/code-cache';
import { startAnsweringCosProcess, startEmulatorProcess } from './emulator';
import { FIRST_EVENT, inTurns, probe, probeEnv, probeInstructions } from './probe';
import { median } from './stats';
import type { Builds, Variant } from './variants';

/*
 * The cold invocation, `require('index.js')` then the first event, in fresh processes of SCF's
 * Node (probe.ts), the variants taking turns.
 */

/**
 * Which COS the first event writes to, in a process of its own: one that answers each PUT once
 * its body has arrived (answering-cos.ts), so that what is compared is what each handler costs;
 * or the local COS, which stores both objects' files before it answers, on the machine that runs
 * the function, where COS does that work on machines of its own.
 */
export type Cos = 'answering' | 'storing';

export const COS_NAMES: Record<Cos, string> = { answering: 'answers at once', storing: 'local COS, storing' };

export const COLD_VARIANTS: [Variant, Cos][] = [
  ['function', 'answering'],
  ['function-no-cache', 'answering'],
  ['function-compiling-first', 'answering'],
  ['naive', 'answering'],
  ['function', 'storing'],
  ['naive', 'storing'],
];

export interface ColdInvocation {
  variant: Variant;
  cos: Cos;
  /** Medians over the runs. */
  loadMs: number;
  firstMs: number;
  firstCpuMs: number;
  /** RSS after the first event. */
  rssMb: number;
  /** Each run's load + first event, in the order of the turns: rows pair run by run. */
  totalsMs: number[];
  codeCache?: CodeCacheUse;
  /** Of the load and the first event, in one run under callgrind, when counted. */
  instructions?: number;
}

/** `count`: the variants whose instructions to count too, against the COS that answers at once. */
export async function measureColdInvocation(builds: Builds, { runs, count }: { runs: number; count: Variant[] }): Promise<ColdInvocation[]> {
  const [answering, storing] = await Promise.all([startAnsweringCosProcess(), startEmulatorProcess()]);
  try {
    const cosEnv: Record<Cos, Record<string, string>> = { answering: probeEnv({ ...answering.env, LOG_LEVEL: 'info' }), storing: probeEnv({ ...storing.env, LOG_LEVEL: 'info' }) };
    const files = await Promise.all(COLD_VARIANTS.map(([variant]) => builds.file(variant)));
    const results = inTurns(runs, COLD_VARIANTS.map(([, cos], i) => () => probe(files[i]!, cosEnv[cos], FIRST_EVENT)));
    const rows: ColdInvocation[] = [];
    for (const [i, [variant, cos]] of COLD_VARIANTS.entries()) {
      const rs = results[i]!;
      const uses = new Set(rs.map((r) => r.codeCache));
      if (uses.size > 1) throw new Error(`${variant}: the code cache was ${[...uses].join(' in some runs, ')} in others`);
      rows.push({
        variant,
        cos,
        loadMs: median(rs.map((r) => r.loadMs)),
        firstMs: median(rs.map((r) => r.firstMs)),
        firstCpuMs: median(rs.map((r) => r.firstCpuMs)),
        rssMb: median(rs.map((r) => r.rssMb)),
        totalsMs: rs.map((r) => r.loadMs + r.firstMs),
        ...(rs[0]!.codeCache && { codeCache: rs[0]!.codeCache }),
        ...(count.includes(variant) && cos === 'answering' && { instructions: await probeInstructions(files[i]!, cosEnv[cos], FIRST_EVENT) }),
      });
    }
    return rows;
  } finally {
    await Promise.all([answering.close(), storing.close()]);
  }
}

export const coldRow = (rows: ColdInvocation[], variant: Variant, cos: Cos = 'answering') => {
  const row = rows.find((r) => r.variant === variant && r.cos === cos);
  if (!row) throw new Error(`no cold invocation of ${variant} against the COS that ${cos === 'answering' ? 'answers at once' : 'stores'}`);
  return row;
};
