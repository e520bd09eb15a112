import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const PROJECT = join(__dirname, '..', '..');
const TSX = join(PROJECT, 'node_modules', '.bin', 'tsx');

/** Resolves when something can listen on the port again: the emulator let it go. */
async function portIsFree(port: number): Promise<boolean> {
  const server: Server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm run cos:local', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  const env = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, LOCAL_COS_DIR: dir, LOCAL_COS_PORT: '0' });

  /** `npm run cos:local` as a user starts it, in a process group of its own as a terminal would. */
  async function start(): Promise<{ port: number; exports: string; stderr: () => string }> {
    child = spawn('npm', ['run', 'cos:local'], { cwd: PROJECT, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => (out += String(chunk)));
    child.stderr!.on('data', (chunk) => (err += String(chunk)));
    while (!/TENCENTCLOUD_SECRETKEY=/.test(out)) {
      if (child.exitCode !== null) throw new Error(`cos:local exited ${child.exitCode}`);
      await once(child.stdout!, 'data');
    }
    return { port: Number(/COS_ENDPOINT=http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]), exports: out, stderr: () => err };
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cos-local-'));
  });
  afterEach(async () => {
    // Whatever a failed test left running, by its process group.
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('stops, freeing its port, on SIGTERM sent to the npm process', async () => {
    const { port, stderr } = await start();
    expect(await portIsFree(port)).toBe(false);
    child!.kill('SIGTERM');
    await once(child!, 'close');
    // npm has exited; the emulator under it must not be left listening, nor have been killed.
    await new Promise((r) => setTimeout(r, 500));
    expect(await portIsFree(port)).toBe(true);
    expect(stderr()).toContain('Local COS stopped.');
  });

  it('stops, freeing its port, on Ctrl-C (SIGINT to the whole process group, so twice: npm relays it)', async () => {
    const { port, stderr } = await start();
    process.kill(-child!.pid!, 'SIGINT');
    await once(child!, 'close');
    await new Promise((r) => setTimeout(r, 500));
    expect(await portIsFree(port)).toBe(true);
    expect(stderr()).toContain('Local COS stopped.');
  });

  it('prints the same keys after a restart', async () => {
    const first = await start();
    child!.kill('SIGTERM');
    await once(child!, 'exit');
    const second = await start();
    const keys = (text: string) => text.split('\n').filter((l) => l.startsWith('export TENCENTCLOUD_'));
    expect(keys(second.exports)).toEqual(keys(first.exports));
    expect(keys(first.exports)).toHaveLength(2);
    child!.kill('SIGTERM');
    await once(child!, 'exit');
  });

  const direct = (args: string[], extra: Record<string, string>) =>
    spawnSync(TSX, ['scripts/cos-local.ts', ...args], { cwd: PROJECT, env: { ...env(), ...extra }, encoding: 'utf8', timeout: 60_000 });

  it('names LOCAL_COS_PORT when the port is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = direct([], { LOCAL_COS_PORT: String(port) });
      expect(result.stderr).toContain(`Port ${port} is in use`);
      expect(result.stderr).toContain('LOCAL_COS_PORT');
      expect(result.status).toBe(2);
    } finally {
      busy.close();
    }
  });

  it.each(['abc', '70000', '-1', '80.5'])('names a LOCAL_COS_PORT of %s', (value) => {
    const result = direct([], { LOCAL_COS_PORT: value });
    expect(result.stderr).toContain(`LOCAL_COS_PORT=${value} is not a whole number from 0 to 65535`);
    expect(result.status).toBe(2);
  });

  it('names a bad LOCAL_COS_LATENCY_MS', () => {
    const result = direct([], { LOCAL_COS_LATENCY_MS: 'slow' });
    expect(result.stderr).toContain('LOCAL_COS_LATENCY_MS=slow is not a whole number from 0 to 60000');
    expect(result.status).toBe(2);
  });

  it.each(['--help', '-h'])('prints its usage for %s', (flag) => {
    const result = direct([flag], {});
    expect(result.stdout).toContain('npm run cos:local');
    expect(result.stdout).toContain('LOCAL_COS_PORT');
    expect(result.status).toBe(0);
  });
});
