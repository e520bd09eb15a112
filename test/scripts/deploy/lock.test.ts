import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exclusively } from '../../../scripts/deploy/lock';

describe('exclusively', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs one piece of work at a time, and lets the lock go after it', async () => {
    const lock = join(dir, 'dist', '.deploy.lock');
    const log: string[] = [];
    let entered: () => void = () => undefined;
    const aIn = new Promise<void>((resolve) => (entered = resolve));
    const work = (name: string) => async () => {
      log.push(`${name} in`);
      entered();
      await new Promise((resolve) => setTimeout(resolve, 30));
      log.push(`${name} out`);
      return name;
    };
    const heard: number[] = [];
    const a = exclusively(lock, work('a'), { pollMs: 5 });
    await aIn;
    const b = exclusively(lock, work('b'), { waiting: (pid) => heard.push(pid), pollMs: 5 });
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(heard).toEqual([process.pid]);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose process is gone, as a deploy stopped with Ctrl-C leaves it', async () => {
    const lock = join(dir, '.deploy.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(lock, gone);
    await expect(exclusively(lock, async () => 'done', { pollMs: 5 })).resolves.toBe('done');
  });
});
