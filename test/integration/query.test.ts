import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import type { NormalizedRecord } from '../../src/record';
import { context } from '../support/doubles';
import { fixture, fixtureNames } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';

/*
 * A real query engine reads what the function writes: the fixtures go through the handler into
 * the local COS, and DuckDB queries the emulator's files as the partitioned table they are.
 */

describe('querying the archive with DuckDB', () => {
  let world: LocalWorld;
  let db: DuckDBConnection;
  let records: NormalizedRecord[];
  let archive: string;

  beforeAll(async () => {
    world = await startLocalWorld();
    records = [];
    for (const name of [...fixtureNames('events'), ...fixtureNames('invalid')]) {
      const summary = await world.handler(fixture(name), context);
      if (summary.result === 'archived') records.push(JSON.parse((await world.getObject(summary.objects[1]!.key)).toString()));
    }
    archive = join(world.cos.root, world.config.bucket);
    db = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(async () => {
    db?.closeSync();
    await world.close();
  });

  const table = () => `read_json('${archive}/mps-events/normalized/**/*.json', hive_partitioning = true)`;
  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  const countBy = <T>(items: T[], key: (t: T) => string) =>
    Object.entries(items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {})).sort();

  it('counts events by outcome per day', async () => {
    const result = await rows(`SELECT CAST(dt AS VARCHAR) AS dt, outcome, count(*) AS n FROM ${table()} GROUP BY ALL ORDER BY ALL`);
    const expected = countBy(records, (r) => `${r.received_at.slice(0, 10)}|${r.outcome}`);
    expect(result.map((r) => [`${r.dt}|${r.outcome}`, Number(r.n)])).toEqual(expected);
  });

  it('counts failed outputs per task type', async () => {
    const result = await rows(`SELECT o.task_type, count(*) AS n FROM ${table()}, unnest(outputs) AS t(o) WHERE o.status = 'FAIL' GROUP BY ALL ORDER BY ALL`);
    const failed = records.flatMap((r) => r.outputs).filter((o) => o.status === 'FAIL');
    expect(result.map((r) => [r.task_type, Number(r.n)])).toEqual(countBy(failed, (o) => o.task_type ?? ''));
    expect(failed.length).toBeGreaterThan(0);
  });

  it('reads the partition columns from the keys', async () => {
    const result = await rows(`SELECT DISTINCT event_type, CAST(dt AS VARCHAR) AS dt FROM ${table()} ORDER BY ALL`);
    expect(result.map((r) => r.event_type)).toEqual(['EditMediaTask', 'WorkflowTask']);
    expect(result[0]!.dt).toBe(records[0]!.received_at.slice(0, 10));
  });

  describe("the README's example queries", () => {
    const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Querying the archive'), readme.indexOf('## Bad input'));
    const queries = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const run = (sql: string) => rows(sql.replaceAll("'archive/", `'${archive}/`).replace(/;\s*$/, ''));

    it('are three', () => {
      expect(queries).toHaveLength(3);
    });

    it('find the failures of the last day', async () => {
      const result = await run(queries[0]!);
      const failed = records.filter((r) => r.outcome === 'failed' || r.outcome === 'partial');
      expect(result.map((r) => r.task_id).sort()).toEqual(failed.map((r) => r.task_id).sort());
    });

    it("list a task's output files", async () => {
      const result = await run(queries[1]!);
      expect(result.map((r) => r.path)).toEqual([
        '/dasda/dianping2_snapshotByOffset_10_0.jpg',
        '/dasda/dianping2_transcode_10.mp4',
        '/dasda/imageSprite/dianping2_imageSprite_10.vtt',
        '/dasda/imageSprite/dianping2_imageSprite_10_0.jpg',
      ]);
    });

    it('rank the largest outputs', async () => {
      const result = await run(queries[2]!);
      const outputs = records.flatMap((r) => r.outputs.filter((o) => o.size !== null).map((o) => JSON.stringify([r.task_id, o.task_type, o.path, o.size, o.width, o.height, o.duration])));
      const sizes = [...new Set(outputs)].map((o) => JSON.parse(o)[3] as number);
      expect(result.map((r) => Number(r.size))).toEqual(sizes.sort((a, b) => b - a).slice(0, 10));
    });
  });
});
