import { describe, expect, it } from 'vitest';
import { createCompactHandler, RECHECK_DAYS } from '../../src/compact/handler';
import { ManifestSchema } from '../../src/compact/manifest';
import { dayKeys } from '../../src/keys';
import { captureLogs, config, memoryBucket } from '../support/doubles';
import { normalizedRecord } from '../support/fixtures';

/** Today is 2026-12-07, 01:30 UTC; SCF gives the compactor 900 s. */
const NOW = Date.parse('2026-12-07T01:30:00Z');
const context = { request_id: 'timer-1', time_limit_in_ms: 900_000 };

function archiveOf(days: Record<string, number>, eventType = 'WorkflowTask') {
  const bucket = memoryBucket(() => NOW - 3_600_000);
  for (const [day, count] of Object.entries(days)) {
    for (let i = 0; i < count; i++) {
      bucket.written(`${dayKeys('mps-events', eventType, day).normalized}hour=10/${day}-${i}.json`, `${JSON.stringify({ ...normalizedRecord(), event_id: `${day}-${i}` })}\n`);
    }
  }
  return bucket;
}

function handlerOf(bucket: ReturnType<typeof memoryBucket>, now = () => NOW, configChanges = {}) {
  const logs = captureLogs();
  const handler = createCompactHandler({ config: { ...config, ...configChanges }, logger: logs.logger, open: () => ({ archive: bucket, store: bucket }), now });
  return { handler, logs };
}

const manifestOf = (bucket: ReturnType<typeof memoryBucket>, day: string, eventType = 'WorkflowTask') => {
  const body = bucket.body(dayKeys('mps-events', eventType, day).manifest);
  return body && ManifestSchema.parse(JSON.parse(body.toString()));
};

