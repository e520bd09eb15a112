import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scf as scfSdk } from 'tencentcloud-sdk-nodejs-scf';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKeys } from '../../src/keys';
import { LOCAL_BUCKET } from '../../scripts/local-cos/local-setup';
import { startLocalCos } from '../../scripts/local-cos/server';
import { startLocalScf, type LocalScf } from '../../scripts/local-scf/server';
import { cloneProject } from '../support/clone';
import { storeDay } from '../support/local-cos';

/*
 * `npm run package`, then `npm run deploy` with its options, run as a user runs them from a fresh
 * clone, against local stand-ins of the Tencent Cloud API (signatures checked, an account's state
 * kept) and of COS, reached through SCF_API_ENDPOINT, MPS_API_ENDPOINT and COS_ENDPOINT.
 */

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

const keys = { secretId: `AKIDdeploy${randomBytes(8).toString('hex')}`, secretKey: randomBytes(18).toString('base64url'), token: randomBytes(24).toString('base64url') };
const SECRETS = [keys.secretId, keys.secretKey, keys.token];

let clone: string;
let home: string;
const outputs: Ran[] = [];

/** An npm script in the clone; the stand-ins answer from this process meanwhile. */
function npmRun(args: string[], env: Record<string, string | undefined>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', ...args], { cwd: clone, env: { PATH: process.env.PATH, HOME: home, ...env } as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => {
      const ran = { status, stdout, stderr };
      outputs.push(ran);
      resolve(ran);
    });
  });
}

