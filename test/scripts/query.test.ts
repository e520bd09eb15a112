import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../scripts/local-cos/local-setup';
import { context } from '../support/doubles';
import { fixture, fixtureNames } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';
import { runScript } from '../support/run-script';

const PROJECT = join(__dirname, '..', '..');
const TSX = join(PROJECT, 'node_modules', '.bin', 'tsx');

/*
 * `npm run query` against the local COS emulator: its folder read directly (the default and
 * --dir), and days pulled from it through the COS SDK as from a real bucket (--pull). The archive
 * holds a redelivery in a later hour, which every view counts once.
 */
describe('npm run query', () => {
  let world: LocalWorld;
  let cache: string;
  let events: number;
  let errors: number;
  let later = 0;
  /** The days of the archive: the redelivery an hour later may fall on the next. */
  let days: string[];

  beforeAll(async () => {
    world = await startLocalWorld({ now: () => Date.now() + later });
    for (const name of fixtureNames('events')) await world.handler(fixture(name), context);
    for (const name of fixtureNames('invalid')) await world.handler(fixture(name), context);
    events = fixtureNames('events').length;
    errors = fixtureNames('invalid').length;
    later = 3_600_000;
    await world.handler(fixture('events/workflow-task-docs-sample.json'), context);
    days = ['--from', new Date().toISOString().slice(0, 10), '--to', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)];
    cache = await mkdtemp(join(tmpdir(), 'query-cache-'));
  });
  afterAll(async () => {
    await world.close();
    await rm(cache, { recursive: true, force: true });
  });

  const query = (args: string[], env: Record<string, string> = {}) =>
    runScript('scripts/query.ts', args, { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: cache, LOCAL_COS_DIR: world.cos.root, ...env });
  const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const COUNTS = 'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(DISTINCT event_id) FROM events) AS ids, (SELECT count(*) FROM errors) AS errors, (SELECT count(*) FROM raw) AS raw';

  it("reads the local emulator's archive by default, each event once, as JSON lines with --json", async () => {
    const result = await query(['--json', COUNTS]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([{ events: String(events), ids: String(events), errors: String(errors), raw: String(events) }]);
  });

  it('prints a table without --json', async () => {
    const result = await query([`SELECT event_type, count(*) AS n FROM events WHERE event_type IN ('EditMediaTask', 'WorkflowTask') GROUP BY ALL ORDER BY ALL`]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^event_type +│ n$/);
    const count = (type: string) => fixtureNames('events').filter((n) => (fixture(n) as { EventType: string }).EventType === type).length;
    expect(lines.slice(2)).toEqual([`EditMediaTask │ ${count('EditMediaTask')}`, `WorkflowTask  │ ${count('WorkflowTask')}`, '(2 rows)']);
  });

  it('reads a folder given relative to where it was run', async () => {
    const result = await query(['--dir', LOCAL_BUCKET, '--json', 'SELECT count(*) AS n FROM events'], { LOCAL_COS_DIR: '/nonexistent', INIT_CWD: world.cos.root });
    expect(result.status).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([{ n: String(events) }]);
  });

  it('pulls days from a bucket through the COS SDK into a cache, which later pulls reuse', async () => {
    const env = {
      LOCAL_COS_DIR: '/nonexistent',
      COS_BUCKET: world.config.bucket,
      COS_REGION: world.config.region,
      COS_ENDPOINT: `http://${world.config.endpoint!.host}`,
      TENCENTCLOUD_SECRETID: world.credentials.secretId,
      TENCENTCLOUD_SECRETKEY: world.credentials.secretKey,
    };
    const objectGets = (from: number) => world.cos.requests.slice(from).filter((r) => r.method === 'GET' && r.key !== '').length;
    const counts = { events: String(events), ids: String(events), errors: String(errors), raw: String(events) };

    let seen = world.cos.requests.length;
    const objects = (events + 1) * 2 + errors;
    const first = await query(['--pull', ...days, '--json', COUNTS], env);
    expect(first.stderr).toContain(`${objects} object(s) fetched, 0 already cached`);
    expect(first.status).toBe(0);
    expect(jsonLines(first.stdout)).toEqual([counts]);
    expect(objectGets(seen)).toBe(objects);

    seen = world.cos.requests.length;
    const again = await query(['--pull', ...days, '--json', COUNTS], env);
    expect(again.stderr).toContain(`0 object(s) fetched, ${objects} already cached, 0 no longer in the bucket removed`);
    expect(objectGets(seen)).toBe(0);
    expect(jsonLines(again.stdout)).toEqual([counts]);

    // A record deleted from the bucket (after a replay, say) leaves the cache on the next pull.
    const [errorKey] = await world.listKeys('mps-events/errors/');
    await world.cos.files.delete(world.config.bucket, errorKey!);
    const third = await query(['--pull', ...days, '--json', 'SELECT count(*) AS n FROM errors'], env);
    expect(third.stderr).toContain('1 no longer in the bucket removed');
    expect(jsonLines(third.stdout)).toEqual([{ n: String(errors - 1) }]);
  });

  it('prints every row into a pipe whose reader is slower than the query, and only then exits 0', async () => {
    const copies = 400;
    const child = spawn(TSX, ['scripts/query.ts', '--json', `SELECT e.event_id, i, e.* EXCLUDE (event_id) FROM events e, range(${copies}) t(i)`], {
      cwd: PROJECT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: cache, LOCAL_COS_DIR: world.cos.root },
      timeout: 120_000,
    });
    const closed = once(child, 'close');
    let stdout = '';
    // A reader that takes a pause after every chunk: the query writes much faster than this.
    for await (const chunk of child.stdout) {
      stdout += String(chunk);
      await new Promise((r) => setTimeout(r, 20));
    }
    const [status] = (await closed) as [number | null];
    const rows = jsonLines(stdout);
    expect(rows).toHaveLength(events * copies);
    expect(new Set(rows.map((r) => `${r.event_id}/${r.i}`)).size).toBe(events * copies);
    expect(status).toBe(0);
  });

  it.each(['--help', '-h'])('prints its usage for %s', async (flag) => {
    const result = await query([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run query -- [--dir FOLDER | --pull [--raw]]');
  });

  it.each([
    [['--from', '2026-13-45', 'SELECT 1'], '--from 2026-13-45 is not a day'],
    [['--from', '2026-11-02', '--to', '2026-11-01', 'SELECT 1'], '--from 2026-11-02 is after --to 2026-11-01'],
    [['--pull', 'SELECT 1'], '--pull needs --from'],
    [['--pull', '--dir', 'x', '--from', '2026-11-01', 'SELECT 1'], '--dir and --pull'],
    [['--raw', 'SELECT 1'], '--raw is for --pull'],
    [[], 'Give the SQL as one argument'],
    [['SELECT 1', 'FROM events'], 'Give the SQL as one argument'],
    [['--csv', 'SELECT 1'], 'Unknown option --csv (--help shows the usage)'],
  ])('refuses %j, naming what is wrong', async (args, message) => {
    const result = await query(args);
    expect(result.stderr).toContain(message);
    expect(result.status).toBe(2);
  });

  it('says where it looked when there is no archive, and passes on what DuckDB says of the SQL', async () => {
    const missing = await query(['SELECT 1'], { LOCAL_COS_DIR: join(cache, 'nothing') });
    expect(missing.stderr).toContain(`No archive at ${join(cache, 'nothing', LOCAL_BUCKET, 'mps-events')}/`);
    expect(missing.status).toBe(1);
    const wrong = await query(['SELECT no_such_column FROM events']);
    expect(wrong.stderr).toMatch(/no_such_column/);
    expect(wrong.status).toBe(1);
  });
});
