import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../../scripts/archive';
import { pull } from '../../../scripts/query/pull';

/** A bucket in memory that records what was fetched; its ETags are MD5s unless it encrypts. */
function memoryArchive(objects: Map<string, string>, encrypted = false): Archive & { fetched: string[]; listed: string[] } {
  const fetched: string[] = [];
  const listed: string[] = [];
  return {
    fetched,
    listed,
    async list(prefix) {
      listed.push(prefix);
      return [...objects].filter(([k]) => k.startsWith(prefix)).map(([key, body]) => ({ key, etag: createHash('md5').update(encrypted ? `sealed ${body}` : body).digest('hex') }));
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
    expect(await pull(archive, { ...options, into, progress: (done, total) => progress.push([done, total]) })).toEqual({ fetched: 3, cached: 0, removed: 0 });
    expect(progress.map(([done]) => done).sort()).toEqual([1, 2, 3]);
    expect(progress.every(([, total]) => total === 3)).toBe(true);
    expect(archive.listed).toContain('p/raw/event_type=EditMediaTask/dt=2026-11-30/');
    expect(archive.listed).toContain('p/errors/error_type=not_an_object/dt=2026-12-01/');
    expect(archive.listed.some((p) => p.includes('2026-12-02'))).toBe(false);
    expect(readFileSync(join(into, normalized('2026-12-01', 'b')), 'utf8')).toBe('{"b":1}');
  });

  it('pulls the partitions of an event type no model documents, found in the keys', async () => {
    const undocumented = 'p/raw/event_type=LiveScheduleTask/dt=2026-11-30/hour=10/l.json';
    const archive = memoryArchive(new Map([[undocumented, '{"l":1}'], [normalized('2026-11-30', 'a'), '{"a":1}']]));
    expect(await pull(archive, { ...options, into })).toEqual({ fetched: 2, cached: 0, removed: 0 });
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
    expect(await pull(archive, { ...options, into })).toEqual({ fetched: 1, cached: 0, removed: 1 });
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
    expect(await pull(archive, { ...options, into })).toEqual({ fetched: 1, cached: 1, removed: 0 });
    expect(archive.fetched).toEqual([normalized('2026-11-30', 'a')]);
  });

  it('refuses a key that would leave the cache folder', async () => {
    const archive = memoryArchive(new Map([['p/raw/event_type=WorkflowTask/dt=2026-11-30/../../../../../escaped.json', '{}']]));
    await expect(pull(archive, { ...options, into })).rejects.toThrow('would leave the cache folder');
    expect(existsSync(join(into, '..', 'escaped.json'))).toBe(false);
  });
});
