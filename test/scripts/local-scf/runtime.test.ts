import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFunction } from '../../../scripts/local-scf/runtime';
import { SCF_NODE_VERSION } from '../../../scripts/scf-node';

describe('runFunction', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runtime-'));
    await writeFile(
      join(dir, 'index.js'),
      `let calls = 0;
exports.main_handler = async (event, context) => {
  calls += 1;
  if (event.fail) throw new TypeError('failed as asked');
  if (event.throwString) throw 'a string';
  if (event.hang) return new Promise(() => setInterval(() => {}, 1000));
  console.log(JSON.stringify({ msg: 'handled', calls }));
  return { node: process.version, env: Object.keys(process.env).sort(), options: process.env.NODE_OPTIONS, context, calls };
};`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (invocations: { event: unknown; context?: Record<string, unknown> }[], timeoutMs = 10_000) =>
    runFunction({ dir, handler: 'index.main_handler', env: { ONLY: 'this', NODE_OPTIONS: '--max-old-space-size=48' }, invocations: invocations.map((i) => ({ context: {}, ...i })), timeoutMs });

  it("calls the handler on SCF's Node for each event in one process, with the environment given and nothing else", async () => {
    const { results, stdout } = await run([{ event: {}, context: { request_id: 'r1' } }, { event: {} }]);
    expect(results).toEqual([
      { ok: true, value: { node: `v${SCF_NODE_VERSION}`, env: ['NODE_OPTIONS', 'ONLY'], options: '--max-old-space-size=48', context: { request_id: 'r1' }, calls: 1 }, ms: expect.any(Number) },
      { ok: true, value: expect.objectContaining({ calls: 2 }), ms: expect.any(Number) },
    ]);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).calls)).toEqual([1, 2]);
  });

  it('reports what the handler threw, and goes on with the next event', async () => {
    const { results } = await run([{ event: { fail: true } }, { event: { throwString: true } }, { event: {} }]);
    expect(results[0]).toMatchObject({ ok: false, error: { name: 'TypeError', message: 'failed as asked', stack: expect.stringContaining('index.js') } });
    expect(results[1]).toMatchObject({ ok: false, error: { name: 'Error', message: 'a string' } });
    expect(results[2]).toMatchObject({ ok: true });
  });

  it("ends the process when an invocation outlives the function's timeout, failing it and those after it", async () => {
    const { results } = await run([{ event: {} }, { event: { hang: true } }, { event: {} }], 1_500);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results.slice(1)).toEqual([1, 2].map(() => ({ ok: false, error: { name: 'TimeoutError', message: 'Task timed out after 1.50 seconds' }, ms: 0 })));
  });

  it('fails every invocation, saying why, when the handler cannot be loaded', async () => {
    const { results } = await runFunction({ dir, handler: 'missing.main_handler', env: {}, invocations: [{ event: {}, context: {} }], timeoutMs: 10_000 });
    expect(results).toEqual([{ ok: false, error: { name: 'RuntimeError', message: expect.stringMatching(/^The process exited with code 1 before the function returned: .*Cannot find module/) }, ms: 0 }]);
  });
});
