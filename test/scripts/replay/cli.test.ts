import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const PROJECT = join(__dirname, '..', '..', '..');
const TSX = join(PROJECT, 'node_modules', '.bin', 'tsx');

function run(script: string, args: string[], env: Record<string, string>) {
  return spawnSync(TSX, [script, ...args], { cwd: PROJECT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run replay', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replay-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replays error records from the local COS, with a summary', () => {
    expect(run('scripts/invoke.ts', ['fixtures/invalid'], { LOCAL_COS_DIR: dir }).status).toBe(0);
    const dry = run('scripts/replay.ts', ['--errors', '--dry-run', '--type', 'missing_task'], { LOCAL_COS_DIR: dir });
    expect(dry.status).toBe(0);
    expect(dry.stderr).toContain('2 event(s) to replay (dry run: nothing is written)');
    expect(dry.stderr).toContain('0 would replay, 2 still invalid, 0 failed');
    expect(dry.stderr).not.toMatch(/\breplayed\b/);

    const replayed = run('scripts/replay.ts', ['--errors'], { LOCAL_COS_DIR: dir });
    expect(replayed.status).toBe(0);
    const invalid = readdirSync(join(PROJECT, 'fixtures', 'invalid')).length;
    expect(replayed.stderr).toContain(`0 replayed, ${invalid} still invalid, 0 failed; nothing written`);
  });

  it('replays raw events from a folder, recording the invalid ones', () => {
    const result = run('scripts/replay.ts', ['fixtures/events', 'fixtures/invalid/missing-task.json'], { LOCAL_COS_DIR: dir });
    expect(result.status).toBe(0);
    const events = readdirSync(join(PROJECT, 'fixtures', 'events')).length;
    expect(result.stderr).toContain(`${events + 1} event(s) to replay`);
    expect(result.stderr).toMatch(new RegExp(`${events} replayed, 1 still invalid, 0 failed; objects are in \\S+mps-local-1250000000/`));
    expect(result.stderr).toMatch(/invalid, recorded: fixtures\/invalid\/missing-task\.json → mps-events\/errors\/error_type=missing_task\//);
  });

  it('exits non-zero when an event could not be stored', () => {
    const result = run('scripts/replay.ts', ['fixtures/events/edit-media-task-success.json'], {
      COS_BUCKET: 'archive-1250000000',
      COS_REGION: 'ap-guangzhou',
      COS_ENDPOINT: 'http://127.0.0.1:9',
      TENCENTCLOUD_SECRETID: 'id',
      TENCENTCLOUD_SECRETKEY: 'key',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/failed: .*edit-media-task-success\.json: COS PutObject .* ECONNREFUSED/);
    expect(result.stderr).toContain('0 replayed, 0 still invalid, 1 failed; nothing written');
  });

  it('reads files as `npm run invoke` does: from where it was run, not JSON sent as a string, an empty folder refused', async () => {
    await mkdir(join(dir, 'in', 'empty'), { recursive: true });
    await writeFile(join(dir, 'in', 'broken.json'), '{"EventType": ');
    const result = run('scripts/replay.ts', ['in'], { LOCAL_COS_DIR: join(dir, 'cos'), INIT_CWD: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('not JSON, sent as a string: in/broken.json');
    expect(result.stderr).toContain('0 replayed, 1 still invalid, 0 failed; objects are in cos/mps-local-1250000000/');

    const empty = run('scripts/replay.ts', ['in/empty'], { LOCAL_COS_DIR: join(dir, 'cos'), INIT_CWD: dir });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain(`No events in in/empty`);
  });

  it.each(['--help', '-h'])('prints its usage for %s', (flag) => {
    const result = run('scripts/replay.ts', [flag], { LOCAL_COS_DIR: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run replay -- --errors');
  });

  it('takes every error kind the function writes, internal failures included', () => {
    const result = run('scripts/replay.ts', ['--errors', '--dry-run', '--type', 'internal', '--type', 'not_an_object'], { LOCAL_COS_DIR: dir });
    expect(result.stderr).toContain('0 event(s) to replay');
    expect(result.status).toBe(0);
  });

  it.each([
    [['--errors', 'fixtures/events'], '--errors takes no files'],
    [['--errors', '--from', '2026-13-45'], '--from 2026-13-45 is not a day'],
    [['--errors', '--to', '2026-02-30'], '--to 2026-02-30 is not a day'],
    [['--errors', '--from', '2026-11-02', '--to', '2026-11-01'], '--from 2026-11-02 is after --to 2026-11-01'],
    [['--errors', '--type', 'invalid_tsak'], '--type invalid_tsak: not an error kind'],
    [['--errors', '--bogus'], 'Unknown option --bogus (--help shows the usage)'],
    [['fixtures/events', '--type', 'invalid_task'], 'give --errors'],
    [['--upgrade', '--type', 'invalid_task'], 'give --errors'],
    [['--upgrade', 'fixtures/events'], '--upgrade takes no files'],
    [['--upgrade', '--errors'], 'Give --errors or --upgrade, not both'],
    [['fixtures/events', '--from', '2026-11-01'], 'give --errors or --upgrade'],
  ])('refuses %j, naming what is wrong', (args, message) => {
    const result = run('scripts/replay.ts', args, { LOCAL_COS_DIR: dir });
    expect(result.stderr).toContain(message);
    expect(result.status).toBe(2);
  });
});
