import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../../src/store/archive';
import { replay, type ReplayOptions } from '../../../scripts/replay/replay';
import { PROJECT } from '../../../scripts/build/bundle';
import { readLocalEvents } from '../../../scripts/local-events';
import { errorRecords, fileItems, olderRecords } from '../../../scripts/replay/sources';
import { errorKey } from '../../../src/keys';
import { maskedJson } from '../../../src/mask/payload';
import { NormalizedRecordSchema } from '../../../src/record';
import { ERROR_SCHEMA_VERSION, SCHEMA_VERSION } from '../../../src/schema-version';
import { context } from '../../support/doubles';
import { archiveV1, fixture, fixtureNames } from '../../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../../support/local-cos';

/*
 * Replay against the local COS. The batch of error records holds payloads that are still
 * invalid (recorded by the handler itself) and payloads that an older, stricter version of the
 * function rejected but the current schema accepts: "fixed by a schema change".
 */

const NOW = Date.parse('2026-11-20T08:30:00Z');

/** Replaying through the world's handler into its COS, each report a line. */
const replayOptions = (world: LocalWorld, archive: Archive, lines: string[], extra: Partial<ReplayOptions> = {}): ReplayOptions => ({
  handler: world.handler,
  layout: world.config,
  context: () => context,
  dryRun: false,
  deleteReplayed: false,
  remove: (key) => archive.remove(key),
  report: (line) => lines.push(line),
  ...extra,
});
const FIXED = ['events/edit-media-task-success.json', 'events/workflow-task-nulls.json', 'events/workflow-task-unknown-status.json'];

