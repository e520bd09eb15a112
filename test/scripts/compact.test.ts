import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../scripts/local-cos/local-setup';
import { ManifestSchema } from '../../src/compact/manifest';
import { dayKeys } from '../../src/keys';
import { context } from '../support/doubles';
import { fixture, fixtureNames } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';
import { runScript } from '../support/run-script';

/*
 * `npm run compact` over the local COS emulator's archive (through a local COS it starts on that
 * folder) and over a copy of it in a folder (--dir), both with the same module as the function.
 */
describe('npm run compact', () => {
  let world: LocalWorld;
  let copy: string;
  let day: string;

  beforeAll(async () => {
    world = await startLocalWorld();
    for (const name of fixtureNames('events')) await world.handler(fixture(name), context);
    day = new Date().toISOString().slice(0, 10);
    copy = await mkdtemp(join(tmpdir(), 'compact-copy-'));
    await cp(join(world.cos.root, LOCAL_BUCKET), copy, { recursive: true });
  });
  afterAll(async () => {
    await world.close();
    await rm(copy, { recursive: true, force: true });
  });

  const compact = (args: string[]) => runScript('scripts/compact.ts', args, { PATH: process.env.PATH, HOME: process.env.HOME, LOCAL_COS_DIR: world.cos.root });
  const manifestIn = async (folder: string, eventType: string) =>
    ManifestSchema.parse(JSON.parse(await readFile(join(folder, dayKeys('mps-events', eventType, day).manifest), 'utf8')));

  it("compacts the local emulator's archive, with a line per day, a one-line summary and the DLC statements", async () => {
    const result = await compact(['--day', day]);
    expect(result.status).toBe(0);
    const events = fixtureNames('events').length;
    // A partition per event type of the fixtures, the undocumented one too.
    const types = [...new Set(fixtureNames('events').map((n) => (fixture(n) as { EventType: string }).EventType))].sort();
    const [summary, ...statements] = result.stdout.trim().split('\n');
    expect(summary).toMatch(new RegExp(`^Compacted ${types.length} day partition\\(s\\): ${events} rows from ${events} objects \\(0 redeliveries, 0 rejected\\) into ${types.length} Parquet part\\(s\\) of [\\d.]+ MB in [\\d.]+ s$`));
    expect(statements).toEqual(types.map((t) => `ALTER TABLE mps_events_compacted ADD IF NOT EXISTS PARTITION (event_type = '${t}', dt = '${day}');`));
    expect(result.stderr).toContain(`${day} WorkflowTask: `);
    // Through the emulator, which keeps what it stores: the manifest is listed and served by it.
    const listed = await world.listKeys(dayKeys('mps-events', 'WorkflowTask', day).compacted);
    expect(listed.sort()).toEqual([dayKeys('mps-events', 'WorkflowTask', day).manifest, dayKeys('mps-events', 'WorkflowTask', day).part(0)]);
    const manifest = await manifestIn(join(world.cos.root, LOCAL_BUCKET), 'WorkflowTask');
    expect(manifest.status).toBe('complete');
  });

  it('compacts a copy of a bucket in a folder into the same Parquet', async () => {
    const result = await compact(['--from', day, '--dir', copy]);
    expect(result.status).toBe(0);
    const [local, copied] = await Promise.all([manifestIn(join(world.cos.root, LOCAL_BUCKET), 'WorkflowTask'), manifestIn(copy, 'WorkflowTask')]);
    expect(copied.parts).toEqual(local.parts);
  });

  it.each([
    [[], 'Give --day, or --from (and --to)'],
    [['--day', '2026-12-01', '--from', '2026-12-01'], '--day, or --from and --to: give one of the two'],
    [['--day', '2026-02-30'], '--from 2026-02-30 is not a day'],
    [['--day', '2026-12-01', '--dir', 'x', '--local'], '--dir and --local: give one of the two'],
  ])('refuses %j with exit code 2', async (args, message) => {
    const result = await compact(args);
    expect(result.stderr).toContain(message);
    expect(result.status).toBe(2);
  });
});
