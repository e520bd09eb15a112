import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
 *
 * Until the script reaches WAIT_FOR_COUNTING, callgrind runs it without counting, about 5 times
 * slower than Node against some 50 counting: Node's start, a warm-up. There the script says so
 * and spins, loading nothing that what it counts would load, until callgrind_control has switched
 * counting on; spinning, it lets valgrind hear callgrind_control without ptrace.
 */

export const COUNT_FROM = 'process.resourceUsage()';
export const COUNT_TO = 'process.getActiveResourcesInfo()';
const MARKS = ['--zero-before=node::ResourceUsage(*)', '--dump-before=node::GetActiveResourcesInfo(*)'];

const READY = 'ready to count';
const GO = 'COUNTING_STARTED';
/** Does nothing outside countInstructions. */
export const WAIT_FOR_COUNTING = `if (process.env.${GO}) {
  require('node:fs').writeSync(2, '${READY}\\n');
  while (!require('node:fs').existsSync(process.env.${GO}));
}`;

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

/** Runs `args` on SCF's Node under callgrind and returns the instructions of each segment. */
export async function countInstructions(args: string[], env: Record<string, string>): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'callgrind-'));
  const go = join(dir, 'go');
  try {
    const child = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'callgrind.out')}`, ...MARKS, fetchScfNode(), ...args], {
      env: { ...env, [GO]: go },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let ready = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (ready || !stderr.includes(`${READY}\n`)) return;
      ready = true;
      run('callgrind_control', ['--instr=on', String(child.pid)])
        .then(() => writeFile(go, ''))
        .catch((error: Error) => {
          stderr += `\ncallgrind_control failed: ${error.message}`;
          child.kill();
        });
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`valgrind did not start (is it installed?): ${error.message}`)));
      child.once('exit', resolve);
    });
    const what = args.join(' ').slice(0, 80);
    if (code !== 0) throw new Error(`${what} under callgrind exited with ${code}: ${stderr.slice(-1000)}`);
    if (!ready) throw new Error(`${what} never reached WAIT_FOR_COUNTING, so nothing was counted`);
    return await segments(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
