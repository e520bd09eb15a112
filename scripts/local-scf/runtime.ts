import { spawn } from 'node:child_process';
import { fetchScfNode } from '../scf-node';
import { handlerOf } from '../tencent-api';

/*
 * A function folder run as SCF's Node.js runtime runs it: a process of its own on SCF's Node
 * (18.15), in the folder, with the function's environment and nothing of this machine's, the
 * handler required once and called for each event in turn, as one warm instance would. The
 * local SCF API's Invoke and `npm run invoke -- --packaged` both run the function this way.
 */

export interface Invocation {
  event: unknown;
  context: Record<string, unknown>;
}

export type InvocationResult =
  | { ok: true; value: unknown; ms: number }
  | { ok: false; error: { name: string; message: string; stack?: string }; ms: number };

export interface Run {
  results: InvocationResult[];
  /** What the function wrote, its logs. */
  stdout: string;
  stderr: string;
}

/**
 * Reads the invocations from stdin, writes a line of JSON per result to fd 3: stdout and stderr
 * stay the function's own. An error that is not an Error (a thrown string) is reported as one.
 */
const DRIVER = `
const fs = require('node:fs');
const path = require('node:path');
const [file, name] = JSON.parse(process.argv[1]);
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const invocations = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const handler = require(path.resolve(file))[name];
  for (const { event, context } of invocations) {
    const started = Date.now();
    let result;
    try {
      result = { ok: true, value: await handler(event, context) };
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      result = { ok: false, error: { name: error.name, message: error.message, stack: error.stack } };
    }
    result.ms = Date.now() - started;
    fs.writeSync(3, JSON.stringify(result) + '\\n');
  }
});
`;

/**
 * Runs the invocations in one process. An invocation that gives no result within `timeoutMs`
 * (the function's timeout) ends the process, as SCF ends the instance; it and those after it fail
 * with a timeout.
 */
export function runFunction(options: { dir: string; handler: string; env: Record<string, string>; invocations: Invocation[]; timeoutMs: number }): Promise<Run> {
  const child = spawn(fetchScfNode(), ['-e', DRIVER, JSON.stringify(handlerOf(options.handler))], {
    cwd: options.dir,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  const results: InvocationResult[] = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
  };
  arm();
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (s: string) => {
    pending += s;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      results.push(JSON.parse(pending.slice(0, end)) as InvocationResult);
      pending = pending.slice(end + 1);
      arm();
    }
  });
  child.stdin.end(JSON.stringify(options.invocations));

  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Node ends an uncaught error's report with its own version: the error's line says more.
      const cause = /^\w*Error\b.*$/m.exec(stderr)?.[0] ?? stderr.trim().split('\n').at(-1);
      const message = timedOut
        ? `Task timed out after ${(options.timeoutMs / 1000).toFixed(2)} seconds`
        : `The process exited with ${signal ?? `code ${code}`} before the function returned${cause ? `: ${cause}` : ''}`;
      while (results.length < options.invocations.length) {
        results.push({ ok: false, error: { name: timedOut ? 'TimeoutError' : 'RuntimeError', message }, ms: 0 });
      }
      resolve({ results, stdout, stderr });
    });
  });
}
