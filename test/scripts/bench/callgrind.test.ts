import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { countInstructions, COUNT_FROM, COUNT_TO, WAIT_FOR_COUNTING } from '../../../scripts/bench/callgrind';

const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;
const env = { PATH: process.env.PATH ?? '' };
const busy = (n: number) => `{ let x = 0; for (let i = 0; i < ${n}; i++) x = (x * 31 + i) % 1000003; globalThis.x = x; }`;

// `npm run bench` needs valgrind; without it, these cannot run.
describe.skipIf(!hasValgrind)('countInstructions', () => {
  it('counts, once the script waited for it, each segment between the marks of one process, in order', async () => {
    const script = `${busy(1e6)}; ${WAIT_FOR_COUNTING}; ${COUNT_FROM}; ${COUNT_TO}; ${COUNT_FROM}; ${busy(2e6)}; ${COUNT_TO}; ${COUNT_FROM}; ${COUNT_TO}; ${busy(1e5)}`;
    const counts = await countInstructions(['-e', script], env);
    expect(counts).toHaveLength(3);
    expect(counts[1]).toBeGreaterThan(10e6);
    expect(counts[1]).toBeGreaterThan(20 * counts[0]!);
    expect(counts[1]).toBeGreaterThan(20 * counts[2]!);
  });

  it('refuses a script that never waited for counting, which would count nothing', async () => {
    await expect(countInstructions(['-e', `${COUNT_FROM}; ${busy(1e5)}; ${COUNT_TO}`], env)).rejects.toThrow('never reached WAIT_FOR_COUNTING, so nothing was counted');
  });

  it('fails with the script', async () => {
    await expect(countInstructions(['-e', "throw new Error('broken')"], env)).rejects.toThrow(/under callgrind exited with 1: [^]*broken/);
  });
});
