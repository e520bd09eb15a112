import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, createApis } from '../../../scripts/deploy/api';
import { startLocalScf, type LocalScf } from '../../../scripts/local-scf/server';
import { listenOnLoopback } from '../../../scripts/loopback';

const keys = { secretId: 'AKIDapi', secretKey: 'api-key', token: 'api-token' };
const credentials = { ...keys, source: 'TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY' };

describe('createApis', () => {
  let scf: LocalScf;
  beforeAll(async () => {
    scf = await startLocalScf({ keys });
  });
  afterAll(() => scf.close());
  const apis = (more: Partial<typeof credentials> = {}, region = 'ap-guangzhou') =>
    createApis({ ...credentials, ...more }, region, { SCF_API_ENDPOINT: scf.endpoint, MPS_API_ENDPOINT: scf.endpoint });
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ApiCallError);

  it('signs SCF and MPS calls with the keys and token given, through the endpoints the environment names', async () => {
    await expect(apis().scf('GetFunction', { FunctionName: 'absent' })).rejects.toMatchObject({ code: 'ResourceNotFound.Function' });
    await expect(apis().mps.BindTrigger({ ScfRegion: 'ap-guangzhou', EventType: 'WorkflowTask', Qualifier: '$DEFAULT', FunctionName: 'absent', Namespace: 'default' })).rejects.toMatchObject({
      code: 'ResourceNotFound.Function',
    });
    expect(scf.calls.slice(-2).map((c) => [c.version, c.action])).toEqual([
      ['2018-04-16', 'GetFunction'],
      ['2019-06-12', 'BindTrigger'],
    ]);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'refused credentials',
      () => apis({ secretKey: 'wrong' }).scf('GetFunction', { FunctionName: 'f' }),
      'GetFunction: the API refused the credentials from TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (AuthFailure.SignatureFailure): check the SecretId, the SecretKey and, for temporary keys, the session token',
    ],
    [
      'a session token refused',
      () => apis({ token: 'expired' }).scf('GetFunction', { FunctionName: 'f' }),
      'GetFunction: the API refused the session token from TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (AuthFailure.TokenFailure): temporary keys expire, and the token goes with the SecretId it was issued with: get a new set',
    ],
    ['a region the API does not serve', () => apis({}, 'xx-nowhere-9').scf('GetFunction', { FunctionName: 'f' }), 'GetFunction: the API does not serve region "xx-nowhere-9" (UnsupportedRegion): set REGION to the region of the archive bucket, such as ap-guangzhou'],
    ['any other error, in its own words', () => apis().scf('GetFunction', { FunctionName: 'f' }), 'GetFunction: ResourceNotFound.Function: Function f does not exist.'],
  ])('says in one line what to do about %s', async (_name, call, message) => {
    const error = await failure(call());
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error!.message).toBe(message);
  });

  it('names the endpoint it could not reach, or that answered with an HTTP error', async () => {
    const closed = await listenOnLoopback(createServer());
    await closed.close();
    const unreachable = await failure(createApis(credentials, 'ap-guangzhou', { SCF_API_ENDPOINT: closed.endpoint }).scf('GetFunction', { FunctionName: 'f' }));
    expect(unreachable).toMatchObject({ code: undefined, message: expect.stringMatching(new RegExp(`^GetFunction: could not reach ${closed.endpoint.slice(7)}: .*ECONNREFUSED`)) });
    scf.inject({ kind: 'http', status: 502 }, { times: 1 });
    expect((await failure(apis().scf('GetFunction', { FunctionName: 'f' })))!.message).toMatch(new RegExp(`^GetFunction: ${scf.endpoint.slice(7)} answered 502`));
  });

  it('refuses an endpoint that is not http(s)://host[:port], quoting it masked', () => {
    expect(() => createApis(credentials, 'ap-guangzhou', { MPS_API_ENDPOINT: 'http://user:pw@127.0.0.1:1/path' })).toThrow('MPS_API_ENDPOINT "http://******@127.0.0.1:1/path" is not http(s)://host[:port]');
  });
});
