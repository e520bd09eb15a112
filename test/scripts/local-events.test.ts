import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLocalEvents } from '../../scripts/local-events';

describe('readLocalEvents', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'events-'));
    await writeFile(join(dir, 'a.json'), '{"EventType":"WorkflowTask"}');
    await writeFile(join(dir, 'b.ndjson'), '{"n":1}\n\n{"n":2}\nnot json\n');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    await mkdir(join(dir, 'deeper', 'still'), { recursive: true });
    await writeFile(join(dir, 'deeper', 'still', 'c.jsonl'), '{"n":3}\n');
    await mkdir(join(dir, 'empty'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a .json file as one event and each line of an .ndjson file as one, folders recursively, in name order', () => {
    const events = readLocalEvents([dir]);
    expect(events.map((e) => e.source)).toEqual([
      join(dir, 'a.json'),
      `${join(dir, 'b.ndjson')}:1`,
      `${join(dir, 'b.ndjson')}:3`,
      `${join(dir, 'b.ndjson')}:4`,
      `${join(dir, 'deeper', 'still', 'c.jsonl')}:1`,
    ]);
    expect(events.map((e) => e.payload)).toEqual([{ EventType: 'WorkflowTask' }, { n: 1 }, { n: 2 }, 'not json', { n: 3 }]);
    expect(events.map((e) => e.notJson)).toEqual([false, false, false, true, false]);
  });

  it('takes relative paths from the folder given, not from the current one', () => {
    expect(readLocalEvents(['a.json', 'b.ndjson'], dir)).toHaveLength(4);
    expect(() => readLocalEvents(['a.json'], tmpdir())).toThrow(/ENOENT.*a\.json/);
  });

  it('refuses a folder with no events', () => {
    expect(() => readLocalEvents([join(dir, 'empty')])).toThrow(`No events in ${join(dir, 'empty')}`);
  });
});
