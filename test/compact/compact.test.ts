import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactDay, listDay, OutOfTime, PARQUET_CONTENT_TYPE, type CompactSizes } from '../../src/compact/compact';
import { ManifestSchema, sourceChecksum } from '../../src/compact/manifest';
import { StorageError } from '../../src/errors';
import { dayKeys } from '../../src/keys';
import type { NormalizedRecord } from '../../src/record';
import { memoryBucket } from '../support/doubles';
import { normalizedRecord } from '../support/fixtures';

const DAY = '2026-12-06';
const keys = dayKeys('mps-events', 'WorkflowTask', DAY);
const source = (hour: string, name: string) => `${keys.normalized}hour=${hour}/${name}.json`;
const line = (record: unknown) => `${JSON.stringify(record)}\n`;
const options = { prefix: 'mps-events', deadline: Infinity, now: () => Date.parse('2026-12-07T01:30:00Z') };

/** A record of the docs sample, with its own event id and task. */
const recordOf = (id: string, changes: Partial<NormalizedRecord> = {}): NormalizedRecord => ({ ...normalizedRecord(), event_id: id, task_id: `task-${id}`, ...changes });

async function compact(bucket: ReturnType<typeof memoryBucket>, sizes?: CompactSizes) {
  const listing = await listDay(bucket, 'mps-events', 'WorkflowTask', DAY, options.now);
  return compactDay(bucket, bucket, listing, { ...options, ...(sizes && { sizes }) });
}

