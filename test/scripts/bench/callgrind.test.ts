import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { countInstructions, COUNT_FROM, COUNT_TO, WARM } from '../../../scripts/bench/callgrind';

const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;
const env = { PATH: process.env.PATH ?? '' };
const busy = (n: number) => `{ let x = 0; for (let i = 0; i < ${n}; i++) x = (x * 31 + i) % 1000003; globalThis.x = x; }`;

// `npm run bench` needs valgrind; without it, these cannot run.
describe.skipIf(!hasValgrind)('countInstructions', () => {
  it('counts each segment between the marks of one process, in order', async () => {
    const counts = await countInstructions(['-e', `${busy(1e5)}; ${COUNT_FROM}; ${COUNT_TO}; ${COUNT_FROM}; ${busy(2e6)}; ${COUNT_TO}; ${COUNT_FROM}; ${COUNT_TO}; ${busy(1e5)}`], env);
    expect(counts).toHaveLength(3);
    expect(counts[1]).toBeGreaterThan(20 * counts[0]!);
    expect(counts[1]).toBeGreaterThan(20 * counts[2]!);
  });

  it('after a warm-up it did not count, switches counting on before the script goes on', async () => {
    const script = `${busy(1e6)}; process.stderr.write('${WARM}\\n'); process.stdin.once('data', () => { ${COUNT_FROM}; ${busy(2e6)}; ${COUNT_TO}; process.stdin.destroy(); });`;
    const [count, ...more] = await countInstructions(['-e', script], env, { afterWarmUp: true });
    expect(more).toEqual([]);
    expect(count).toBeGreaterThan(10e6);
  });

  it('fails with the script', async () => {
    await expect(countInstructions(['-e', "throw new Error('broken')"], env, { afterWarmUp: true })).rejects.toThrow(/under callgrind exited with 1: [^]*broken/);
  });
});
