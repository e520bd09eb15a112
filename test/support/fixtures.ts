import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { plan } from '../../src/plan';
import type { NormalizedRecord } from '../../src/record';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function fixture(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

export function fixtureNames(dir: 'events' | 'invalid'): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** A fixture event's normalized record, as the function writes it for an event received then. */
export function normalizedRecord(name = 'events/workflow-task-docs-sample.json', receivedAt = new Date('2026-12-06T10:00:00Z')): NormalizedRecord {
  const planned = plan(fixture(name), { requestId: 'fixture', functionName: 'mps-cos-backup', receivedAt, deadline: Infinity }, { prefix: 'mps-events', timeZone: 'UTC' });
  if (planned.kind !== 'archive') throw new Error(`${name} is not an event`);
  return planned.record;
}

/** The archive version 1 of the function wrote for a few events: each object's key and bytes. */
export function archiveV1(): { key: string; body: Buffer }[] {
  const root = join(FIXTURES, 'archive-v1');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((path) => ({ key: relative(root, path), body: readFileSync(path) }));
}
