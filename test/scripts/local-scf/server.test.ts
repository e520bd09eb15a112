import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalScf, type LocalScf } from '../../../scripts/local-scf/server';
import { MPS_VERSION, type ScfRequest } from '../../../scripts/tencent-api';

const keys = { secretId: 'AKIDlocal', secretKey: 'local-key', token: 'local-token' };

describe('local SCF API', () => {
  let server: LocalScf;
  beforeEach(async () => {
    server = await startLocalScf({ keys, functions: ['notify', 'prod/index'] });
  });
  afterEach(() => server.close());

  /** The real SDK client, pointed at the local server as SCF_API_ENDPOINT points the function. */
  const client = (override: Partial<typeof keys> = {}) =>
    new scf.v20180416.Client({
      credential: { ...keys, ...override },
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: server.endpoint.slice('http://'.length), protocol: 'http://', reqTimeout: 2 } },
    });
  const invoke = (params: { FunctionName: string; Namespace?: string; ClientContext?: string }, override?: Partial<typeof keys>) =>
    client(override).Invoke({ InvocationType: 'Event', ClientContext: '{}', ...params });

  it('invokes a known function, and records what it was sent', async () => {
    const answer = await invoke({ FunctionName: 'index', Namespace: 'prod', ClientContext: '{"a":1}' });
    expect(answer.Result?.FunctionRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.invocations).toEqual([
      { functionName: 'index', namespace: 'prod', qualifier: '$LATEST', invocationType: 'Event', clientContext: '{"a":1}', requestId: answer.RequestId },
    ]);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['an unknown function', () => invoke({ FunctionName: 'missing' }), 'ResourceNotFound.Function'],
    ['a function in another namespace', () => invoke({ FunctionName: 'notify', Namespace: 'prod' }), 'ResourceNotFound.Function'],
    ['a wrong secret key', () => invoke({ FunctionName: 'notify' }, { secretKey: 'wrong' }), 'AuthFailure.SignatureFailure'],
    ['a wrong session token', () => invoke({ FunctionName: 'notify' }, { token: 'wrong' }), 'AuthFailure.TokenFailure'],
    ['an async event over 128 KB', () => invoke({ FunctionName: 'notify', ClientContext: JSON.stringify('x'.repeat(128 * 1024)) }), 'InvalidParameterValue.ClientContext'],
    ['a parameter Invoke does not take', () => invoke({ FunctionName: 'notify', Payload: '{}' } as never), 'UnknownParameter'],
  ])('answers %s with an API error and a request id', async (_name, call, code) => {
    const error = (await call().catch((e: unknown) => e)) as { code: string; requestId: string };
    expect(error).toMatchObject({ code });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.invocations.at(-1)!.error).toBe(code);
  });

  it('misbehaves as told, then behaves', async () => {
    server.inject({ kind: 'error', code: 'LimitExceeded' }, { times: 1 });
    server.inject({ kind: 'http', status: 500 }, { times: 1 });
    server.inject({ kind: 'reset' }, { times: 1 });
    await expect(invoke({ FunctionName: 'notify' })).rejects.toMatchObject({ code: 'LimitExceeded' });
    await expect(invoke({ FunctionName: 'notify' })).rejects.toMatchObject({ httpCode: 500 });
    await expect(invoke({ FunctionName: 'notify' })).rejects.toThrow(/socket hang up/);
    await expect(invoke({ FunctionName: 'notify' })).resolves.toMatchObject({ Result: { InvokeResult: 0 } });
    expect(server.invocations.map((i) => i.error)).toEqual(['LimitExceeded', 'http', 'reset', undefined]);
  });

  it('hangs until the client gives up', async () => {
    server.inject({ kind: 'hang' }, { functionName: 'notify' });
    await expect(invoke({ FunctionName: 'notify' })).rejects.toThrow(/network timeout/);
  });
});

