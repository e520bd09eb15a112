import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NormalizedRecordSchema } from '../../src/record';
import { context } from '../support/doubles';
import { fixture } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';

const EVENTS = 200;
const CONCURRENCY = 32;

/** Distinct events of both types, each with its own task id and payload. */
function eventNumber(i: number): { event: unknown; taskId: string } {
  const base = structuredClone(fixture(i % 2 ? 'events/workflow-task-docs-sample.json' : 'events/edit-media-task-success.json')) as Record<string, Record<string, unknown>>;
  const body = base.WorkflowTaskEvent ?? base.EditMediaTaskEvent!;
  const taskId = `1250000000-LoadTask-${String(i).padStart(4, '0')}`;
  body.TaskId = taskId;
  body.Message = `event ${i}`;
  return { event: base, taskId };
}

describe(`${EVENTS} events, ${CONCURRENCY} at a time, through one warm handler`, () => {
  let world: LocalWorld;
  // Taken while a test runs, so that it counts the test runner's own timer too.
  let activeBefore: string[] = [];
  beforeAll(async () => {
    world = await startLocalWorld();
  });
  afterAll(() => world.close());

  it('stores every event, each object holding its own event', async () => {
    activeBefore = process.getActiveResourcesInfo();
    const results: { taskId: string; keys: string[] }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < EVENTS) {
        const i = next++;
        const { event, taskId } = eventNumber(i);
        const summary = await world.handler(event, { ...context, request_id: `load-${i}` });
        if (summary.result !== 'archived') throw new Error(`event ${i} not archived`);
        expect(summary.task_id).toBe(taskId);
        results.push({ taskId, keys: [summary.objects.raw.key, summary.objects.normalized.key] });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(results).toHaveLength(EVENTS);
    expect(new Set(results.flatMap((r) => r.keys)).size).toBe(EVENTS * 2);
    expect(await world.listKeys('mps-events/')).toHaveLength(EVENTS * 2);
    for (const { taskId, keys } of results) {
      const [rawKey, normalizedKey] = keys as [string, string];
      const raw = JSON.parse((await world.getObject(rawKey)).toString());
      expect((raw.WorkflowTaskEvent ?? raw.EditMediaTaskEvent).TaskId).toBe(taskId);
      const record = NormalizedRecordSchema.parse(JSON.parse((await world.getObject(normalizedKey)).toString()));
      expect(record).toMatchObject({ task_id: taskId, raw_key: rawKey });
    }
  });

  it('leaves no socket or timer open once the emulator is gone', async () => {
    await world.cos.close();
    await new Promise((r) => setTimeout(r, 50));
    const after = process.getActiveResourcesInfo();
    const count = (list: string[], type: string) => list.filter((r) => r === type).length;
    expect(count(after, 'TCPSocketWrap')).toBe(0);
    expect(count(after, 'TCPServerWrap')).toBe(count(activeBefore, 'TCPServerWrap') - 1);
    expect(count(after, 'Timeout')).toBeLessThanOrEqual(count(activeBefore, 'Timeout'));
  });
});
