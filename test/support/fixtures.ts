import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
