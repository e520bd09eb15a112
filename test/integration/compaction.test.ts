import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import { pull } from '../../scripts/query/pull';
import { archiveFiles } from '../../scripts/query/catalog';
import { duckdbViews, quote } from '../../scripts/query/views';
import { compactDay, listDay } from '../../src/compact/compact';
import type { Manifest } from '../../src/compact/manifest';
import { partitionValue } from '../../src/keys';
import { duckdbType, recordColumns } from '../../src/record-columns';
import type { Archive } from '../../src/store/archive';
import { createCosStore } from '../../src/store/cos';
import type { ObjectStore } from '../../src/store/store';
import { context } from '../support/doubles';
import { archiveV1, fixture, fixtureNames } from '../support/fixtures';
import { ageObjects, startLocalWorld, type LocalWorld } from '../support/local-cos';

/*
 * The archive as the function writes it, with redeliveries an hour later and a day of records of
 * version 1, is compacted through the real COS SDK and the local COS; every view, every example query of docs/querying.md and
 * the published SQL must answer the same before and after, and an event that arrives after the
 * compaction must be counted, once.
 */

const REDELIVERED = ['events/workflow-task-docs-sample.json', 'events/workflow-task-all-failed.json', 'events/edit-media-task-failed.json'];
const HOUR = 3_600_000;
const page = (file: string) => readFile(join(PROJECT, file), 'utf8');
const ALL_EVENTS = 'SELECT * FROM events ORDER BY event_id';

