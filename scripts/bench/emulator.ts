import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT } from '../build/bundle';

export interface CosProcess {
  /** What points the function at it, as the script printed it. */
  env: Record<string, string>;
  close: () => Promise<void>;
}

/**
 * A COS script in a process of its own, so that its work is not charged to what is being
 * measured. Resolves with the environment it prints (`export NAME=value` lines).
 */
async function startCosProcess(script: string, env: Record<string, string>): Promise<CosProcess> {
  // As `npm run cos:local` starts it: tsx's own launcher would relay SIGTERM and SIGKILL the
  // emulator when it is slow to close, as on a loaded machine.
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const printed: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const [, name, value] of buffered.matchAll(/^export (\w+)=(.*)$/gm)) printed[name!] = value!;
      if (printed.COS_ENDPOINT && printed.TENCENTCLOUD_SECRETKEY) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    env: printed,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The local COS (`npm run cos:local` on an ephemeral port), which stores what it is sent. */
export async function startEmulatorProcess(latencyMs = 0): Promise<CosProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cos-'));
  const cos = await startCosProcess('scripts/cos-local.ts', { LOCAL_COS_PORT: '0', LOCAL_COS_DIR: dir, LOCAL_COS_LATENCY_MS: String(latencyMs) });
  return {
    env: cos.env,
    close: async () => {
      await cos.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A COS that answers each PUT once its body has arrived, and keeps nothing (answering-cos.ts). */
export const startAnsweringCosProcess = (): Promise<CosProcess> => startCosProcess('scripts/bench/answering-cos.ts', {});
