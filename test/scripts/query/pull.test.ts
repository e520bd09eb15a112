import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../../src/store/archive';
import { pull } from '../../../scripts/query/pull';
import { LATE_MARGIN_MS } from '../../../src/compact/manifest';
import { dayKeys } from '../../../src/keys';

const WRITTEN = '2026-12-02T01:00:00.000Z';

/**
 * A bucket in memory that records what was fetched; its ETags are MD5s unless it encrypts, and
 * its objects were written at WRITTEN unless `times` says.
 */
function memoryArchive(objects: Map<string, string>, encrypted = false, times = new Map<string, string>()): Archive & { fetched: string[]; listed: string[] } {
  const fetched: string[] = [];
  const listed: string[] = [];
  return {
    fetched,
    listed,
    async list(prefix) {
      listed.push(prefix);
      return [...objects]
        .filter(([k]) => k.startsWith(prefix))
        .map(([key, body]) => ({ key, etag: createHash('md5').update(encrypted ? `sealed ${body}` : body).digest('hex'), size: body.length, lastModified: times.get(key) ?? WRITTEN }));
    },
    async folders(prefix) {
      const under = [...objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => `${prefix}${k.slice(prefix.length).split('/')[0]}/`);
      return [...new Set(under)];
    },
    async get(key) {
      fetched.push(key);
      return Buffer.from(objects.get(key)!);
    },
    async remove() {
      throw new Error('pull never removes from the bucket');
    },
  };
}