describe("local SCF API: an account's functions and MPS triggers", () => {
  const zip = (source: string) => Buffer.from(zipSync({ 'index.js': strToU8(source) })).toString('base64');
  const CODE = zip(`exports.main_handler = async (event, context) => ({ got: event, request: context.request_id, bucket: process.env.COS_BUCKET, role: process.env.TENCENTCLOUD_SECRETID });`);
  const region = 'ap-guangzhou';
  let dir: string;
  let server: LocalScf;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-scf-'));
    server = await startLocalScf({ keys, stateFile: join(dir, 'account.json'), runtimeEnv: { TENCENTCLOUD_SECRETID: 'role-key' } });
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const httpProfile = () => ({ endpoint: server.endpoint.slice('http://'.length), protocol: 'http://' });
  const scfClient = () => new scf.v20180416.Client({ credential: keys, region, profile: { httpProfile: httpProfile() } });
  const mps = () => new CommonClient('mps.tencentcloudapi.com', MPS_VERSION, { credential: keys, region, profile: { httpProfile: httpProfile() } });
  const create = (more: Partial<ScfRequest<'CreateFunction'>> = {}) =>
    scfClient().CreateFunction({
      FunctionName: 'archive',
      Runtime: 'Nodejs18.15',
      Handler: 'index.main_handler',
      MemorySize: 128,
      Timeout: 10,
      Environment: { Variables: [{ Key: 'COS_BUCKET', Value: 'b-1250000000' }] },
      Code: { ZipFile: CODE },
      ...more,
    });
  const status = async () => (await scfClient().GetFunction({ FunctionName: 'archive' })).Status;

  it('creates a function that SCF shows Creating once, then Active, with what it was given', async () => {
    await create();
    expect(await status()).toBe('Creating');
    const fn = await scfClient().GetFunction({ FunctionName: 'archive' });
    expect(fn).toMatchObject({ Status: 'Active', Runtime: 'Nodejs18.15', MemorySize: 128, Timeout: 10, Type: 'Event', Environment: { Variables: [{ Key: 'COS_BUCKET', Value: 'b-1250000000' }] } });
    await expect(create()).rejects.toMatchObject({ code: 'ResourceInUse.Function' });
  });

  it('refuses a write while SCF is busy with the last, and ends an update UpdateFailed when told to', async () => {
    await create();
    await expect(scfClient().UpdateFunctionCode({ FunctionName: 'archive', ZipFile: CODE })).rejects.toMatchObject({ code: 'FailedOperation.UpdateFunction' });
    await status();
    server.inject({ kind: 'failed', message: 'disk full' }, { action: 'UpdateFunctionConfiguration' });
    await scfClient().UpdateFunctionConfiguration({ FunctionName: 'archive', MemorySize: 256 });
    expect(await status()).toBe('Updating');
    expect(await scfClient().GetFunction({ FunctionName: 'archive' })).toMatchObject({ Status: 'UpdateFailed', MemorySize: 256, StatusReasons: [{ ErrorCode: 'InternalError', ErrorMessage: 'disk full' }] });
  });

  it.each<[string, Partial<ScfRequest<'CreateFunction'>>, string]>([
    ['a zip over 50 MB', { Code: { ZipFile: Buffer.alloc(50 * 2 ** 20 + 1).toString('base64') } }, 'InvalidParameterValue.ZipFile'],
    ['bytes that are not a zip', { Code: { ZipFile: Buffer.from('not a zip').toString('base64') } }, 'InvalidParameterValue.ZipFile'],
    ["an entry outside the zip's folder", { Code: { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8(''), '../../escape.js': strToU8('') })).toString('base64') } }, 'InvalidParameterValue.ZipFile'],
    ['a memory size SCF does not offer', { MemorySize: 200 }, 'InvalidParameterValue.MemorySize'],
    ['a timeout over 900 s', { Timeout: 901 }, 'InvalidParameterValue.Timeout'],
    ['a runtime SCF does not offer', { Runtime: 'Nodejs99' }, 'InvalidParameterValue.Runtime'],
  ])('refuses to create a function with %s', async (_name, more, code) => {
    await expect(create(more)).rejects.toMatchObject({ code });
  });

  it("binds each MPS event type to one function per account, and lists it among the function's triggers", async () => {
    await create();
    const bind = (EventType: string) => mps().request('BindTrigger', { ScfRegion: region, EventType, Qualifier: '$DEFAULT', FunctionName: 'archive', Namespace: 'default' });
    await expect(bind('WorkflowTask')).resolves.toMatchObject({ ResourceId: expect.stringContaining('TriggerType/WorkflowTaskEvent') });
    await expect(bind('WorkflowTask')).rejects.toMatchObject({ code: 'FailedOperation.TriggerExists' });
    await expect(bind('LiveTask')).rejects.toMatchObject({ code: 'InvalidParameterValue.EventType' });
    const { Triggers } = await scfClient().ListTriggers({ FunctionName: 'archive' });
    expect(Triggers).toEqual([expect.objectContaining({ Type: 'mps', Qualifier: '$DEFAULT', ResourceId: expect.stringContaining('TriggerType/WorkflowTaskEvent') })]);
    expect(server.calls.map((c) => `${c.version} ${c.action}`)).toContain(`${MPS_VERSION} BindTrigger`);
  });

  it("creates, lists and changes a function's timer triggers as SCF's API does, and keeps them for the next server", async () => {
    await create();
    const timer = { FunctionName: 'archive', TriggerName: 'daily', Type: 'timer', Qualifier: '$DEFAULT' };
    const answer = await scfClient().CreateTrigger({ ...timer, TriggerDesc: '0 30 9 * * * *', Enable: 'OPEN' });
    expect(answer.TriggerInfo).toMatchObject({ TriggerName: 'daily', Type: 'timer', TriggerDesc: '{"cron":"0 30 9 * * * *"}', Enable: 1, Qualifier: '$DEFAULT' });
    await expect(scfClient().CreateTrigger({ ...timer, TriggerDesc: '0 0 1 * * * *' })).rejects.toMatchObject({ code: 'ResourceInUse.Trigger' });

    await scfClient().UpdateTrigger({ ...timer, TriggerDesc: '0 0 10 * * * *', Enable: 'CLOSE' });
    await server.close();
    server = await startLocalScf({ keys, stateFile: join(dir, 'account.json') });
    const { Triggers } = await scfClient().ListTriggers({ FunctionName: 'archive' });
    expect(Triggers).toEqual([expect.objectContaining({ Type: 'timer', TriggerName: 'daily', TriggerDesc: '{"cron":"0 0 10 * * * *"}', Enable: 0, Qualifier: '$DEFAULT' })]);
    expect(server.calls.map((c) => c.action)).toEqual(['ListTriggers']);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['a cron SCF would refuse', () => scfClient().CreateTrigger({ FunctionName: 'archive', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 30 25 * * * *' }), 'InvalidParameterValue.TriggerDesc'],
    ['a timer name that does not start with a letter', () => scfClient().CreateTrigger({ FunctionName: 'archive', TriggerName: '9-daily', Type: 'timer', TriggerDesc: '0 0 1 * * * *' }), 'InvalidParameterValue.TriggerName'],
    ['an MPS trigger, which MPS binds', () => scfClient().CreateTrigger({ FunctionName: 'archive', TriggerName: 'mps', Type: 'mps', TriggerDesc: '{}' }), 'InvalidParameterValue.Type'],
    ['a switch other than OPEN or CLOSE', () => scfClient().CreateTrigger({ FunctionName: 'archive', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 0 1 * * * *', Enable: '1' }), 'InvalidParameterValue.Enable'],
    ['a timer of a function that does not exist', () => scfClient().CreateTrigger({ FunctionName: 'other', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 0 1 * * * *' }), 'ResourceNotFound.Function'],
    ['an update of a timer that does not exist', () => scfClient().UpdateTrigger({ FunctionName: 'archive', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 0 1 * * * *' }), 'ResourceNotFound.Trigger'],
    ['a request signed with a wrong key', () => new scf.v20180416.Client({ credential: { ...keys, secretKey: 'wrong' }, region, profile: { httpProfile: httpProfile() } }).CreateTrigger({ FunctionName: 'archive', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 0 1 * * * *' }), 'AuthFailure.SignatureFailure'],
  ])('refuses %s, as the API does', async (_name, call, code) => {
    await create();
    await expect(call()).rejects.toMatchObject({ code });
    expect((await scfClient().ListTriggers({ FunctionName: 'archive' })).Triggers).toEqual([]);
  });

  it("runs a synchronous Invoke on SCF's Node with the function's environment and the runtime's, and answers what it returned", async () => {
    await create();
    await status();
    const { Result } = await scfClient().Invoke({ FunctionName: 'archive', InvocationType: 'RequestResponse', ClientContext: '{"a":1}' });
    expect(JSON.parse(Result!.RetMsg!)).toEqual({ got: { a: 1 }, request: Result!.FunctionRequestId, bucket: 'b-1250000000', role: 'role-key' });
    expect(Result).toMatchObject({ ErrMsg: '', InvokeResult: 0 });
  });

  it('keeps the account in its state file, for the next server to find', async () => {
    await create();
    await status();
    await scfClient().UpdateFunctionEventInvokeConfig({ FunctionName: 'archive', AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 0 }], MsgTTL: 60 } });
    await server.close();
    server = await startLocalScf({ keys, stateFile: join(dir, 'account.json') });
    expect(await status()).toBe('Active');
    expect((await scfClient().GetFunctionEventInvokeConfig({ FunctionName: 'archive' })).AsyncTriggerConfig).toEqual({ RetryConfig: [{ RetryNum: 0 }], MsgTTL: 60 });
  });

  it("refuses a parameter the action does not take, as the API does, another action's included", async () => {
    await create();
    await status();
    await expect(scfClient().UpdateFunctionConfiguration({ FunctionName: 'archive', Handler: 'index.other' } as never)).rejects.toMatchObject({ code: 'UnknownParameter' });
    await expect(mps().request('BindTrigger', { ScfRegion: region, EventType: 'WorkflowTask', FunctionName: 'archive', Namespace: 'default', Enable: true })).rejects.toMatchObject({ code: 'UnknownParameter' });
    expect((await scfClient().GetFunction({ FunctionName: 'archive' })).Handler).toBe('index.main_handler');
  });

  it('answers an unknown region, and an API version it does not serve, as the API does', async () => {
    const elsewhere = new scf.v20180416.Client({ credential: keys, region: 'ap-nowhere', profile: { httpProfile: httpProfile() } });
    await expect(elsewhere.GetFunction({ FunctionName: 'archive' })).rejects.toMatchObject({ code: 'UnsupportedRegion' });
    const other = new CommonClient('mps.tencentcloudapi.com', '2017-03-12', { credential: keys, region, profile: { httpProfile: httpProfile() } });
    await expect(other.request('BindTrigger', {})).rejects.toMatchObject({ code: 'InvalidAction' });
  });
});