describe('replay of error records', () => {
  let world: LocalWorld;
  let archive: Archive;
  let lines: string[];

  async function putErrorRecord(name: string, day: string, kind = 'invalid_task') {
    const payload = fixture(name);
    const at = new Date(`${day}T10:00:00Z`);
    const key = errorKey(world.config, kind, `${name.replace(/\W/g, '')}0000000000000000`, at);
    const record = { schema_version: ERROR_SCHEMA_VERSION, error_type: kind, message: 'rejected by an older version', issues: [], payload, received_at: at.toISOString(), request_id: 'old', function_name: 'old' };
    const body = Buffer.from(JSON.stringify(record));
    await world.cos.files.put(world.config.bucket, key, body, { contentType: 'application/json', etag: '"x"', size: body.length, storageClass: 'STANDARD', lastModified: at.toUTCString(), userMeta: {} });
    return key;
  }

  const options = (extra: Partial<ReplayOptions> = {}) => replayOptions(world, archive, lines, extra);

  const keysUnder = (prefix: string) => world.listKeys(`mps-events/${prefix}/`);

  beforeEach(async () => {
    world = await startLocalWorld({ now: () => NOW });
    archive = world.archive;
    lines = [];
    for (const name of fixtureNames('invalid')) await world.handler(fixture(name), context);
    for (const [i, name] of FIXED.entries()) await putErrorRecord(name, `2026-11-1${i + 1}`);
  });
  afterEach(() => world.close());

  it('archives what is now valid, keeps what is not, and writes nothing twice', async () => {
    const errorsBefore = await keysUnder('errors');
    const items = await errorRecords(archive, 'mps-events', { types: [] });
    expect(items).toHaveLength(errorsBefore.length);

    const summary = await replay(items, options());
    expect(summary).toEqual({ replayed: FIXED.length, stillInvalid: fixtureNames('invalid').length, recorded: 0, failed: 0, deleted: 0 });
    expect(await keysUnder('errors')).toEqual(errorsBefore);
    expect(await keysUnder('raw')).toHaveLength(FIXED.length);
    expect(await keysUnder('normalized')).toHaveLength(FIXED.length);
    for (const key of await keysUnder('raw')) {
      // As the function stores any event: secrets masked.
      expect(FIXED.map((f) => maskedJson(fixture(f)).json)).toContain((await world.getObject(key)).toString());
    }

    // Again: the same keys are written over, nothing is added.
    await replay(await errorRecords(archive, 'mps-events', { types: [] }), options());
    expect(await keysUnder('raw')).toHaveLength(FIXED.length);
    expect(await keysUnder('errors')).toEqual(errorsBefore);
  });

  it('deletes the replayed error records, and only those, when asked', async () => {
    const invalidBefore = (await keysUnder('errors')).filter((k) => !k.includes('dt=2026-11-1'));
    const summary = await replay(await errorRecords(archive, 'mps-events', { types: [] }), options({ deleteReplayed: true }));
    expect(summary.deleted).toBe(FIXED.length);
    expect(await keysUnder('errors')).toEqual(invalidBefore);
    expect(await keysUnder('normalized')).toHaveLength(FIXED.length);
  });

  it('keeps an error record whose objects could not be stored, and counts it as failed', async () => {
    world.cos.inject({ kind: 'status', status: 503, code: 'ServiceUnavailable' }, { keyIncludes: '/normalized/event_type=EditMediaTask/' });
    const errorsBefore = await keysUnder('errors');
    const summary = await replay(await errorRecords(archive, 'mps-events', { types: ['invalid_task'] }), options({ deleteReplayed: true, context: () => ({ ...context, time_limit_in_ms: 2_000 }) }));
    expect(summary.failed).toBe(1);
    expect(summary.deleted).toBe(FIXED.length - 1);
    expect(lines.find((l) => l.startsWith('failed: '))).toMatch(/503 ServiceUnavailable/);
    expect((await keysUnder('errors')).length).toBe(errorsBefore.length - (FIXED.length - 1));
  });

  it('archives a replayed event at its first receipt, in its partition, saying when it was replayed', async () => {
    await replay(await errorRecords(archive, 'mps-events', { types: [] }), options({ deleteReplayed: true }));
    const normalized = await keysUnder('normalized');
    expect(normalized.map((k) => k.match(/dt=([\d-]+)\/hour=(\d\d)/)!.slice(1).join(' ')).sort()).toEqual(['2026-11-11 10', '2026-11-12 10', '2026-11-13 10']);
    for (const key of normalized) {
      const record = NormalizedRecordSchema.parse(JSON.parse((await world.getObject(key)).toString()));
      expect(record.received_at).toBe(`${key.match(/dt=([\d-]+)/)![1]}T10:00:00.000Z`);
      expect(record.replayed_at).toBe(new Date(NOW).toISOString());
    }
  });

  it('archives the event types version 1 of the record rejected as unsupported, at their first receipt', async () => {
    const key = await putErrorRecord('events/schedule-task.json', '2026-11-05', 'unsupported_event_type');
    expect(await replay(await errorRecords(archive, 'mps-events', { types: ['unsupported_event_type'] }), options({ deleteReplayed: true }))).toMatchObject({ replayed: 1, deleted: 1 });
    const [normalized] = (await keysUnder('normalized')).filter((k) => k.includes('event_type=ScheduleTask/dt=2026-11-05/'));
    expect(NormalizedRecordSchema.parse(JSON.parse((await world.getObject(normalized!)).toString()))).toMatchObject({ event_type: 'ScheduleTask', outcome: 'partial' });
    expect(await keysUnder('errors')).not.toContain(key);
  });

  it('marks raw events replayed from files as replayed, received now: their first receipt is unknown', async () => {
    const items = fileItems(readLocalEvents([join(PROJECT, 'fixtures', 'events', 'edit-media-task-success.json')]));
    expect(await replay(items, options())).toMatchObject({ replayed: 1 });
    const [key] = (await keysUnder('normalized')).filter((k) => k.includes('EditMediaTask'));
    const record = NormalizedRecordSchema.parse(JSON.parse((await world.getObject(key!)).toString()));
    expect(record).toMatchObject({ received_at: new Date(NOW).toISOString(), replayed_at: new Date(NOW).toISOString() });
  });

  it('counts an invalid payload from a file as recorded: the handler writes it as an error record', async () => {
    world.cos.requests.length = 0;
    const items = fileItems(readLocalEvents([join(PROJECT, 'fixtures', 'invalid', 'missing-task.json')]));
    expect(await replay(items, options())).toEqual({ replayed: 0, stillInvalid: 1, recorded: 1, failed: 0, deleted: 0 });
    const recorded = lines.find((l) => l.startsWith('invalid, recorded: '))!.split(' → ')[1];
    expect(world.cos.requests.filter((r) => r.method === 'PUT').map((r) => r.key)).toEqual([recorded]);
  });

  it('selects by error type and by day', async () => {
    const byType = await errorRecords(archive, 'mps-events', { types: ['not_an_object', 'missing_task'] });
    expect(byType.map((i) => i.source).every((k) => /error_type=(not_an_object|missing_task)\//.test(k))).toBe(true);
    expect(byType).toHaveLength(5);
    const byDay = await errorRecords(archive, 'mps-events', { types: [], from: '2026-11-12', to: '2026-11-13' });
    expect(byDay.map((i) => i.source.match(/dt=([\d-]+)/)![1])).toEqual(['2026-11-12', '2026-11-13']);
  });

  it('writes nothing on a dry run, and says what it would write', async () => {
    const requests = world.cos.requests.length;
    const summary = await replay(await errorRecords(archive, 'mps-events', { types: ['invalid_task'] }), options({ dryRun: true, deleteReplayed: true }));
    expect(summary.replayed).toBe(FIXED.length);
    expect(world.cos.requests.slice(requests).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(lines.filter((l) => l.startsWith('would write mps-events/raw/'))).toHaveLength(FIXED.length);
    for (const i of FIXED.keys()) expect(lines.some((l) => l.includes(`/dt=2026-11-1${i + 1}/hour=10/`))).toBe(true);
    expect(lines.find((l) => l.includes('then delete mps-events/errors/'))).toBeDefined();
  });

  it('reports progress for every item', async () => {
    const seen: [number, number][] = [];
    const items = await errorRecords(archive, 'mps-events', { types: [] });
    await replay(items, options({ progress: (done, total) => seen.push([done, total]) }));
    expect(seen.map(([done]) => done)).toEqual(items.map((_, i) => i + 1));
  });
});

describe('replay --upgrade: the records of an older version, written again', () => {
  let world: LocalWorld;
  let archive: Archive;
  let lines: string[];

  beforeEach(async () => {
    world = await startLocalWorld({ now: () => NOW });
    archive = world.archive;
    lines = [];
    for (const { key, body } of archiveV1()) await world.putObject(key, body);
    // A record of this version beside them, which has nothing to upgrade.
    await world.handler(fixture('events/workflow-task-success.json'), context);
  });
  afterEach(() => world.close());

  const options = () => replayOptions(world, archive, lines);

  it("rewrites each version 1 record in place, from its raw object, at its first receipt", async () => {
    const v1 = archiveV1().filter((o) => o.key.includes('/normalized/'));
    const items = await olderRecords(archive, 'mps-events', {});
    expect(items.map((i) => i.source).sort()).toEqual(v1.map((o) => o.key).sort());
    expect(await replay(items, options())).toEqual({ replayed: v1.length, stillInvalid: 0, recorded: 0, failed: 0, deleted: 0 });
    expect(lines).toEqual([]);

    // No new key: every record was written again under its own.
    const normalized = await world.listKeys('mps-events/normalized/');
    expect(normalized).toHaveLength(v1.length + 1);
    expect(normalized).toEqual(expect.arrayContaining(v1.map((o) => o.key)));
    for (const { key, body } of v1) {
      const before = JSON.parse(body.toString());
      const after = NormalizedRecordSchema.parse(JSON.parse((await world.getObject(key)).toString()));
      expect(after).toMatchObject({ schema_version: SCHEMA_VERSION, event_id: before.event_id, task_id: before.task_id, outcome: before.outcome, received_at: before.received_at, raw_key: before.raw_key });
      expect(after.replayed_at).toBe(new Date(NOW).toISOString());
      expect(await world.getObject(before.raw_key)).toEqual(archiveV1().find((o) => o.key === before.raw_key)!.body);
    }
    expect(await olderRecords(archive, 'mps-events', {})).toEqual([]);
  });

  it('selects the records of the days asked for', async () => {
    expect(await olderRecords(archive, 'mps-events', { from: '2026-11-21' })).toEqual([]);
    expect(await olderRecords(archive, 'mps-events', { from: '2026-11-20', to: '2026-11-20' })).toHaveLength(archiveV1().length / 2);
  });
});
