import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { plan } from '../../src/plan';
import { PROJECT } from '../build/bundle';

/*
 * The handler of another commit, for section 1 to time beside this one's in the same run: a
 * change to what the handler computes (the record, masking, validation) is judged by the ratio,
 * which holds where absolute times drift with a shared machine. The commit's `src/plan.ts` is
 * loaded from its tree, checked out into a temporary folder beside this project's node_modules;
 * its plan() must take the arguments this one's does.
 */

/** How much more CPU per event a change may cost on the documentation's sample than the commit before it. */
export const BASELINE_TARGET = 1.1;

export interface Baseline {
  /** The commit as given: a branch, a tag or a hash. */
  ref: string;
  plan: typeof plan;
}

export async function withBaseline<T>(ref: string, use: (baseline: Baseline) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-baseline-'));
  try {
    const tree = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'package.json', 'tsconfig.json'], { cwd: PROJECT, maxBuffer: 256 * 2 ** 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tree });
    await symlink(join(PROJECT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const loaded = (await import(pathToFileURL(join(dir, 'src', 'plan.ts')).href)) as { plan: typeof plan };
    return await use({ ref, plan: loaded.plan });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
