import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shippedNodeOptions } from '../../scripts/build/code-cache';
import { LOCAL_BUCKET } from '../../scripts/local-cos/local-setup';
import { cloneProject } from '../support/clone';
import { fixture } from '../support/fixtures';

const PROJECT = join(__dirname, '..', '..');
const TSX = join(PROJECT, 'node_modules', '.bin', 'tsx');

/** `npm run invoke` as a newcomer runs it: no COS configuration, a fresh folder for the emulator. */
function invoke(args: string[], dir: string, extraEnv: Record<string, string> = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOCAL_COS_DIR: dir, ...extraEnv };
  return spawnSync(TSX, ['scripts/invoke.ts', ...args], { cwd: PROJECT, env, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run invoke', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'invoke-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs events through the handler into the local COS, readable lines on stderr and JSON logs on stdout', async () => {
    const run = invoke(['fixtures/events/workflow-task-docs-sample.json', 'fixtures/invalid/missing-task.json', 'fixtures/events/batch-task.json'], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/✓ fixtures\/events\/workflow-task-docs-sample\.json: WorkflowTask 245\*\*\*\*654-WorkflowTask-\S+ partial, \d+ B in \d+ ms/);
    expect(run.stderr).toMatch(/✓ fixtures\/events\/batch-task\.json: BatchTask \(no TaskId\) unknown, \d+ B in \d+ ms/);
    expect(run.stderr).toMatch(/^⚠ fixtures\/invalid\/missing-task\.json: rejected as missing_task, kept as an error record in \d+ ms$/m);
    expect(run.stderr).not.toMatch(/✓ .*rejected/);
    expect(run.stderr).toContain('Local mode sets COS_BUCKET, COS_REGION, COS_ENDPOINT, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY\n');
    expect(run.stderr).toContain(`3 of 3 events handled (2 archived, 1 rejected); objects are in ${join(dir, LOCAL_BUCKET)}/`);

    const logs = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.map((l) => l.level)).toEqual(['info', 'warn', 'info']);
    const raw = String(logs[0]!.raw_key);
    const stored = JSON.parse(await readFile(join(dir, LOCAL_BUCKET, raw), 'utf8'));
    expect(stored.WorkflowTaskEvent.TaskId).toBe('245****654-WorkflowTask-f46dac7fe2436c47******d71946986t0');
  });

  it('shows the forwards to FORWARD_TO, through a local SCF API', () => {
    const run = invoke(['fixtures/events/edit-media-task-success.json'], dir, { FORWARD_TO: 'notify,prod/index:live' });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/→ default\/notify:\$LATEST: the event, \d+ B, request [0-9a-f-]{36}/);
    expect(run.stderr).toMatch(/→ prod\/index:live: the event/);
    const forwards = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'Event forwarded');
    expect(forwards.map((l) => l.target)).toEqual(expect.arrayContaining(['default/notify:$LATEST', 'prod/index:live']));
  });

  it('reads paths from where it is run, folders recursively, .json and .ndjson', async () => {
    await mkdir(join(dir, 'in', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'in', 'deeper', 'two.ndjson'), `${JSON.stringify(fixture('events/workflow-task-success.json'))}\n${JSON.stringify(fixture('invalid/missing-task.json'))}\n`);
    // As npm runs it: from the project root, with the caller's folder in INIT_CWD.
    const run = invoke(['in'], join(dir, 'cos'), { INIT_CWD: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/✓ in\/deeper\/two\.ndjson:1: WorkflowTask /);
    expect(run.stderr).toMatch(/⚠ in\/deeper\/two\.ndjson:2: rejected as missing_task/);
    expect(run.stderr).toContain('2 of 2 events handled (1 archived, 1 rejected)');
  });

  it('takes paths relative to the folder `npm run` was called from', () => {
    const run = spawnSync('npm', ['run', 'invoke', '--', 'events/edit-media-task-success.json'], {
      cwd: join(PROJECT, 'fixtures'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOCAL_COS_DIR: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toMatch(/✓ events\/edit-media-task-success\.json: EditMediaTask /);
    expect(run.status).toBe(0);
  });

  it('refuses a folder with no events', async () => {
    await mkdir(join(dir, 'empty'));
    const run = invoke([join(dir, 'empty')], join(dir, 'cos'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`No events in ${join(dir, 'empty')}`);
    expect(run.stderr).not.toContain('0 of 0');
  });

  it('sends text that is not JSON as the string it is, and says so', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"EventType": ');
    const run = invoke([broken], join(dir, 'cos'));
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/⚠ .*broken\.json \(not JSON, sent as a string\): rejected as not_an_object/);
  });

  it('exits non-zero and says why when an event cannot be stored', () => {
    const run = invoke(['fixtures/events/edit-media-task-success.json'], dir, {
      COS_BUCKET: 'archive-1250000000',
      COS_REGION: 'ap-guangzhou',
      COS_ENDPOINT: 'http://127.0.0.1:9',
      COS_TIMEOUT_MS: '1000',
      TENCENTCLOUD_SECRETID: 'id',
      TENCENTCLOUD_SECRETKEY: 'key',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/✗ fixtures\/events\/edit-media-task-success\.json: COS PutObject .*ECONNREFUSED/);
    expect(run.stderr).toContain('0 of 1 events handled (0 archived, 0 rejected); nothing stored\n');
    expect(run.stderr).not.toContain('objects are in');
  });

  it('says which of the variables a user set local mode replaces, and still runs', () => {
    const run = invoke(['fixtures/events/edit-media-task-success.json'], dir, { COS_REGION: 'ap-mars', TENCENTCLOUD_SECRETID: 'AKIDmine' });
    expect(run.stderr).toContain('Local mode sets COS_BUCKET, COS_REGION, COS_ENDPOINT, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY; what you set for COS_REGION, TENCENTCLOUD_SECRETID is not used\n');
    expect(run.stderr).toContain('1 of 1 events handled (1 archived, 0 rejected)');
    expect(run.status).toBe(0);
  });

  it.each([
    [{ COS_ENDPOINT: 'not-a-url' }, /^Invalid configuration: COS_ENDPOINT must be http\(s\):\/\/host\[:port\].*\(got "not-a-url"\)$/m],
    [{ COS_REGION: 'AP Mars' }, /^Invalid configuration: COS_REGION must be a COS region/m],
    [{ FORWARD_TO: 'notify', SCF_API_ENDPOINT: 'scf.local' }, /^Invalid configuration: SCF_API_ENDPOINT must be http\(s\):\/\/host\[:port\]/m],
  ])('refuses %j in local mode, as the function would, before the emulator replaces it', (env, message) => {
    const run = invoke(['fixtures/events/edit-media-task-success.json'], dir, env);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/Local COS on|✓/);
    expect(run.status).toBe(1);
  });

  it('refuses to forward to itself, as SCF would', () => {
    const run = invoke(['fixtures/events/edit-media-task-success.json'], dir, { FORWARD_TO: 'notify,mps-cos-backup' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FORWARD_TO.*"mps-cos-backup" is this function \(SCF_FUNCTIONNAME\)/);
  });

  it.each(['--help', '-h'])('prints its usage for %s', (flag) => {
    const run = invoke([flag], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('npm run invoke -- [--local]');
  });

  it('refuses an unknown option, naming it', () => {
    const run = invoke(['--dry-run'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('Unknown option --dry-run (--help shows the usage)\n');
  });
}, 120_000);

describe('npm run invoke -- --packaged', () => {
  let clone: string;
  let dir: string;
  beforeAll(async () => {
    clone = await cloneProject();
    dir = await mkdtemp(join(tmpdir(), 'invoke-packaged-'));
  });
  afterAll(async () => {
    await rm(clone, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it("packages the function when it is missing, and runs dist/function on SCF's Node with serverless.yml's NODE_OPTIONS", async () => {
    const run = spawnSync(TSX, ['scripts/invoke.ts', '--packaged', 'fixtures/events/edit-media-task-success.json', 'fixtures/invalid/missing-task.json'], {
      cwd: clone,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOCAL_COS_DIR: dir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toContain('Packaging: dist/function is missing');
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/✓ fixtures\/events\/edit-media-task-success\.json: EditMediaTask \S+ succeeded, \d+ B in \d+ ms/);
    expect(run.stderr).toMatch(/^⚠ fixtures\/invalid\/missing-task\.json: rejected as missing_task, kept as an error record in \d+ ms$/m);
    const logs = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // The code cache is accepted only by the V8 it was made with, SCF's Node 18.15, under the same
    // flags: the heap bound of NODE_OPTIONS (old space and three semi-spaces).
    const flag = (name: string) => Number(new RegExp(`--${name}=(\\d+)`).exec(shippedNodeOptions())![1]);
    expect(logs[0]).toMatchObject({ msg: 'Cold start', code_cache: 'accepted', heap_limit_mb: flag('max-old-space-size') + 3 * flag('max-semi-space-size') });
    const stored = JSON.parse(await readFile(join(dir, LOCAL_BUCKET, String(logs[1]!.raw_key)), 'utf8'));
    expect(stored).toEqual(fixture('events/edit-media-task-success.json'));
  });
}, 180_000);
