import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fetchScfNode } from '../scf-node';

/*
 * Instructions counted by valgrind's callgrind, which, unlike time, a busy shared machine does
 * not move. A script run on SCF's Node marks what is counted: from each COUNT_FROM to the next
 * COUNT_TO, segments of one process, so that no count of one process is taken from another's.
 * Each mark is a call into a builtin of Node's that neither the function nor the naive handler
 * makes, at whose entry callgrind zeroes its counters, or writes them out.
 */

export const COUNT_FROM = 'process.resourceUsage()';
export const COUNT_TO = 'process.getActiveResourcesInfo()';
const MARKS = ['--zero-before=node::ResourceUsage(*)', '--dump-before=node::GetActiveResourcesInfo(*)'];

/** A line the script writes to stderr once warm, before it reads a line from stdin and goes on. */
export const WARM = 'warm';

const run = promisify(execFile);

/** The count of each dump that a COUNT_TO made, in order (callgrind numbers them from 1). */
async function segments(dir: string): Promise<number[]> {
  const dumps: [part: number, count: number][] = [];
  for (const name of await readdir(dir)) {
    const text = await readFile(join(dir, name), 'utf8');
    if (!text.includes('desc: Trigger: --dump-before=')) continue;
    const part = /^part: (\d+)$/m.exec(text)?.[1];
    const count = /^summary: (\d+)$/m.exec(text)?.[1];
    if (!part || !count) throw new Error(`callgrind's ${name} has no part or summary`);
    dumps.push([Number(part), Number(count)]);
  }
  return dumps.sort((a, b) => a[0] - b[0]).map(([, count]) => count);
}

/**
 * Runs `args` on SCF's Node under callgrind and returns the instructions of each segment. With
 * `afterWarmUp`, callgrind runs the script without counting (about 5 times slower than Node,
 * against some 50 counting) until it writes WARM, and then is switched to counting
 * (callgrind_control) before the script is told to go on.
 */
export async function countInstructions(args: string[], env: Record<string, string>, { afterWarmUp = false } = {}): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'callgrind-'));
  try {
    const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out')}`, ...MARKS, ...(afterWarmUp ? ['--instr-atstart=no'] : []), fetchScfNode(), ...args], {
      env,
      stdio: [afterWarmUp ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let warm = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (afterWarmUp && !warm && stderr.includes(`${WARM}\n`)) {
        warm = true;
        run('callgrind_control', ['--instr=on', String(child.pid)]).then(
          () => child.stdin!.end('\n'),
          (error: Error) => {
            stderr += `\ncallgrind_control failed: ${error.message}`;
            child.kill();
          },
        );
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`valgrind did not start (is it installed?): ${error.message}`)));
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${args.join(' ').slice(0, 80)} under callgrind exited with ${code}: ${stderr.slice(-1000)}`);
    return await segments(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
