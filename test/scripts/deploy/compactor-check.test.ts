import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompactHandler } from '../../../src/compact/handler';
import { dayKeys } from '../../../src/keys';
import { createCosStore } from '../../../src/store/cos';
import { compactorCheckEvent, runCompactorCheck } from '../../../scripts/deploy/compactor-check';
import type { FunctionSpec } from '../../../scripts/deploy/spec';
import type { ScfCall } from '../../../scripts/tencent-api';
import { captureLogs, context } from '../../support/doubles';
import { startLocalWorld, storeDay, type LocalWorld } from '../../support/local-cos';

const spec = { name: 'mps-cos-backup-compact', namespace: 'default' } as FunctionSpec;
const DAY = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);

describe('the event of a compactor check', () => {
  it("is a timer's event whose Message asks the run to end well within the 300 s a synchronous Invoke waits", () => {
    const event = compactorCheckEvent(new Date('2026-12-07T10:15:00Z'));
    expect(event).toEqual({ Type: 'Timer', TriggerName: 'deploy-check', Time: '2026-12-07T10:15:00.000Z', Message: '{"max_seconds":180}' });
  });
});

describe('runCompactorCheck', () => {
  let world: LocalWorld;
  beforeAll(async () => {
    world = await startLocalWorld();
  });
  afterAll(() => world.close());

  /** SCF's synchronous Invoke of the real compactor, on the local COS as the function's own role; `answer` may change what it says. */
  const invoking = (answer: (summary: Record<string, unknown>) => unknown = (summary) => summary) =>
    (async (action: string, request: { ClientContext: string }) => {
      expect(action).toBe('Invoke');
      const handler = createCompactHandler({
        config: world.config,
        logger: captureLogs().logger,
        open: () => ({ archive: world.archive, store: createCosStore(world.config, { credentials: () => world.credentials }) }),
      });
      const summary = await handler(JSON.parse(request.ClientContext), { ...context, time_limit_in_ms: 900_000 });
      return { Result: { FunctionRequestId: 'req-1', RetMsg: JSON.stringify(answer(summary as never)), ErrMsg: '' } };
    }) as unknown as ScfCall;

  it('passes when the compactor compacted a closed day and its manifest and part read back as it said, encrypted as the function encrypts', async () => {
    await storeDay(world.cos, world.credentials, DAY, 3);
    const { passed, lines } = await runCompactorCheck(invoking(), world.archive, spec, world.config);
    expect(lines).toEqual([
      'Invoked default/mps-cos-backup-compact with a timer event, for at most 180 s (request req-1)',
      `  compacted WorkflowTask ${DAY}: 3 rows in 1 part`,
      'PASS: the compactor compacted 1 day, and each manifest and part reads back as it said',
    ]);
    expect(passed).toBe(true);
    // Its part and manifest asked COS for the encryption COS_SSE names, as the per-event objects do.
    const keys = dayKeys('mps-events', 'WorkflowTask', DAY);
    for (const key of [keys.manifest, keys.part(0), `${keys.normalized}hour=10/${DAY}-0.json`]) {
      expect((await world.cos.files.head(world.config.bucket, key))?.encryption).toEqual({ 'x-cos-server-side-encryption': 'AES256' });
    }
  });

  it('passes, saying it wrote nothing to read back, when every closed day is compacted already', async () => {
    const { passed, lines } = await runCompactorCheck(invoking(), world.archive, spec, world.config);
    expect(passed).toBe(true);
    expect(lines.at(-1)).toBe('PASS: the compactor ran and listed the archive with its role; there was no closed day left to compact, so it wrote nothing to read back');
  });

  it('fails when what the bucket holds is not what the compactor said', async () => {
    const day = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    await storeDay(world.cos, world.credentials, day, 2);
    const { passed, lines } = await runCompactorCheck(invoking((s) => ({ ...s, compacted: (s.compacted as { rows: number }[]).map((d) => ({ ...d, rows: d.rows + 1 })) })), world.archive, spec, world.config);
    expect(passed).toBe(false);
    expect(lines).toContain(`  ${dayKeys('mps-events', 'WorkflowTask', day).manifest} counts 2 rows, the compactor said 3`);
    expect(lines.at(-1)).toBe('FAIL: what the bucket holds is not what the compactor said it wrote');
  });

  it('fails when a day failed, when the compactor threw, and when its answer is not its summary', async () => {
    const failedDay = (async () => ({ Result: { RetMsg: JSON.stringify({ compacted: [], left: 0, failed: 1 }), ErrMsg: '' } })) as unknown as ScfCall;
    expect((await runCompactorCheck(failedDay, world.archive, spec, world.config)).lines.at(-1)).toBe('FAIL: 1 day could not be compacted: the compactor\'s log says why ("Day not compacted")');
    const threw = (async () => ({ Result: { RetMsg: '', ErrMsg: '{"errorMessage":"Invalid configuration"}' } })) as unknown as ScfCall;
    expect((await runCompactorCheck(threw, world.archive, spec, world.config)).lines.at(-1)).toBe('FAIL: the compactor failed: {"errorMessage":"Invalid configuration"}');
    const other = (async () => ({ Result: { RetMsg: '{"result":"archived"}', ErrMsg: '' } })) as unknown as ScfCall;
    expect((await runCompactorCheck(other, world.archive, spec, world.config)).lines.at(-1)).toBe('FAIL: the compactor\'s answer is not its summary: "{\\"result\\":\\"archived\\"}"');
  });
});