describe('a compacted archive, queried', () => {
  let world: LocalWorld;
  let archive: Archive;
  let store: ObjectStore;
  let root: string;
  let later = 0;
  let queries: string[];
  /** Each query's rows before compaction. */
  let before: string[][];
  let manifests: Manifest[];

  /** The views as `npm run query` makes them (the files listed from the folder), unless others are given. */
  const connect = async (folder: string, views?: string) => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`SET file_search_path = ${quote(folder)}`);
    await db.run(views ?? duckdbViews({ prefix: 'mps-events' }, archiveFiles(folder, { prefix: 'mps-events' })));
    return db;
  };
  const rows = async (db: DuckDBConnection, sql: string) => (await db.runAndReadAll(sql.replace(/;\s*$/, ''))).getRowObjectsJson();
  /** Each query's rows, in a set order: an ORDER BY with ties (received_at) may order them either way. */
  const answers = async (folder: string, views?: string) => {
    const db = await connect(folder, views);
    try {
      return await Promise.all(queries.map(async (q) => (await rows(db, q)).map((r) => JSON.stringify(r)).sort()));
    } finally {
      db.closeSync();
    }
  };
  /** Every day of every event type, compacted through the COS SDK. */
  const compactAll = async () => {
    const done: Manifest[] = [];
    for (const typeFolder of await archive.folders('mps-events/normalized/')) {
      const eventType = partitionValue(typeFolder, 'event_type')!;
      for (const dayFolder of await archive.folders(typeFolder)) {
        const listing = await listDay(archive, 'mps-events', eventType, partitionValue(dayFolder, 'dt')!);
        done.push(await compactDay(archive, store, listing, { prefix: 'mps-events', deadline: Infinity }));
      }
    }
    return done;
  };

  beforeAll(async () => {
    world = await startLocalWorld({ now: () => Date.now() + later });
    archive = world.archive;
    store = createCosStore(world.config, { credentials: () => world.credentials });
    root = join(world.cos.root, world.config.bucket);
    // Beside what the function writes, records version 1 wrote: a day of them is compacted too.
    for (const { key, body } of archiveV1()) await world.putObject(key, body);
    for (const name of [...fixtureNames('events'), ...fixtureNames('invalid')]) await world.handler(fixture(name), context);
    later = HOUR;
    for (const name of REDELIVERED) await world.handler(fixture(name), context);
    const docs = await page('docs/querying.md');
    queries = [
      ...[...docs.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!),
      ALL_EVENTS,
      'SELECT event_type, CAST(dt AS VARCHAR) AS dt, outcome, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL',
      'SELECT count(*) AS n FROM errors',
      'SELECT count(*) AS n FROM raw',
    ];
    before = await answers(root);
    // Written an hour before the compaction lists it, as a day is when it has closed.
    await ageObjects(world, 2 * HOUR);
    manifests = await compactAll();
  });
  afterAll(() => world.close());

  it('answers every example query of docs/querying.md, and every view, the same as before, whether DuckDB or npm run query lists the files', async () => {
    expect(queries.length).toBeGreaterThan(4);
    expect(await answers(root)).toEqual(before);
    expect(await answers(root, duckdbViews({ prefix: 'mps-events' }))).toEqual(before);
    expect(before[queries.indexOf(ALL_EVENTS)]!.length).toBeGreaterThan(10);
  });

  it('reads the compacted days from their Parquet, not their per-event JSON', async () => {
    const db = await connect(root);
    try {
      const [{ json, parquet }] = (await rows(db, "SELECT len(getvariable('mps_events_json')) AS json, len(getvariable('mps_events_parquet')) AS parquet")) as [{ json: number; parquet: number }];
      expect(Number(json)).toBe(0);
      expect(Number(parquet)).toBe(manifests.reduce((n, m) => n + m.parts.length, 0));
    } finally {
      db.closeSync();
    }
    expect(manifests.every((m) => m.rows + m.duplicates === m.source_objects && m.rejected === 0)).toBe(true);
  });

  it("gives its Parquet the columns and types of sql/normalized_events.sql's compacted table", async () => {
    const sql = await page('sql/normalized_events.sql');
    const table = /CREATE EXTERNAL TABLE IF NOT EXISTS mps_events_compacted \(\n([\s\S]*?)\n\)\nPARTITIONED BY \(([^)]*)\)/.exec(sql)!;
    const hiveColumns = [...table[1]!.matchAll(/^ {2}`(\w+)` (.+?),?$/gm), ...table[2]!.matchAll(/`(\w+)` (\w+)/g)].map((m) => [m[1]!, m[2]!] as const);
    // Hive's types in DuckDB's words; DuckDB reads a partition of text as a DATE when it can, as dt.
    const duck = (hive: string) => {
      let type = hive.replace(/`(\w+)`: /g, '"$1" ').replace(/\bSTRING\b/g, 'VARCHAR').replace(/\bINT\b/g, 'INTEGER');
      for (let inner = ''; inner !== type; ) [inner, type] = [type, type.replace(/STRUCT<([^<>]*)>/g, 'STRUCT($1)').replace(/ARRAY<([^<>]*)>/g, '$1[]')];
      return type;
    };
    const expected = hiveColumns.map(([name, type]) => `CAST(NULL AS ${name === 'dt' ? 'DATE' : duck(type)}) AS "${name}"`).join(', ');
    const parts = manifests.flatMap((m) => m.parts.map((p) => quote(join(root, p.key))));
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const described = (from: string) => rows(db, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${from}) ORDER BY column_name`);
      expect(await described(`read_parquet([${parts.join(', ')}], hive_partitioning = true)`)).toEqual(await described(`(SELECT ${expected})`));
    } finally {
      db.closeSync();
    }
  });

  it('gives the same bytes when compacted again', async () => {
    const again = await compactAll();
    expect(again.map((m) => m.parts)).toEqual(manifests.map((m) => m.parts));
  });

  it("answers the same through sql/duckdb_views.sql and through sql/normalized_events.sql's view over both tables", async () => {
    expect(await answers(root, await page('sql/duckdb_views.sql'))).toEqual(before);
    // DuckDB stands in for DLC: the two tables as the files they read, then the view as shipped.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await db.run(`SET file_search_path = ${quote(root)}`);
      // The table declares its columns, as DLC's does: a field no file holds yet is a column all the same.
      const columns = recordColumns().map((c) => `'${c.name}': '${duckdbType(c.type)}'`).join(', ');
      await db.run(`CREATE VIEW mps_events_normalized AS SELECT * FROM read_json('mps-events/normalized/**/*.json', columns = {${columns}}, hive_partitioning = true)`);
      await db.run("CREATE VIEW mps_events_compacted AS SELECT * FROM read_parquet('mps-events/compacted/normalized/*/*/*.parquet', hive_partitioning = true)");
      await db.run(/CREATE OR REPLACE VIEW[\s\S]*?;/.exec(await page('sql/normalized_events.sql'))![0]);
      const ids = 'SELECT event_id, CAST(dt AS VARCHAR) AS dt, hour FROM %s ORDER BY event_id';
      const events = await connect(root);
      try {
        expect(await rows(db, ids.replace('%s', 'mps_events'))).toEqual(await rows(events, ids.replace('%s', 'events')));
      } finally {
        events.closeSync();
      }
    } finally {
      db.closeSync();
    }
  });

  it('pulls a compacted day as its Parquet and manifest, and answers the same from the copy', async () => {
    const into = await mkdtemp(join(tmpdir(), 'pulled-'));
    try {
      const day = manifests[0]!.dt;
      const requests = world.cos.requests.length;
      const summary = await pull(archive, { prefix: 'mps-events', from: day, to: day, into, raw: true });
      const gets = world.cos.requests.slice(requests).filter((r) => r.method === 'GET' && r.key !== '');
      const perEvent = gets.filter((r) => r.key.startsWith('mps-events/normalized/'));
      expect(perEvent.map((r) => r.key)).toEqual([]);
      expect(gets.filter((r) => r.key.includes('/compacted/')).length).toBe(manifests.filter((m) => m.dt === day).reduce((n, m) => n + m.parts.length + 1, 0));
      expect(summary.rawLeft).toBe(0);
      const pulled = await answers(into);
      const options = { prefix: 'mps-events', from: day, to: day };
      const full = await answers(root, duckdbViews(options, archiveFiles(root, options)));
      expect(pulled).toEqual(full);
    } finally {
      await rm(into, { recursive: true, force: true });
    }
  });

  // Last: it changes the archive.
  it('counts an event that arrives after the compaction, and a redelivery of a compacted one, once each', async () => {
    const count = async () => (await answers(root))[queries.indexOf(ALL_EVENTS)]!.length;
    const events = await count();
    later = 0;
    const late = { ...(fixture('events/edit-media-task-success.json') as Record<string, unknown>), late: true };
    await world.handler(late, context);
    await world.handler(fixture('events/workflow-task-docs-sample.json'), context);
    expect(await count()).toBe(events + 1);
    for (const views of [undefined, duckdbViews({ prefix: 'mps-events' })]) {
      const db = await connect(root, views);
      try {
        const [{ json }] = (await rows(db, "SELECT len(getvariable('mps_events_json')) AS json")) as [{ json: number }];
        expect(Number(json)).toBe(2);
      } finally {
        db.closeSync();
      }
    }
    expect(await answers(root, duckdbViews({ prefix: 'mps-events' }))).toEqual(await answers(root));
  });
});
