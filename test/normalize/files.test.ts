import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/event/parse';
import { normalize } from '../../src/normalize';
import { MAX_ITEMS } from '../../src/normalize/collect';
import { filesOf } from '../../src/normalize/files';
import { fixture, fixtureNames } from '../support/fixtures';

const meta = { eventId: 'e', rawKey: 'k', receivedAt: new Date('2026-11-22T10:00:00Z'), requestId: 'r', functionName: 'f' };

/** A field that names files by the models' naming: *Path, *Paths, *PathSet (ImagePathSet, VideoPaths, CoverPath, ...). */
const PATH_LIKE = /(Path|Paths|PathSet)$/;
/** Where sub-tasks put what they wrote: Output (and BatchTask's Outputs). */
const OUTPUTS = new Set(['Output', 'Outputs']);

type Slot = (string | number)[];

/** Every path-like field inside an output of the event, wherever it is, found without the registry of src/normalize/files.ts. */
function pathSlots(value: unknown, at: Slot = [], inOutput = false): Slot[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => pathSlots(item, [...at, i], inOutput));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = [...at, key];
    if (inOutput && PATH_LIKE.test(key) && (typeof v === 'string' || Array.isArray(v))) return [here];
    return pathSlots(v, here, inOutput || OUTPUTS.has(key));
  });
}

const get = (value: unknown, slot: Slot): unknown => slot.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
function set(value: unknown, slot: Slot, to: unknown): void {
  const parent = get(value, slot.slice(0, -1)) as Record<string | number, unknown>;
  parent[slot.at(-1)!] = to;
}

const reported = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((p): p is string => typeof p === 'string' && p !== '');

/** Fixtures whose outputs name files. */
const withFiles = fixtureNames('events').filter((name) => pathSlots(fixture(name)).length > 0);

describe('the files of a record', () => {
  it('come from fixtures of every kind that writes files', () => {
    expect(withFiles.length).toBeGreaterThan(30);
  });

  it.each(withFiles)('%s: every path-like field of an output MPS reports is a path of outputs', (name) => {
    const event = fixture(name);
    const paths = new Set(normalize(parseEvent(event), meta).outputs.map((o) => o.path));
    for (const slot of pathSlots(event)) {
      for (const path of reported(get(event, slot))) expect(paths, `${slot.join('.')} = ${path}`).toContain(path);
    }
  });

  it('holds for any values of those fields, absent, empty, shared or many', () => {
    const path = fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^\/[a-z0-9_./-]{1,40}$/) },
      { weight: 1, arbitrary: fc.constantFrom('', null, '/shared/one-path.mp4') },
    );
    // A field keeps its kind: a path, or a list of them (ImagePathSet, VideoPaths).
    const valueFor = (value: unknown) => (Array.isArray(value) ? fc.array(path, { maxLength: 5 }) : path);
    const cases = fc.constantFrom(...withFiles).chain((name) => {
      const event = fixture(name);
      return fc.tuple(fc.constant(name), fc.tuple(...pathSlots(event).map((slot) => valueFor(get(event, slot)))));
    });
    fc.assert(
      fc.property(cases, ([name, values]) => {
        const event = fixture(name);
        const slots = pathSlots(event);
        slots.forEach((slot, i) => set(event, slot, values[i]));
        const paths = new Set(normalize(parseEvent(event), meta).outputs.map((o) => o.path));
        for (const slot of slots) for (const path of reported(get(event, slot))) expect(paths).toContain(path);
      }),
      { numRuns: 300 },
    );
  });
});

describe('filesOf', () => {
  it('lists a file named twice once, with the role of the more telling field', () => {
    // SmartSubtitleTaskAsrFullTextResultOutput: Path and SubtitlePath name one subtitle file.
    expect(filesOf({ Path: '/a.vtt', SubtitlePath: '/a.vtt' }).found).toEqual([expect.objectContaining({ path: '/a.vtt', role: 'subtitle' })]);
  });

  it('lists a file known only by its VOD FileId (AiAnalysisTaskDelLogoOutput.FileId)', () => {
    expect(filesOf({ Path: '', FileId: '5285890799710670619' }).found).toEqual([expect.objectContaining({ path: null, role: null, file_id: '5285890799710670619' })]);
  });

  it("keeps an item's status once, and a row for an item that failed without a file", () => {
    const { found, statuses } = filesOf({
      SubtitleResults: [
        { Status: 'Success', TransDst: 'fr', Path: '/fr.srt', SubtitleEmbedPath: '/fr.mp4' },
        { Status: 'Error', TransDst: 'ja', Path: '' },
      ],
    });
    expect(statuses).toEqual(['Success', 'Error']);
    expect(found.map((f) => [f.path, f.role, f.language, f.status])).toEqual([
      ['/fr.srt', 'subtitle', 'fr', 'Success'],
      ['/fr.mp4', 'subtitle_video', 'fr', 'Success'],
      [null, 'subtitle', 'ja', 'Error'],
    ]);
  });

  it('makes rows of the first MAX_ITEMS files only, counting the others, however many the Output names', () => {
    // 300,000 short paths are 3 MB of a synchronous Invoke: a row for each would take ten times that.
    const paths = Array.from({ length: 300_000 }, (_, i) => `/${i}.jpg`);
    const { found, lost } = filesOf({ ImagePathSet: [...paths, paths[0]] });
    expect(found.map((f) => f.path)).toEqual(paths.slice(0, MAX_ITEMS));
    // A path named again within the rows is not counted.
    expect(lost).toBe(300_000 - MAX_ITEMS);
  });

  it('gives a record that counts what its rows leave out, a failed item without a file once, and every status for the outcome', () => {
    const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 0, SmartSubtitlesTaskResult: [{ Type: 'TransTextRecognition', TransTextTask: { Status: 'SUCCESS', Output: { SubtitleResults: [...Array.from({ length: MAX_ITEMS + 10 }, (_, i) => ({ Status: 'Success', Path: `/${i}.vtt` })), { Status: 'Error' }] } } }] } };
    const r = normalize(parseEvent(event), meta);
    expect(r.outputs).toHaveLength(MAX_ITEMS);
    expect(r.truncated?.outputs).toBe(11);
    expect(r.outcome).toBe('partial');
  });

  it('reads what is not a file as nothing: non-strings, empty strings, items that are not objects', () => {
    expect(filesOf({ Path: 42, ImagePathSet: ['', null, 7, '/ok.jpg'], PicInfoSet: [null, 'x', { Path: {} }], SubtitleInfo: 'none' }).found.map((f) => f.path)).toEqual(['/ok.jpg']);
  });
});
