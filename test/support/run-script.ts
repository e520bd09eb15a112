import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PROJECT } from '../../scripts/build/bundle';

const TSX = join(PROJECT, 'node_modules', '.bin', 'tsx');

/**
 * An npm script's file run with tsx in a process of its own, without blocking this one, which may
 * serve the local COS it calls.
 */
export async function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, [script, ...args], { cwd: PROJECT, env, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}