describe('compactDay', () => {
  let dir: string;
  let db: DuckDBConnection;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compact-'));
    db = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(async () => {
    db.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  /** The rows of every part of the manifest, as DuckDB reads them. */
  async function rowsOf(bucket: ReturnType<typeof memoryBucket>, sql = 'SELECT event_id, hour, task_id, truncated, replayed_at FROM parts ORDER BY event_id') {
    const manifest = ManifestSchema.parse(JSON.parse(bucket.body(keys.manifest)!.toString()));
    const files = [];
    for (const part of manifest.parts) {
      const file = join(dir, `${createHash('md5').update(part.key + Math.random()).digest('hex')}.parquet`);
      await writeFile(file, bucket.body(part.key)!);
      files.push(`'${file}'`);
    }
    if (files.length === 0) return [];
    return (await db.runAndReadAll(sql.replace('parts', `read_parquet([${files.join(', ')}])`))).getRowObjectsJson();
  }

  it('keeps one row per event, its earliest receipt, and says what it read and wrote in the manifest', async () => {
    const bucket = memoryBucket();
    bucket.written(source('03', 'a'), line(recordOf('a')));
    bucket.written(source('05', 'a'), line(recordOf('a', { request_id: 'redelivered' })));
    // Written before truncated and replayed_at existed: the columns are null.
    const { truncated: _t, replayed_at: _r, ...older } = recordOf('b');
    bucket.written(source('04', 'b'), line(older));
    bucket.written(`${keys.normalized}hour=04/not-a-record.txt`, 'x');

    const manifest = await compact(bucket);

    expect(await rowsOf(bucket)).toEqual([
      { event_id: 'a', hour: '03', task_id: 'task-a', truncated: null, replayed_at: null },
      { event_id: 'b', hour: '04', task_id: 'task-b', truncated: null, replayed_at: null },
    ]);
    expect(await rowsOf(bucket, 'SELECT request_id FROM parts')).toEqual([{ request_id: 'fixture' }, { request_id: 'fixture' }]);
    const listed = await bucket.list(keys.normalized);
    expect(manifest).toEqual({
      status: 'complete',
      event_type: 'WorkflowTask',
      dt: DAY,
      listed_at: '2026-12-07T01:30:00.000Z',
      source_objects: 3,
      source_checksum: sourceChecksum(listed.filter((o) => o.key.endsWith('.json'))),
      rows: 2,
      duplicates: 1,
      parts: [{ key: keys.part(0), rows: 2, bytes: bucket.body(keys.part(0))!.length, md5: createHash('md5').update(bucket.body(keys.part(0))!).digest('hex') }],
      rejected: 0,
      rejects: [],
    });
    expect(ManifestSchema.parse(JSON.parse(bucket.body(keys.manifest)!.toString()))).toEqual(manifest);
    expect(bucket.puts.map((p) => [p.key, p.contentType])).toEqual([
      [keys.part(0), PARQUET_CONTENT_TYPE],
      [keys.manifest, 'application/json'],
    ]);
    // Nothing of the archive itself is touched.
    expect(bucket.puts.every((p) => p.key.startsWith(keys.compacted))).toBe(true);
  });

  it("keeps an oversize event's record, its oversize field a column, null in records without it", async () => {
    const bucket = memoryBucket();
    const oversize = { bytes: 6_291_000, limit: 262_144 };
    bucket.written(source('01', 'large'), line(recordOf('large', { outcome: 'unknown', outputs: [], media: null, oversize })));
    const { oversize: _o, ...older } = recordOf('older');
    bucket.written(source('02', 'older'), line(older));

    expect(await compact(bucket)).toMatchObject({ rows: 2, rejected: 0 });
    expect(await rowsOf(bucket, 'SELECT event_id, outcome, oversize FROM parts ORDER BY event_id')).toEqual([
      { event_id: 'large', outcome: 'unknown', oversize: { bytes: '6291000', limit: '262144' } },
      { event_id: 'older', outcome: 'partial', oversize: null },
    ]);
  });

  it('keeps every record it cannot read or convert out of the Parquet, in the manifest with its key, and compacts the rest', async () => {
    const bucket = memoryBucket();
    bucket.written(source('01', 'good'), line(recordOf('good')));
    bucket.written(source('01', 'truncated-json'), '{"event_id": "x", "out');
    bucket.written(source('02', 'no-id'), line({ ...recordOf(''), event_id: undefined }));
    bucket.written(source('02', 'bad-size'), line(recordOf('bad-size', { outputs: [{ ...normalizedRecord().outputs[0]!, size: 'big' as unknown as number }] })));

    const manifest = await compact(bucket);

    expect(manifest).toMatchObject({ rows: 1, rejected: 3, source_objects: 4 });
    expect(manifest.rejects).toEqual([
      { key: source('01', 'truncated-json'), reason: expect.stringMatching(/^not JSON: /) },
      { key: source('02', 'bad-size'), reason: 'outputs[0].size: expected a whole number within ±2^53, got string' },
      { key: source('02', 'no-id'), reason: 'no event_id' },
    ]);
    expect(await rowsOf(bucket, 'SELECT event_id FROM parts')).toEqual([{ event_id: 'good' }]);
  });

  it('splits a day into parts past the part size, and gives the same bytes when compacted again', async () => {
    const bucket = memoryBucket();
    for (let i = 0; i < 40; i++) bucket.written(source(String(i % 24).padStart(2, '0'), `e${i}`), line(recordOf(`e${String(i).padStart(2, '0')}`)));
    const sizes = { partBytes: 20_000, rowGroupBytes: 8_000, reads: 4 };
    const first = await compact(bucket, sizes);
    expect(first.parts.length).toBeGreaterThan(1);
    expect(first.parts.reduce((n, p) => n + p.rows, 0)).toBe(40);
    expect(await rowsOf(bucket, 'SELECT count(DISTINCT event_id) AS n FROM parts')).toEqual([{ n: '40' }]);
    const parts = first.parts.map((p) => bucket.body(p.key)!);

    bucket.puts.length = 0;
    const again = await compact(bucket, sizes);
    expect(again.parts).toEqual(first.parts);
    expect(again.parts.map((p) => bucket.body(p.key)!)).toEqual(parts);
    // A day compacted before is marked as being written before its parts are replaced.
    expect(JSON.parse(bucket.puts[0]!.body.toString())).toMatchObject({ status: 'writing', rows: 0, parts: [] });
    expect(bucket.puts[0]!.key).toBe(keys.manifest);
  });

  it('empties the parts of an earlier compaction that it did not write again', async () => {
    const bucket = memoryBucket();
    for (let i = 0; i < 30; i++) bucket.written(source('01', `e${i}`), line(recordOf(`e${i}`)));
    const before = await compact(bucket, { partBytes: 10_000, rowGroupBytes: 4_000, reads: 4 });
    const after = await compact(bucket);
    expect(after.parts).toHaveLength(1);
    const leftovers = before.parts.slice(1).map((p) => p.key);
    expect(leftovers.length).toBeGreaterThan(0);
    for (const key of leftovers) {
      const file = join(dir, `leftover-${leftovers.indexOf(key)}.parquet`);
      await writeFile(file, bucket.body(key)!);
      expect((await db.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}')`)).getRowObjectsJson()).toEqual([{ n: '0' }]);
    }
  });

  it('skips a record removed since it was listed, and fails the day for any other failed read', async () => {
    const bucket = memoryBucket();
    bucket.written(source('01', 'kept'), line(recordOf('kept')));
    bucket.written(source('01', 'removed'), line(recordOf('removed')));
    const listing = await listDay(bucket, 'mps-events', 'WorkflowTask', DAY, options.now);
    bucket.objects.delete(source('01', 'removed'));
    expect(await compactDay(bucket, bucket, listing, options)).toMatchObject({ rows: 1, rejected: 0, source_objects: 2 });

    const failing = { ...bucket, get: async (key: string) => Promise.reject(new StorageError(`COS GetObject ${key} failed with 503`, { key, retryable: true, code: 'ServiceUnavailable', statusCode: 503 })) };
    await expect(compactDay(failing, bucket, listing, options)).rejects.toThrow('failed with 503');
  });

  it('stops a day that runs past its deadline, leaving its manifest as it was', async () => {
    const bucket = memoryBucket();
    for (let i = 0; i < 1_000; i++) bucket.written(source('01', `e${i}`), line(recordOf(`e${i}`)));
    const listing = await listDay(bucket, 'mps-events', 'WorkflowTask', DAY, options.now);
    await expect(compactDay(bucket, bucket, listing, { ...options, deadline: options.now() - 1 })).rejects.toThrow(OutOfTime);
    expect(bucket.body(keys.manifest)).toBeUndefined();
  });
});
