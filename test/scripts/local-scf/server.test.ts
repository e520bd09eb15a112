import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalScf, type LocalScf } from '../../../scripts/local-scf/server';

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