describe('compact_handler', () => {
  it('compacts every closed day without a manifest, oldest first, of every event type, and not today', async () => {
    const bucket = archiveOf({ '2026-12-05': 2, '2026-12-06': 1, '2026-12-07': 3 });
    for (const [key, o] of archiveOf({ '2026-12-04': 1 }, 'EditMediaTask').objects) bucket.objects.set(key, o);
    const { handler, logs } = handlerOf(bucket);

    const summary = await handler({ Type: 'timer' }, context);

    expect(summary).toEqual({
      compacted: [
        { event_type: 'EditMediaTask', dt: '2026-12-04', rows: 1, parts: 1, rejected: 0 },
        { event_type: 'WorkflowTask', dt: '2026-12-05', rows: 2, parts: 1, rejected: 0 },
        { event_type: 'WorkflowTask', dt: '2026-12-06', rows: 1, parts: 1, rejected: 0 },
      ],
      left: 0,
      failed: 0,
    });
    expect(manifestOf(bucket, '2026-12-07')).toBeUndefined();
    const lines = logs.lines();
    expect(lines.filter((l) => l.msg === 'Day compacted').map((l) => l.dlc)).toEqual([
      "ALTER TABLE mps_events_compacted ADD IF NOT EXISTS PARTITION (event_type = 'EditMediaTask', dt = '2026-12-04')",
      "ALTER TABLE mps_events_compacted ADD IF NOT EXISTS PARTITION (event_type = 'WorkflowTask', dt = '2026-12-05')",
      "ALTER TABLE mps_events_compacted ADD IF NOT EXISTS PARTITION (event_type = 'WorkflowTask', dt = '2026-12-06')",
    ]);
    expect(lines.at(-1)).toMatchObject({ msg: 'Compaction run done', compacted: 3, left: 0, failed: 0, request_id: 'timer-1' });
  });

  it('closes a day at midnight in PARTITION_TIMEZONE', async () => {
    // 01:30 UTC is 09:30 in Shanghai: 2026-12-07 there has not closed either.
    const bucket = archiveOf({ '2026-12-06': 1, '2026-12-07': 1 });
    const { handler } = handlerOf(bucket, () => Date.parse('2026-12-06T20:00:00Z'), { timeZone: 'Asia/Shanghai' });
    expect((await handler({}, context)).compacted.map((d) => d.dt)).toEqual(['2026-12-06']);
  });

  it('leaves a compacted day alone until its objects change, then compacts it again, within the last RECHECK_DAYS days', async () => {
    const old = new Date(NOW - (RECHECK_DAYS + 1) * 86_400_000).toISOString().slice(0, 10);
    const bucket = archiveOf({ [old]: 1, '2026-12-05': 2 });
    const { handler } = handlerOf(bucket);
    await handler({}, context);
    expect((await handler({}, context)).compacted).toEqual([]);

    // A late event and a replay, written after the compaction, in both days.
    for (const day of [old, '2026-12-05']) {
      bucket.written(`${dayKeys('mps-events', 'WorkflowTask', day).normalized}hour=23/late.json`, `${JSON.stringify({ ...normalizedRecord(), event_id: `${day}-late` })}\n`);
    }
    expect((await handler({}, context)).compacted).toEqual([{ event_type: 'WorkflowTask', dt: '2026-12-05', rows: 3, parts: 1, rejected: 0 }]);
    expect(manifestOf(bucket, old)!.rows).toBe(1);
  });

  it('compacts again a day whose compaction stopped half way, or whose manifest cannot be read', async () => {
    const bucket = archiveOf({ '2026-12-05': 1, '2026-12-06': 1 });
    const { handler } = handlerOf(bucket);
    await handler({}, context);
    bucket.written(dayKeys('mps-events', 'WorkflowTask', '2026-12-05').manifest, '{"status": "compl');
    bucket.written(dayKeys('mps-events', 'WorkflowTask', '2026-12-06').manifest, JSON.stringify({ ...manifestOf(bucket, '2026-12-06'), status: 'writing' }));
    expect((await handler({}, context)).compacted.map((d) => d.dt)).toEqual(['2026-12-05', '2026-12-06']);
    expect(manifestOf(bucket, '2026-12-06')!.status).toBe('complete');
  });

  it('stops when the time left cannot take the next day, leaving it for the next run', async () => {
    const bucket = archiveOf({ '2026-12-04': 1, '2026-12-05': 1, '2026-12-06': 1 });
    let clock = NOW;
    // Each read of the clock after the first day is a minute later: the run's time is soon used up.
    const { handler } = handlerOf(bucket, () => (clock += bucket.puts.length > 0 ? 60_000 : 0));
    const summary = await handler({}, { ...context, time_limit_in_ms: 200_000 });
    expect(summary.compacted.map((d) => d.dt)).toEqual(['2026-12-04']);
    expect(summary.left).toBe(2);
  });

  it('stops within the seconds its timer event asks for, less than its time limit, leaving the rest', async () => {
    /** Three days, and a clock that runs ten seconds a read once the first part is written. */
    const run = (event: unknown) => {
      const bucket = archiveOf({ '2026-12-04': 1, '2026-12-05': 1, '2026-12-06': 1 });
      let clock = NOW;
      return handlerOf(bucket, () => (clock += bucket.puts.length > 0 ? 10_000 : 0)).handler(event, context);
    };
    // 60 s, less the 20 s kept in reserve, take one day; 900 s take them all.
    expect(await run({ Type: 'Timer', Message: JSON.stringify({ max_seconds: 60 }) })).toMatchObject({ compacted: [{ dt: '2026-12-04' }], left: 2 });
    // A Message that asks for nothing it knows leaves the run its whole time limit.
    expect((await run({ Type: 'Timer', Message: 'compact please' })).compacted).toHaveLength(3);
  });

  it('logs a day it cannot compact and goes on with the others', async () => {
    const bucket = archiveOf({ '2026-12-05': 1, '2026-12-06': 1 });
    const failing = { ...bucket, put: async (object: { key: string }) => (object.key.includes('2026-12-05') ? Promise.reject(new Error('COS PutObject failed with 403 AccessDenied')) : bucket.put(object as never)) };
    const logs = captureLogs();
    const handler = createCompactHandler({ config, logger: logs.logger, open: () => ({ archive: bucket, store: failing }), now: () => NOW });
    const summary = await handler({}, context);
    expect(summary).toMatchObject({ failed: 1, compacted: [{ dt: '2026-12-06' }] });
    expect(logs.lines().find((l) => l.msg === 'Day not compacted')).toMatchObject({ level: 'error', dt: '2026-12-05', err: 'COS PutObject failed with 403 AccessDenied' });
  });

  it('refuses a day too large for its time limit, naming what to do, and goes on', async () => {
    const bucket = archiveOf({ '2026-12-05': 30, '2026-12-06': 1 });
    const { handler, logs } = handlerOf(bucket);
    // 21.05 s less the invocation's reserve (1 s) and the compactor's (20 s) leave 50 ms: at 2 ms a
    // record before any is measured, 30 records need 60 ms, one needs 2 ms.
    const summary = await handler({}, { ...context, time_limit_in_ms: 21_050 });
    expect(summary).toMatchObject({ failed: 1, compacted: [{ dt: '2026-12-06' }] });
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ dt: '2026-12-05', objects: 30, msg: expect.stringContaining('npm run compact') });
  });
});
