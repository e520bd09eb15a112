import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localEvents } from '../../../scripts/replay/sources';

describe('localEvents', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'events-'));
    await writeFile(join(dir, 'a.json'), '{"EventType":"WorkflowTask"}');
    await writeFile(join(dir, 'b.ndjson'), '{"n":1}\n\n{"n":2}\nnot json\n');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a .json file as one event and each line of an .ndjson file as one, in name order', async () => {
    const items = localEvents([dir]);
    expect(items.map((i) => i.source)).toEqual([join(dir, 'a.json'), `${join(dir, 'b.ndjson')}:1`, `${join(dir, 'b.ndjson')}:3`, `${join(dir, 'b.ndjson')}:4`]);
    expect(await Promise.all(items.map((i) => i.load()))).toEqual([{ EventType: 'WorkflowTask' }, { n: 1 }, { n: 2 }, 'not json']);
    expect(items.every((i) => i.errorKey === undefined)).toBe(true);
  });

  it('reads files named directly', () => {
    expect(localEvents([join(dir, 'a.json'), join(dir, 'b.ndjson')])).toHaveLength(4);
  });
});
