import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import { duckdbViews } from '../../scripts/query/views';
import { ArchivedRecordSchema, type ArchivedRecord } from '../../src/record';
import { duckdbType, recordColumns } from '../../src/record-columns';
import { context } from '../support/doubles';
import { archiveV1, fixture, fixtureNames } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';

/*
 * A real query engine reads what the function writes: the fixtures go through the handler into
 * the local COS, beside what version 1 of the function wrote for other events, and DuckDB queries
 * the emulator's files as the partitioned table they are. Some events (and a bad payload) are
 * delivered again an hour later, as an SCF retry would be, so the archive holds them twice: every
 * view and every example query must still count each once, and read records of both versions.
 */

const REDELIVERED = ['events/workflow-task-docs-sample.json', 'events/workflow-task-all-failed.json', 'events/edit-media-task-failed.json'];
const HOUR = 3_600_000;

describe('querying the archive with DuckDB', () => {
  let world: LocalWorld;
  let db: DuckDBConnection;
  /** The record of each event's first delivery, of either version, as stored. */
  let records: ArchivedRecord[];
  let archive: string;
  let later = 0;

  beforeAll(async () => {
    world = await startLocalWorld({ now: () => Date.now() + later });
    records = [];
    for (const { key, body } of archiveV1()) {
      await world.putObject(key, body);
      if (key.includes('/normalized/')) records.push(ArchivedRecordSchema.parse(JSON.parse(body.toString())));
    }
    for (const name of [...fixtureNames('events'), ...fixtureNames('invalid')]) {
      const summary = await world.handler(fixture(name), context);
      if (summary.result === 'archived') records.push(ArchivedRecordSchema.parse(JSON.parse((await world.getObject(summary.objects.normalized.key)).toString())));
    }
    later = HOUR;
    for (const name of [...REDELIVERED, 'invalid/missing-task.json']) await world.handler(fixture(name), context);
    archive = join(world.cos.root, world.config.bucket);
    db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`SET file_search_path = '${archive}'`);
    await db.run(duckdbViews({ prefix: 'mps-events' }));
  });
  afterAll(async () => {
    db?.closeSync();
    await world.close();
  });

  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  const count = async (sql: string) => Number((await rows(sql))[0]!.n);
  const countBy = <T>(items: T[], key: (t: T) => string) =>
    Object.entries(items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {})).sort();

  it('holds the redeliveries twice, in the later hour', async () => {
    const files = `read_json('mps-events/normalized/**/*.json', hive_partitioning = true)`;
    expect(await count(`SELECT count(*) AS n FROM ${files}`)).toBe(records.length + REDELIVERED.length);
    const twice = await rows(`SELECT event_id FROM ${files} GROUP BY event_id HAVING count(DISTINCT (dt, hour)) = 2`);
    expect(twice).toHaveLength(REDELIVERED.length);
  });

  it('gives one row per event in the events view, at its first receipt', async () => {
    const result = await rows('SELECT event_id, received_at, CAST(dt AS VARCHAR) AS dt, hour FROM events ORDER BY event_id');
    const first = [...records].sort((a, b) => a.event_id.localeCompare(b.event_id));
    expect(result.map((r) => r.event_id)).toEqual(first.map((r) => r.event_id));
    expect(result.map((r) => new Date(String(r.received_at)).getTime())).toEqual(first.map((r) => Date.parse(r.received_at)));
    expect(result.map((r) => `${r.dt}T${r.hour}`)).toEqual(first.map((r) => r.received_at.slice(0, 13)));
  });

  it('gives one row per bad payload in the errors view, and one per event in the raw view', async () => {
    expect(await count('SELECT count(*) AS n FROM errors')).toBe(fixtureNames('invalid').length);
    expect(await count("SELECT count(*) AS n FROM errors WHERE error_type = 'missing_task'")).toBe(2);
    expect(await count('SELECT count(*) AS n FROM raw')).toBe(records.length);
    const raw = await rows("SELECT key, event->>'EventType' AS type FROM raw ORDER BY key LIMIT 1");
    expect(JSON.parse((await world.getObject(String(raw[0]!.key))).toString()).EventType).toBe(raw[0]!.type);
  });

  it('counts events by outcome per day', async () => {
    const result = await rows(`SELECT CAST(dt AS VARCHAR) AS dt, outcome, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL`);
    const expected = countBy(records, (r) => `${r.received_at.slice(0, 10)}|${r.outcome}`);
    expect(result.map((r) => [`${r.dt}|${r.outcome}`, Number(r.n)])).toEqual(expected);
  });

  it('counts failed outputs per task type', async () => {
    const result = await rows(`SELECT o.task_type, count(*) AS n FROM events, unnest(outputs) AS t(o) WHERE o.status = 'FAIL' GROUP BY ALL ORDER BY ALL`);
    const failed = records.flatMap((r) => r.outputs as { task_type?: string | null; status?: string | null }[]).filter((o) => o.status === 'FAIL');
    expect(result.map((r) => [r.task_type, Number(r.n)])).toEqual(countBy(failed, (o) => o.task_type ?? ''));
    expect(failed.length).toBeGreaterThan(0);
  });

  it('reads the partition columns from the keys: every event type, documented or not', async () => {
    const result = await rows(`SELECT DISTINCT event_type FROM events ORDER BY ALL`);
    expect(result.map((r) => r.event_type)).toEqual(['BatchTask', 'EditMediaTask', 'ExtractBlindWatermark', 'LiveScheduleTask', 'ScheduleTask', 'WorkflowTask']);
  });

  describe('records of both versions', () => {
    const v1 = () => records.filter((r) => r.schema_version === 1);

    it('are in the events view, each with its version', async () => {
      expect(v1().length).toBeGreaterThan(0);
      const result = await rows('SELECT schema_version, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL');
      expect(result.map((r) => [Number(r.schema_version), Number(r.n)])).toEqual(countBy(records, (r) => String(r.schema_version)).map(([v, n]) => [Number(v), n]));
    });

    it("show null for what the other version lacks: version 2's new fields in version 1, version 1's paths in version 2", async () => {
      const newInV1 = await count(
        `SELECT count(*) AS n FROM events, unnest(outputs) AS t(o) WHERE schema_version = 1 AND (o.role IS NOT NULL OR o.err_code_ext IS NOT NULL OR o.md5 IS NOT NULL OR o.sub_app_id IS NOT NULL)`,
      );
      expect(newInV1).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM events WHERE schema_version = 1 AND (err_code_ext IS NOT NULL OR inputs[1].file_id IS NOT NULL)`)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM events, unnest(outputs) AS t(o) WHERE schema_version = 1 AND o.paths IS NULL`)).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM events, unnest(outputs) AS t(o) WHERE schema_version = 2 AND o.paths IS NOT NULL`)).toBe(0);
      const md5s = await rows(`SELECT o.md5 FROM events, unnest(outputs) AS t(o) WHERE schema_version = 2 AND o.md5 IS NOT NULL`);
      expect(md5s.length).toBeGreaterThan(0);
    });

    it("read a version 2 field as the record stores it, and as null where the record leaves it out", async () => {
      const result = await rows(`SELECT task_id, o.time_offset, o.role FROM events, unnest(outputs) AS t(o) WHERE o.task_type = 'SnapshotByTimeOffset' AND schema_version = 2 ORDER BY o.path`);
      expect(result.map((r) => [r.time_offset === null ? null : Number(r.time_offset), r.role])).toEqual([
        [0, 'image'],
        [1.5, 'image'],
        [30, 'image'],
        [30, 'image'],
      ]);
    });
  });

  it('limits the views to the days asked for', async () => {
    const today = records[0]!.received_at.slice(0, 10);
    const other = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await other.run(`SET file_search_path = '${archive}'`);
      await other.run(duckdbViews({ prefix: 'mps-events', from: '2020-01-01', to: '2020-01-02' }));
      expect(Number((await other.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJson()[0]!.n)).toBe(0);
      await other.run(duckdbViews({ prefix: 'mps-events', from: today }));
      expect(Number((await other.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJson()[0]!.n)).toBeGreaterThan(0);
    } finally {
      other.closeSync();
    }
  });

  describe('the published SQL', () => {
    const sql = (file: string) => readFileSync(join(PROJECT, 'sql', file), 'utf8');

    it('sql/duckdb_views.sql gives the same views', async () => {
      const other = await (await DuckDBInstance.create(':memory:')).connect();
      try {
        await other.run(`SET file_search_path = '${archive}'`);
        await other.run(sql('duckdb_views.sql'));
        const ids = async (c: DuckDBConnection) => (await c.runAndReadAll('SELECT event_id FROM events ORDER BY 1')).getRowObjectsJson();
        expect(await ids(other)).toEqual(await ids(db));
      } finally {
        other.closeSync();
      }
    });

    it("sql/normalized_events.sql's view has one row per event, at its first receipt", async () => {
      // DuckDB stands in for DLC: the external table as the files it reads, then the view as shipped.
      const hive = await (await DuckDBInstance.create(':memory:')).connect();
      try {
        await hive.run(`SET file_search_path = '${archive}'`);
        // The table declares its columns, as DLC's does: a field no file holds yet is a column all the same.
        const columns = recordColumns().map((c) => `'${c.name}': '${duckdbType(c.type)}'`).join(', ');
        await hive.run(`CREATE VIEW mps_events_normalized AS SELECT * FROM read_json('mps-events/normalized/**/*.json', columns = {${columns}}, hive_partitioning = true)`);
        // Nothing compacted here (test/integration/compaction.test.ts compacts).
        await hive.run('CREATE VIEW mps_events_compacted AS SELECT * FROM mps_events_normalized WHERE false');
        const view = /CREATE OR REPLACE VIEW[\s\S]*?;/.exec(sql('normalized_events.sql'))![0];
        await hive.run(view);
        // The stand-in's JSON reader guesses received_at a TIMESTAMP; DLC's table and the views read the record's text.
        const firstReceipts = 'SELECT event_id, CAST(received_at AS TIMESTAMP) AS received_at FROM %s ORDER BY event_id';
        const result = (await hive.runAndReadAll(firstReceipts.replace('%s', 'mps_events'))).getRowObjectsJson();
        expect(result).toEqual(await rows(firstReceipts.replace('%s', 'events')));
        expect(result).toHaveLength(records.length);
      } finally {
        hive.closeSync();
      }
    });
  });

  describe('the example queries of docs/querying.md', () => {
    const page = readFileSync(join(PROJECT, 'docs', 'querying.md'), 'utf8');
    const queries = [...page.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const run = (sql: string) => rows(sql.replace(/;\s*$/, ''));

    it('are five', () => {
      expect(queries).toHaveLength(5);
    });

    /** The rows of a record's outputs or AI results, whichever version wrote it, every field read as the views read it. */
    const outputsOf = (r: ArchivedRecord) => r.outputs as Record<string, unknown>[];
    const aiResultsOf = (r: ArchivedRecord) => r.ai_results as Record<string, unknown>[];
    const isNull = (v: unknown) => v === null || v === undefined;

    it('find the failures of the last day, each once', async () => {
      const result = await run(queries[0]!);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const failed = records.filter((r) => (r.outcome === 'failed' || r.outcome === 'partial') && r.received_at.slice(0, 10) >= yesterday);
      expect(result.map((r) => r.task_id).sort()).toEqual(failed.map((r) => r.task_id ?? null).sort());
      expect(failed.filter((r) => REDELIVERED.some((f) => JSON.stringify(fixture(f)).includes(r.task_id!)))).toHaveLength(REDELIVERED.length);
    });

    it("list a task's files, from a record of either version", async () => {
      const docsSample = '245****654-WorkflowTask-f46dac7fe2436c47******d71946986t0';
      const files = [
        '/dasda/dianping2_snapshotByOffset_10_0.jpg',
        '/dasda/dianping2_transcode_10.mp4',
        '/dasda/imageSprite/dianping2_imageSprite_10.vtt',
        '/dasda/imageSprite/dianping2_imageSprite_10_0.jpg',
      ];
      const result = await run(queries[1]!);
      expect(result.map((r) => [r.path, r.role])).toEqual([
        [files[0], 'image'],
        [files[1], null],
        [files[2], 'webvtt'],
        [files[3], 'image'],
      ]);
      // The same event as version 1 wrote it (its TaskId marked "-v1"): the same files, without roles.
      const v1 = await run(queries[1]!.replace(docsSample, `${docsSample}-v1`));
      expect(v1.map((r) => [r.path, r.role])).toEqual(files.map((f) => [f, null]));
    });

    it('rank the largest outputs', async () => {
      const result = await run(queries[2]!);
      const outputs = records.flatMap((r) => outputsOf(r).filter((o) => !isNull(o.size)).map((o) => JSON.stringify([r.task_id, o.task_type, o.path, o.size, o.width ?? null, o.height ?? null, o.duration ?? null])));
      const sizes = [...new Set(outputs)].map((o) => JSON.parse(o)[3] as number);
      expect(result.map((r) => Number(r.size))).toEqual(sizes.sort((a, b) => b - a).slice(0, 10));
    });

    it('find the videos content review blocked', async () => {
      const result = await run(queries[3]!);
      const blocked = records.flatMap((r) => aiResultsOf(r).filter((a) => a.suggestion === 'block').map((a) => `${r.task_id}|${a.task_type}`));
      expect(result.map((r) => `${r.task_id}|${r.task_type}`)).toEqual([...new Set(blocked)].sort());
      expect(result.map((r) => r.task_type)).toEqual(expect.arrayContaining(['AiContentReview.Porn', 'AiContentReview.ProhibitedAsr']));
    });

    it('count the events whose sub-tasks failed by task and code, ErrCodeExt alone included, over both versions', async () => {
      const result = await run(queries[4]!);
      const failures = records.flatMap((r) =>
        [...outputsOf(r), ...aiResultsOf(r).map((a): Record<string, unknown> => ({ ...a, task_type: a.task_type ?? a.type }))]
          .filter((x) => x.status === 'FAIL')
          .map((x) => `${x.task_type}|${x.err_code_ext ?? (isNull(x.err_code) ? null : String(x.err_code))}|${r.event_id}`),
      );
      const expected = countBy([...new Set(failures)], (f) => f.split('|').slice(0, 2).join('|'));
      expect(result.map((r) => `${r.task_type}|${r.code}|${Number(r.events)}`).sort()).toEqual(expected.map(([k, n]) => `${k}|${n}`).sort());
      expect(result).toContainEqual(expect.objectContaining({ task_type: 'SmartErase', code: 'InternalError' }));
      // Version 1's AI failures, by their type.
      expect(result).toContainEqual(expect.objectContaining({ task_type: 'Tag', code: '70000' }));
    });
  });
});