/** The one line a refused deploy prints, on stderr, and nothing on stdout. */
function oneLine(ran: Ran): string {
  expect(ran.status).toBe(1);
  expect(ran.stdout).toBe('');
  const lines = ran.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

beforeAll(async () => {
  clone = await cloneProject();
  home = await mkdtemp(join(tmpdir(), 'deploy-home-'));
  const packaged = await npmRun(['package'], {});
  expect(packaged.status).toBe(0);
}, 120_000);

afterAll(async () => {
  // No key of the deployer's in anything any run printed, the local cloud's keys (--local) included.
  const local = JSON.parse(await readFile(join(clone, '.local-cos', '.keys.json'), 'utf8')) as { secretId: string; secretKey: string };
  const printed = outputs.map((o) => o.stdout + o.stderr).join('\n');
  for (const secret of [...SECRETS, local.secretId, local.secretKey]) expect(printed).not.toContain(secret);
  await rm(clone, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** A fresh account and bucket, and the environment pointing deploy at them. */
async function standIns() {
  const cos = await startLocalCos({ root: await mkdtemp(join(tmpdir(), 'deploy-cos-')), keys, buckets: [LOCAL_BUCKET] });
  const scf = await startLocalScf({ keys, runtimeEnv: { TENCENTCLOUD_SECRETID: keys.secretId, TENCENTCLOUD_SECRETKEY: keys.secretKey, COS_ENDPOINT: cos.endpoint } });
  const env = {
    TENCENTCLOUD_SECRETID: keys.secretId,
    TENCENTCLOUD_SECRETKEY: keys.secretKey,
    TENCENTCLOUD_SESSIONTOKEN: keys.token,
    SCF_API_ENDPOINT: scf.endpoint,
    MPS_API_ENDPOINT: scf.endpoint,
    COS_ENDPOINT: cos.endpoint,
  };
  return { cos, scf, env, close: async () => (await scf.close(), await cos.close(), await rm(cos.root, { recursive: true, force: true })) };
}

const WRITES = ['CreateFunction', 'UpdateFunctionCode', 'UpdateFunctionConfiguration', 'UpdateFunctionEventInvokeConfig', 'BindTrigger', 'CreateTrigger', 'UpdateTrigger', 'Invoke'];
const actions = (scf: LocalScf, from = 0) => scf.calls.slice(from).map((c) => c.action);

describe('npm run package, then npm run deploy, from a fresh clone', () => {
  let world: Awaited<ReturnType<typeof standIns>>;
  beforeAll(async () => {
    world = await standIns();
    // What the yml's ${env:...} take, from a .env beside it; the keys and endpoints from the environment.
    await writeFile(join(clone, '.env'), 'REGION=ap-guangzhou\nCOS_BUCKET=mps-local-1250000000\nEXECUTION_ROLE=mps-cos-backup-role\nFORWARD_TO=\n');
  });
  afterAll(async () => {
    await world.close();
    await rm(join(clone, '.env'));
  });

  it('--dry-run reads the account, prints the plan, and writes nothing', async () => {
    const ran = await npmRun(['deploy', '--', '--dry-run'], world.env);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('Would create function default/mps-cos-backup in ap-guangzhou');
    expect(ran.stdout).toContain('  MemorySize: (none) → 128 MB');
    expect(ran.stdout).toContain('  Role: (none) → mps-cos-backup-role');
    expect(ran.stdout).toContain('  bind MPS trigger WorkflowTask ($DEFAULT)\n  bind MPS trigger EditMediaTask ($DEFAULT)\n');
    expect(ran.stdout).toMatch(/Dry run: nothing was changed\.\n$/);
    expect(actions(world.scf)).toEqual(['GetFunction']);
    expect(world.cos.requests).toEqual([]);
  });

  it('creates the function from the packaged zip with exactly the settings of serverless.yml, and binds both MPS triggers', async () => {
    const before = world.scf.calls.length;
    const ran = await npmRun(['deploy'], world.env);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    const calls = world.scf.calls.slice(before);
    expect(calls.filter((c) => WRITES.includes(c.action)).map((c) => c.action)).toEqual(['CreateFunction', 'BindTrigger', 'BindTrigger']);

    const inputs = parse(readFileSync(join(clone, 'serverless.yml'), 'utf8')).inputs;
    const values: Record<string, string> = { REGION: 'ap-guangzhou', COS_BUCKET: 'mps-local-1250000000', EXECUTION_ROLE: 'mps-cos-backup-role', FORWARD_TO: '' };
    const resolved = (v: string) => v.replace(/\$\{env:(\w+)\}/g, (_, name: string) => values[name]!);
    const { Code, ...settings } = calls.find((c) => c.action === 'CreateFunction')!.params as { Code: { ZipFile: string } };
    expect(settings).toEqual({
      FunctionName: inputs.name,
      Namespace: 'default',
      Runtime: inputs.runtime,
      Handler: inputs.handler,
      MemorySize: inputs.memorySize,
      Timeout: inputs.timeout,
      Role: 'mps-cos-backup-role',
      Description: inputs.description,
      Type: 'Event',
      Environment: { Variables: Object.entries(inputs.environment.variables as Record<string, string>).map(([Key, Value]) => ({ Key, Value: resolved(Value) })) },
    });
    expect(Buffer.from(Code.ZipFile, 'base64').equals(await readFile(join(clone, 'dist', 'mps-cos-backup.zip')))).toBe(true);
    expect(calls.filter((c) => c.action === 'BindTrigger').map((c) => c.params)).toEqual(
      ['WorkflowTask', 'EditMediaTask'].map((EventType) => ({ ScfRegion: 'ap-guangzhou', EventType, Qualifier: '$DEFAULT', FunctionName: 'mps-cos-backup', Namespace: 'default' })),
    );
    // Waited until Active before binding, and looked for each binding after it.
    expect(calls.map((c) => c.action).slice(calls.findIndex((c) => c.action === 'CreateFunction'))).toEqual([
      'CreateFunction',
      'GetFunction',
      'GetFunction',
      'BindTrigger',
      'ListTriggers',
      'BindTrigger',
      'ListTriggers',
    ]);
    expect(ran.stdout).toMatch(/^created function default\/mps-cos-backup in ap-guangzhou from dist\/function, [\d.]+ KB zipped, sha256 [0-9a-f]{12}$/m);
    expect(ran.stdout).toContain('bound MPS trigger WorkflowTask → default/mps-cos-backup ($DEFAULT)\nbound MPS trigger EditMediaTask → default/mps-cos-backup ($DEFAULT)\n');
  });

  it('--check invokes the deployed function, which archives its marked test event, and says pass', async () => {
    const ran = await npmRun(['deploy', '--', '--check'], world.env);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('PASS: the function stored the test event, raw and normalized, as sent');
    const invoked = world.scf.invocations.at(-1)!;
    expect(invoked).toMatchObject({ functionName: 'mps-cos-backup', invocationType: 'RequestResponse' });
    const taskId = JSON.parse(invoked.clientContext).WorkflowTaskEvent.TaskId as string;
    expect(taskId).toMatch(/^deploy-check-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    // Written by the function (PUT) and read back by the deployer (GET), under the archive's prefix.
    const touched = world.cos.requests.map((r) => `${r.method} ${r.status} ${r.key.split('/').slice(0, 2).join('/')}`);
    expect(touched.sort()).toEqual(['GET 200 mps-events/normalized', 'GET 200 mps-events/raw', 'PUT 200 mps-events/normalized', 'PUT 200 mps-events/raw']);
    const raw = world.cos.requests.find((r) => r.method === 'PUT' && r.key.includes('/raw/'))!.key;
    expect(raw).toContain(taskId);
    expect(ran.stdout).toContain(`  coscli rm cos://mps-local-1250000000/${raw}\n`);
  });

  it('updates the function on a second deploy, never creating it again nor binding a trigger twice', async () => {
    const before = world.scf.calls.length;
    const ran = await npmRun(['deploy'], world.env);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(actions(world.scf, before).filter((a) => WRITES.includes(a))).toEqual(['UpdateFunctionCode']);
    expect(ran.stdout).toMatch(/^updated the code of default\/mps-cos-backup in ap-guangzhou from dist\/function/m);
    expect(ran.stdout).toContain('configuration unchanged\nMPS trigger WorkflowTask already bound, left as it is\nMPS trigger EditMediaTask already bound, left as it is\n');
  });

  it('applies a changed setting with UpdateFunctionConfiguration, and the async retries the yml names', async () => {
    const yml = join(clone, 'serverless.yml');
    const original = await readFile(yml, 'utf8');
    const { atime, mtime } = await stat(yml);
    await writeFile(yml, original.replace('memorySize: 128', 'memorySize: 256').replace('  timeout: 30\n', '  timeout: 30\n  retryNum: 1\n  msgTTL: 3600\n'));
    try {
      const before = world.scf.calls.length;
      const ran = await npmRun(['deploy'], world.env);
      expect(ran.status).toBe(0);
      expect(actions(world.scf, before).filter((a) => WRITES.includes(a))).toEqual(['UpdateFunctionCode', 'UpdateFunctionConfiguration', 'UpdateFunctionEventInvokeConfig']);
      expect(world.scf.calls.find((c, i) => i >= before && c.action === 'UpdateFunctionEventInvokeConfig')!.params).toMatchObject({ AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 1 }], MsgTTL: 3600 } });
      expect(ran.stdout).toContain('changed MemorySize: 128 MB → 256 MB\n');
      expect(ran.stdout).toContain('set async retries: RetryNum 2, MsgTTL 21600 s → RetryNum 1, MsgTTL 3600 s\n');
    } finally {
      // As it was, and as old: the package made from the changed yml is no older than it.
      await writeFile(yml, original);
      await utimes(yml, atime, mtime);
    }
  });

  it('refuses a zip over the 20 MB UpdateFunctionCode takes, before sending anything', async () => {
    const big = join(clone, 'dist', 'function', 'big.bin');
    await writeFile(big, randomBytes(21 * 2 ** 20));
    try {
      const before = world.scf.calls.length;
      const line = oneLine(await npmRun(['deploy'], world.env));
      expect(line).toMatch(/^dist\/function zips to 21\.\d MB, over the 20\.0 MB that UpdateFunctionCode takes inline/);
      expect(actions(world.scf, before).filter((a) => WRITES.includes(a))).toEqual([]);
    } finally {
      await rm(big);
    }
  });
});

describe('a deploy that cannot be done says why in one line, and exits non-zero', () => {
  let world: Awaited<ReturnType<typeof standIns>>;
  const yml = { REGION: 'ap-guangzhou', COS_BUCKET: 'mps-local-1250000000', EXECUTION_ROLE: 'mps-cos-backup-role', FORWARD_TO: '' };
  beforeAll(async () => {
    world = await standIns();
  });
  afterAll(() => world.close());

  it('names an ${env:...} of serverless.yml that has no value, and calls nothing', async () => {
    const { EXECUTION_ROLE: _role, ...rest } = yml;
    const line = oneLine(await npmRun(['deploy'], { ...rest, ...world.env }));
    expect(line).toBe('serverless.yml: ${env:EXECUTION_ROLE} (inputs.role) has no value: set it in the environment or in .env beside serverless.yml');
    expect(world.scf.calls).toEqual([]);
  });

  it('says the credentials were refused, without printing them', async () => {
    const line = oneLine(await npmRun(['deploy'], { ...yml, ...world.env, TENCENTCLOUD_SECRETKEY: `${keys.secretKey}x` }));
    expect(line).toBe(
      'GetFunction: the API refused the credentials from TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (AuthFailure.SignatureFailure): check the SecretId, the SecretKey and, for temporary keys, the session token',
    );
  });

  it('says the region is not one the API serves', async () => {
    const line = oneLine(await npmRun(['deploy'], { ...yml, ...world.env, REGION: 'ap-nowhere' }));
    expect(line).toMatch(/^GetFunction: the API does not serve region "ap-nowhere" \(UnsupportedRegion\): set REGION/);
  });

  it("gives SCF's reason when the function ends CreateFailed", async () => {
    world.scf.inject({ kind: 'failed', message: 'The execution role cannot be assumed by SCF' }, { action: 'CreateFunction', times: 1 });
    const line = oneLine(await npmRun(['deploy'], { ...yml, ...world.env }));
    expect(line).toBe('Function mps-cos-backup is CreateFailed: InternalError: The execution role cannot be assumed by SCF');
    expect(actions(world.scf)).not.toContain('BindTrigger');
  });

  it('says what to do when MPS refuses to bind a trigger', async () => {
    const fresh = await standIns();
    try {
      fresh.scf.inject({ kind: 'error', code: 'FailedOperation.RoleNotAuthorized', message: 'The service role MPS_QcsRole is not authorized.' }, { action: 'BindTrigger' });
      const ran = await npmRun(['deploy'], { ...yml, ...fresh.env });
      expect(ran.status).toBe(1);
      expect(ran.stdout).toMatch(/^created function/);
      expect(ran.stderr).toMatch(/^MPS refused to bind the WorkflowTask trigger to default\/mps-cos-backup: BindTrigger: FailedOperation.RoleNotAuthorized: The service role MPS_QcsRole is not authorized\.\n/);
      expect(ran.stderr).toContain('SCF_QcsRole and MPS_QcsRole');
      expect(ran.stderr).toContain('Then run npm run deploy again');
    } finally {
      await fresh.close();
    }
  });
});

describe('npm run deploy -- --local', () => {
  it('deploys, checks and deploys again against the local cloud, which keeps its state between runs', async () => {
    const first = await npmRun(['deploy', '--', '--local'], {});
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('created function default/mps-cos-backup in ap-guangzhou');
    const check = await npmRun(['deploy', '--', '--local', '--check'], {});
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('PASS');
    const second = await npmRun(['deploy', '--', '--local'], {});
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('updated the code of default/mps-cos-backup');
    expect(second.stdout).toContain('MPS trigger EditMediaTask already bound');
    // The keys the functions run with are the runtime's, never kept with the account.
    const state = await readFile(join(clone, '.local-scf', 'account.json'), 'utf8');
    const local = JSON.parse(await readFile(join(clone, '.local-cos', '.keys.json'), 'utf8')) as { secretId: string; secretKey: string };
    expect(state).toContain('mps-cos-backup');
    expect(state).not.toContain(local.secretId);
    expect(state).not.toContain(local.secretKey);
  });
});

describe('npm run deploy -- --policy', () => {
  it("prints the execution role's policy from the configuration alone, with no credentials, labelled apart", async () => {
    const ran = await npmRun(['deploy', '--', '--policy'], { REGION: 'ap-shanghai', COS_BUCKET: 'archive-1300000001', FORWARD_TO: 'notify,prod/index:live' });
    expect(ran.stderr).toBe('The policy of the role of the archiving function, mps-cos-backup (serverless.yml, role ${env:EXECUTION_ROLE}):\n');
    expect(JSON.parse(ran.stdout)).toEqual({
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/cos:PutObject'], resource: ['qcs::cos:ap-shanghai:uid/1300000001:archive-1300000001/mps-events/*'] },
        {
          effect: 'allow',
          action: ['name/scf:InvokeFunction'],
          resource: ['qcs::scf:ap-shanghai::namespace/default/function/notify', 'qcs::scf:ap-shanghai::namespace/prod/function/index'],
        },
      ],
    });
  });

  it('prints the policy of the local cloud with --local, from its values alone', async () => {
    const ran = await npmRun(['deploy', '--', '--policy', '--local'], {});
    expect(ran.stderr).toBe('The policy of the role of the archiving function, mps-cos-backup (serverless.yml, role local-execution-role):\n');
    expect(JSON.parse(ran.stdout).statement).toEqual([
      { effect: 'allow', action: ['name/cos:PutObject'], resource: ['qcs::cos:ap-guangzhou:uid/1250000000:mps-local-1250000000/mps-events/*'] },
    ]);
  });
});

describe('npm run deploy -- serverless.compact.yml: the compactor beside the function', () => {
  let world: Awaited<ReturnType<typeof standIns>>;
  const YML = 'serverless.compact.yml';
  const values = { REGION: 'ap-guangzhou', COS_BUCKET: 'mps-local-1250000000', EXECUTION_ROLE: 'mps-cos-backup-role', COMPACT_ROLE: 'mps-compact-role', FORWARD_TO: '' };
  const timer = { FunctionName: 'mps-cos-backup-compact', Namespace: 'default', TriggerName: 'compact-daily', Type: 'timer', Qualifier: '$DEFAULT', Enable: 'OPEN' };
  const writes = (from: number) => world.scf.calls.slice(from).filter((c) => WRITES.includes(c.action));
  /** Deploys both ymls, the function's then the compactor's, and what each printed. */
  const deployBoth = async () => {
    const fn = await npmRun(['deploy'], { ...values, ...world.env });
    const compactor = await npmRun(['deploy', '--', YML], { ...values, ...world.env });
    expect([fn.stderr, fn.status, compactor.stderr, compactor.status]).toEqual(['', 0, '', 0]);
    return compactor.stdout;
  };
  beforeAll(async () => {
    world = await standIns();
  });
  afterAll(() => world.close());

  it('--dry-run plans the compactor and its timer, and writes nothing', async () => {
    const ran = await npmRun(['deploy', '--', '--dry-run', YML], { ...values, ...world.env });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('Would create function default/mps-cos-backup-compact in ap-guangzhou');
    expect(ran.stdout).toContain('  Handler: (none) → index.compact_handler\n');
    expect(ran.stdout).toContain('  create timer trigger compact-daily ($DEFAULT): 0 30 9 * * * *\nDry run: nothing was changed.\n');
    expect(actions(world.scf)).toEqual(['GetFunction']);
    expect(world.cos.requests).toEqual([]);
  });

  it('creates both functions from the same zip on a first deploy, the compactor with exactly its yml and its timer', async () => {
    const before = world.scf.calls.length;
    const stdout = await deployBoth();
    expect(writes(before).map((c) => c.action)).toEqual(['CreateFunction', 'BindTrigger', 'BindTrigger', 'CreateFunction', 'CreateTrigger']);
    const [fn, compactor] = writes(before).filter((c) => c.action === 'CreateFunction').map((c) => c.params as { Code: { ZipFile: string } } & Record<string, unknown>);
    expect(compactor!.Code.ZipFile).toBe(fn!.Code.ZipFile);
    const inputs = parse(readFileSync(join(clone, YML), 'utf8')).inputs;
    expect(compactor).toMatchObject({ FunctionName: inputs.name, Handler: 'index.compact_handler', MemorySize: inputs.memorySize, Timeout: inputs.timeout, Role: 'mps-compact-role', Type: 'Event' });
    expect(writes(before).find((c) => c.action === 'CreateTrigger')!.params).toEqual({ ...timer, TriggerDesc: '0 30 9 * * * *' });
    expect(stdout).toContain('created timer trigger compact-daily → default/mps-cos-backup-compact ($DEFAULT): 0 30 9 * * * *\n');
    expect(stdout).toMatch(/Deployed default\/mps-cos-backup-compact in ap-guangzhou\. npm run deploy -- --check serverless\.compact\.yml proves that it compacts\.\n$/);
  });

  it('--check invokes the compactor with a timer event, which compacts a closed day of the local COS, encrypted as the function encrypts', async () => {
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await storeDay(world.cos, { secretId: keys.secretId, secretKey: keys.secretKey, sessionToken: undefined }, day, 5);
    const ran = await npmRun(['deploy', '--', '--check', YML], { ...values, ...world.env });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain(`  compacted WorkflowTask ${day}: 5 rows in 1 part\nPASS: the compactor compacted 1 day, and each manifest and part reads back as it said\n`);
    expect(JSON.parse(world.scf.invocations.at(-1)!.clientContext)).toMatchObject({ Type: 'Timer', Message: '{"max_seconds":180}' });
    const keysOfDay = dayKeys('mps-events', 'WorkflowTask', day);
    for (const key of [keysOfDay.manifest, keysOfDay.part(0)]) {
      expect((await world.cos.files.head(LOCAL_BUCKET, key))?.encryption).toEqual({ 'x-cos-server-side-encryption': 'AES256' });
    }
  });

  it('updates both on a second deploy, never creating a function or a trigger again', async () => {
    const before = world.scf.calls.length;
    const stdout = await deployBoth();
    expect(writes(before).map((c) => c.action)).toEqual(['UpdateFunctionCode', 'UpdateFunctionCode']);
    expect(stdout).toContain('configuration unchanged\ntimer trigger compact-daily unchanged: 0 30 9 * * * *\n');
  });

  /** `work` with the compactor's yml holding another cron, as a user edits it; then the yml as it was. */
  async function withCron<T>(cron: string, work: () => Promise<T>): Promise<T> {
    const yml = join(clone, YML);
    const original = await readFile(yml, 'utf8');
    await writeFile(yml, original.replace("cronExpression: '0 30 9 * * * *'", `cronExpression: '${cron}'`));
    try {
      return await work();
    } finally {
      await writeFile(yml, original);
    }
  }

  it('applies a changed cron to the timer with UpdateTrigger, which ListTriggers then shows', async () => {
    const before = world.scf.calls.length;
    const ran = await withCron('0 45 10 * * * *', () => npmRun(['deploy', '--', YML], { ...values, ...world.env }));
    expect(ran.status).toBe(0);
    expect(writes(before)).toEqual([expect.objectContaining({ action: 'UpdateFunctionCode' }), expect.objectContaining({ action: 'UpdateTrigger', params: { ...timer, TriggerDesc: '0 45 10 * * * *' } })]);
    expect(ran.stdout).toContain('changed timer trigger compact-daily: 0 30 9 * * * * → 0 45 10 * * * *\n');
    const client = new scfSdk.v20180416.Client({ credential: keys, region: 'ap-guangzhou', profile: { httpProfile: { endpoint: world.scf.endpoint.slice('http://'.length), protocol: 'http://' } } });
    const { Triggers } = await client.ListTriggers({ FunctionName: 'mps-cos-backup-compact' });
    expect(Triggers).toEqual([expect.objectContaining({ Type: 'timer', TriggerName: 'compact-daily', TriggerDesc: '{"cron":"0 45 10 * * * *"}', Enable: 1 })]);
  });

  it('refuses a cron SCF would refuse in one line, naming the yml and the place, and calls nothing', async () => {
    const before = world.scf.calls.length;
    const line = oneLine(await withCron('0 30 25 * * *', () => npmRun(['deploy', '--', YML], { ...values, ...world.env })));
    expect(line).toBe(`${YML}: inputs.events.0.timer.parameters.cronExpression "0 30 25 * * *" is not an SCF cron (SCF docs 583/9708): it has 6 fields, not the seven of SCF's recommended syntax: second minute hour day month weekday year`);
    expect(world.scf.calls.length).toBe(before);
  });

  it("--policy prints the compactor role's policy, labelled apart, with no credentials", async () => {
    const ran = await npmRun(['deploy', '--', '--policy', YML], { REGION: 'ap-shanghai', COS_BUCKET: 'archive-1300000001' });
    expect(ran.stderr).toBe('The policy of the role of the compactor, mps-cos-backup-compact (serverless.compact.yml, role ${env:COMPACT_ROLE}):\n');
    expect(JSON.parse(ran.stdout)).toEqual({
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/cos:GetObject', 'name/cos:PutObject'], resource: ['qcs::cos:ap-shanghai:uid/1300000001:archive-1300000001/mps-events/*'] },
        { effect: 'allow', action: ['name/cos:GetBucket'], resource: ['qcs::cos:ap-shanghai:uid/1300000001:archive-1300000001/*'] },
      ],
    });
  });

  it('refuses a yml that is not there, as a usage error', async () => {
    const ran = await npmRun(['deploy', '--', 'serverless.compactor.yml'], {});
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([2, '', 'No yml at serverless.compactor.yml: name serverless.yml or serverless.compact.yml (--help shows the usage)\n']);
  });
});
