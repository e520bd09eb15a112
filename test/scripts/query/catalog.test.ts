import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveFiles } from '../../../scripts/query/catalog';
import { LATE_MARGIN_MS } from '../../../src/compact/manifest';
import { dayKeys } from '../../../src/keys';

const LISTED_AT = Date.parse('2026-12-07T01:30:00Z');
const BEFORE = new Date(LISTED_AT - 3_600_000);

describe('archiveFiles', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'catalog-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** A file written at `time`, its folder last changed then too. */
  const file = (key: string, time: Date, body = '{}') => {
    const path = join(root, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
    utimesSync(path, time, time);
    utimesSync(dirname(path), time, time);
  };
  const manifest = (day: string, status: string) => {
    const keys = dayKeys('p', 'WorkflowTask', day);
    file(keys.part(0), BEFORE, 'PAR1');
    file(keys.manifest, BEFORE, JSON.stringify({
      status, event_type: 'WorkflowTask', dt: day, listed_at: new Date(LISTED_AT).toISOString(), source_objects: 1, source_checksum: 'x',
      rows: 1, duplicates: 0, parts: [{ key: keys.part(0), rows: 1, bytes: 4, md5: 'y' }], rejected: 0, rejects: [],
    }));
    return keys;
  };

  it('lists a day not compacted as one pattern, and a compacted day as its parts and the records written since its listing', () => {
    file('p/normalized/event_type=WorkflowTask/dt=2026-12-05/hour=01/a.json', BEFORE);
    const keys = manifest('2026-12-06', 'complete');
    file(`${keys.normalized}hour=01/old.json`, BEFORE);
    file(`${keys.normalized}hour=02/old.json`, BEFORE);
    // An hour with a late record: its folder changed; the record beside it did not.
    file(`${keys.normalized}hour=02/late.json`, new Date(LISTED_AT + 60_000));
    // Written within the margin before the listing: it may be missing from it.
    file(`${keys.normalized}hour=03/margin.json`, new Date(LISTED_AT - LATE_MARGIN_MS + 1_000));
    file('p/errors/error_type=invalid_task/dt=2026-12-06/hour=00/e.json', BEFORE);
    file('p/raw/event_type=WorkflowTask/dt=2026-12-05/hour=01/a.json', BEFORE);
    mkdirSync(join(root, 'p/raw/event_type=WorkflowTask/dt=2026-12-06/hour=01'), { recursive: true });

    expect(archiveFiles(root, { prefix: 'p' })).toEqual({
      eventsJson: ['p/normalized/event_type=WorkflowTask/dt=2026-12-05/*/*.json', `${keys.normalized}hour=02/late.json`, `${keys.normalized}hour=03/margin.json`],
      eventsParquet: [keys.part(0)],
      errors: ['p/errors/error_type=invalid_task/dt=2026-12-06/*/*.json'],
      raw: ['p/raw/event_type=WorkflowTask/dt=2026-12-05/*/*.json'],
    });
    expect(archiveFiles(root, { prefix: 'p', from: '2026-12-06' }).eventsJson).toEqual([`${keys.normalized}hour=02/late.json`, `${keys.normalized}hour=03/margin.json`]);
  });

  it('keeps a compacted day whose per-event records were not pulled, and reads a day being compacted again from its JSON', () => {
    const pulled = manifest('2026-12-05', 'complete');
    const rewriting = manifest('2026-12-06', 'writing');
    file(`${rewriting.normalized}hour=01/a.json`, BEFORE);
    expect(archiveFiles(root, { prefix: 'p' })).toMatchObject({ eventsParquet: [pulled.part(0)], eventsJson: [`${rewriting.normalized}*/*.json`] });
  });
});
