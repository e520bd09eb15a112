import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT } from '../build/bundle';

/**
 * The local COS in a process of its own (`npm run cos:local` on an ephemeral port), so that its
 * work is not charged to what is being measured. Resolves with the environment it prints.
 */
export async function startEmulatorProcess(latencyMs = 0): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cos-'));
  // As `npm run cos:local` starts it: tsx's own launcher would relay SIGTERM and SIGKILL the
  // emulator when it is slow to close, as on a loaded machine.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cos-local.ts'], {
    cwd: PROJECT,
    env: { PATH: process.env.PATH, LOCAL_COS_PORT: '0', LOCAL_COS_DIR: dir, LOCAL_COS_LATENCY_MS: String(latencyMs) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const env: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const [, name, value] of buffered.matchAll(/^export (\w+)=(.*)$/gm)) env[name!] = value!;
      if (env.COS_ENDPOINT && env.TENCENTCLOUD_SECRETKEY) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the local COS exited with ${code}`)));
  });
  return {
    env,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