describe('pull', () => {
  let into: string;
  beforeEach(async () => {
    into = await mkdtemp(join(tmpdir(), 'pull-'));
  });
  afterEach(() => rm(into, { recursive: true, force: true }));

  const normalized = (day: string, name: string) => `p/normalized/event_type=WorkflowTask/dt=${day}/hour=10/${name}.json`;
  const options = { prefix: 'p', from: '2026-11-30', to: '2026-12-01' };

  it('lists each day of the range, across months, under every partition, and fetches only those days', async () => {
    const objects = new Map([
      [normalized('2026-11-30', 'a'), '{"a":1}'],
      [normalized('2026-12-01', 'b'), '{"b":1}'],
      [normalized('2026-12-02', 'c'), '{"c":1}'],
      ['p/errors/error_type=invalid_task/dt=2026-12-01/hour=00/e.json', '{}'],
    ]);
    const archive = memoryArchive(objects);
    const progress: number[][] = [];
    expect(await pull(archive, { ...options, into, progress: (done, total) => progress.push([done, total]) })).toEqual({ fetched: 3, cached: 0, removed: 0, rawLeft: 0 });
    expect(progress.map(([done]) => done).sort()).toEqual([1, 2, 3]);
    expect(progress.every(([, total]) => total === 3)).toBe(true);
    expect(archive.listed).toContain('p/raw/event_type=EditMediaTask/dt=2026-11-30/');
    expect(archive.listed).toContain('p/errors/error_type=not_an_object/dt=2026-12-01/');
    expect(archive.listed.some((p) => p.includes('2026-12-02'))).toBe(false);
    expect(readFileSync(join(into, normalized('2026-12-01', 'b')), 'utf8')).toBe('{"b":1}');
    // With the time COS gives it, which the views compare with a compaction's listing.
    expect(statSync(join(into, normalized('2026-12-01', 'b'))).mtime.toISOString()).toBe(WRITTEN);
  });

  describe('a compacted day', () => {
    const day = '2026-11-30';
    const keys = dayKeys('p', 'WorkflowTask', day);
    const raw = `p/raw/event_type=WorkflowTask/dt=${day}/hour=10/a.json`;
    const manifest = (status: string) => JSON.stringify({ ...manifestFields, status });
    const manifestFields = {
      event_type: 'WorkflowTask', dt: day, listed_at: '2026-12-01T02:00:00.000Z', source_objects: 2, source_checksum: 'x',
      rows: 2, duplicates: 0, parts: [{ key: keys.part(0), rows: 2, bytes: 4, md5: 'y' }], rejected: 0, rejects: [],
    };
    const archiveOf = (status: string) => {
      const objects = new Map([
        [keys.manifest, manifest(status)],
        [keys.part(0), 'PAR1'],
        [normalized(day, 'a'), '{"a":1}'],
        [normalized(day, 'late'), '{"late":1}'],
        [normalized(day, 'margin'), '{"margin":1}'],
        [raw, '{}'],
      ]);
      const times = new Map([
        [normalized(day, 'a'), '2026-11-30T10:00:00.000Z'],
        // Within LATE_MARGIN_MS before the listing: it may have been missed by it.
        [normalized(day, 'margin'), new Date(Date.parse(manifestFields.listed_at) - LATE_MARGIN_MS + 1_000).toISOString()],
        [normalized(day, 'late'), '2026-12-01T03:00:00.000Z'],
      ]);
      return memoryArchive(objects, false, times);
    };

    it('comes as its Parquet, its manifest and the records written since it was listed, without its raw events', async () => {
      const archive = archiveOf('complete');
      expect(await pull(archive, { ...options, into })).toEqual({ fetched: 4, cached: 0, removed: 0, rawLeft: 1 });
      expect(archive.fetched.sort()).toEqual([keys.manifest, keys.part(0), normalized(day, 'late'), normalized(day, 'margin')].sort());
      expect(archive.listed).not.toContain(`p/raw/event_type=WorkflowTask/dt=${day}/`);
      expect(statSync(join(into, normalized(day, 'late'))).mtime.toISOString()).toBe('2026-12-01T03:00:00.000Z');

      const again = archiveOf('complete');
      expect(await pull(again, { ...options, into, raw: true })).toEqual({ fetched: 1, cached: 4, removed: 0, rawLeft: 0 });
      expect(again.fetched).toEqual([raw]);
    });

    it('comes as its per-event objects while its compaction is being written, and drops its parts', async () => {
      await pull(archiveOf('complete'), { ...options, into });
      const archive = archiveOf('writing');
      const summary = await pull(archive, { ...options, into });
      expect(archive.fetched.sort()).toEqual([keys.manifest, normalized(day, 'a'), raw].sort());
      expect(summary).toMatchObject({ removed: 1, rawLeft: 0 });
      expect(existsSync(join(into, keys.part(0)))).toBe(false);
      expect(existsSync(join(into, normalized(day, 'a')))).toBe(true);
    });
  });

  it('pulls the partitions of an event type no model documents, found in the keys', async () => {
    const undocumented = 'p/raw/event_type=LiveScheduleTask/dt=2026-11-30/hour=10/l.json';
    const archive = memoryArchive(new Map([[undocumented, '{"l":1}'], [normalized('2026-11-30', 'a'), '{"a":1}']]));
    expect(await pull(archive, { ...options, into })).toMatchObject({ fetched: 2, cached: 0, removed: 0 });
    expect(archive.listed).toContain('p/raw/event_type=LiveScheduleTask/dt=2026-12-01/');
    expect(archive.listed).toContain('p/raw/event_type=ScheduleTask/dt=2026-11-30/');
    expect(readFileSync(join(into, undocumented), 'utf8')).toBe('{"l":1}');
  });

  it('fetches again what changed in the bucket, and drops what it no longer holds', async () => {
    const objects = new Map([
      [normalized('2026-11-30', 'a'), '{"a":1}'],
      [normalized('2026-11-30', 'b'), '{"b":1}'],
    ]);
    await pull(memoryArchive(objects), { ...options, into });
    objects.set(normalized('2026-11-30', 'a'), '{"a":2}');
    objects.delete(normalized('2026-11-30', 'b'));
    const archive = memoryArchive(objects);
    expect(await pull(archive, { ...options, into })).toEqual({ fetched: 1, cached: 0, removed: 1, rawLeft: 0 });
    expect(archive.fetched).toEqual([normalized('2026-11-30', 'a')]);
    expect(readFileSync(join(into, normalized('2026-11-30', 'a')), 'utf8')).toBe('{"a":2}');
    expect(existsSync(join(into, normalized('2026-11-30', 'b')))).toBe(false);
  });

  it('keeps what it fetched of an encrypted bucket, whose ETags are not the MD5 of the bytes', async () => {
    const objects = new Map([
      [normalized('2026-11-30', 'a'), '{"a":1}'],
      [normalized('2026-11-30', 'b'), '{"b":1}'],
    ]);
    await pull(memoryArchive(objects, true), { ...options, into });
    objects.set(normalized('2026-11-30', 'a'), '{"a":2}');
    const archive = memoryArchive(objects, true);
    expect(await pull(archive, { ...options, into })).toEqual({ fetched: 1, cached: 1, removed: 0, rawLeft: 0 });
    expect(archive.fetched).toEqual([normalized('2026-11-30', 'a')]);
  });

  it('refuses a key that would leave the cache folder', async () => {
    const archive = memoryArchive(new Map([['p/raw/event_type=WorkflowTask/dt=2026-11-30/../../../../../escaped.json', '{}']]));
    await expect(pull(archive, { ...options, into })).rejects.toThrow('would leave the cache folder');
    expect(existsSync(join(into, '..', 'escaped.json'))).toBe(false);
  });
});
