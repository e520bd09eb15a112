import { describe, expect, it, vi } from 'vitest';
import { ForwardError } from '../../src/errors';
import { ASYNC_EVENT_LIMIT, type ArchivedEvent } from '../../src/forward/payload';
import { createScfForwarder, toForwardError, type ScfClientFactory } from '../../src/forward/scf';
import { parseTargets } from '../../src/config';
import { captureLogs } from '../support/doubles';

const event: ArchivedEvent = {
  raw: Buffer.from('{"EventType":"EditMediaTask","EditMediaTaskEvent":{"TaskId":"t-1","Status":"FINISH"}}'),
  eventType: 'EditMediaTask',
  taskId: 't-1',
  status: 'FINISH',
  bucket: 'archive-1250000000',
  region: 'ap-guangzhou',
  rawKey: 'raw.json',
  normalizedKey: 'normalized.json',
};
const noDelay = { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0, minAttemptMs: 10 };
const credentials = () => ({ secretId: 'AKID-test', secretKey: 'key-test', sessionToken: 'token-test' });
const apiError = (code: string) => Object.assign(new Error(`${code} message`), { code, requestId: `req-${code}` });

/** An SCF SDK double: each Invoke takes the next outcome for its function. */
function fakeSdk(outcomes: Record<string, (Error | 'ok')[]> = {}) {
  const calls: { options: Parameters<ScfClientFactory>[0]; params: Record<string, unknown> }[] = [];
  const newClient = vi.fn<ScfClientFactory>(async (options) => ({
    Invoke: vi.fn(async (params) => {
      calls.push({ options, params });
      const outcome = outcomes[params.FunctionName!]?.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      return { RequestId: `inv-${calls.length}`, Result: { FunctionRequestId: 'f-1' } } as never;
    }),
  }));
  return { newClient, calls };
}

function forwarder(targets: string, sdk: ReturnType<typeof fakeSdk>, extra: { scfEndpoint?: { protocol: 'http://'; host: string } } = {}) {
  return createScfForwarder(
    { forwardTo: parseTargets(targets, undefined).targets, functionRegion: 'ap-shanghai', scfEndpoint: extra.scfEndpoint },
    { credentials, newClient: sdk.newClient, retryPolicy: noDelay },
  );
}

describe('createScfForwarder', () => {
  it('invokes every target asynchronously with the event, and says so in one log line each', async () => {
    const sdk = fakeSdk();
    const logs = captureLogs();
    const result = await forwarder('notify, prod/index:live', sdk).forward(event, { deadline: Date.now() + 10_000, log: logs.logger });

    expect(sdk.calls.map((c) => c.params)).toEqual([
      { FunctionName: 'notify', Namespace: 'default', Qualifier: '$LATEST', InvocationType: 'Event', ClientContext: event.raw.toString() },
      { FunctionName: 'index', Namespace: 'prod', Qualifier: 'live', InvocationType: 'Event', ClientContext: event.raw.toString() },
    ]);
    expect(result).toEqual([
      { target: 'default/notify:$LATEST', mode: 'full', bytes: event.raw.length, request_id: 'inv-1' },
      { target: 'prod/index:live', mode: 'full', bytes: event.raw.length, request_id: 'inv-2' },
    ]);
    expect(logs.lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Event forwarded', target: 'default/notify:$LATEST', invoke_request_id: 'inv-1', bytes: event.raw.length, mode: 'full', ms: expect.any(Number) }),
      expect.objectContaining({ level: 'info', msg: 'Event forwarded', target: 'prod/index:live', invoke_request_id: 'inv-2' }),
    ]);
  });

  it('builds the client with the role credentials, the function region and a timeout within the deadline', async () => {
    const sdk = fakeSdk();
    await forwarder('notify', sdk).forward(event, { deadline: Date.now() + 3_000, log: captureLogs().logger });
    const { options } = sdk.calls[0]!;
    expect(options.credential).toEqual({ secretId: 'AKID-test', secretKey: 'key-test', token: 'token-test' });
    expect(options.region).toBe('ap-shanghai');
    expect(options.profile?.httpProfile?.reqTimeout).toBeGreaterThan(2);
    expect(options.profile?.httpProfile?.reqTimeout).toBeLessThanOrEqual(3);
    expect(options.profile?.httpProfile).not.toHaveProperty('endpoint');
  });

  it('sends API calls to SCF_API_ENDPOINT when set', async () => {
    const sdk = fakeSdk();
    await forwarder('notify', sdk, { scfEndpoint: { protocol: 'http://', host: '127.0.0.1:9001' } }).forward(event, { deadline: Date.now() + 10_000, log: captureLogs().logger });
    expect(sdk.calls[0]!.options.profile?.httpProfile).toMatchObject({ endpoint: '127.0.0.1:9001', protocol: 'http://' });
  });

  it('forwards a pointer for an event over the async limit', async () => {
    const sdk = fakeSdk();
    const big = { ...event, raw: Buffer.alloc(ASYNC_EVENT_LIMIT + 1, 'x') };
    const [result] = await forwarder('notify', sdk).forward(big, { deadline: Date.now() + 10_000, log: captureLogs().logger });
    expect(result!.mode).toBe('pointer');
    expect(JSON.parse(String(sdk.calls[0]!.params.ClientContext))).toMatchObject({ pointer: true, archive: { raw_key: 'raw.json' } });
  });

  it.each(['LimitExceeded', 'RequestLimitExceeded', 'InternalError', 'InternalError.System', 'ResourceUnavailable'])('retries %s, then succeeds', async (code) => {
    const sdk = fakeSdk({ notify: [apiError(code), apiError(code)] });
    const logs = captureLogs();
    const [result] = await forwarder('notify', sdk).forward(event, { deadline: Date.now() + 10_000, log: logs.logger });
    expect(result!.request_id).toBe('inv-3');
    expect(logs.lines().filter((l) => l.msg === 'Forward failed, retrying')).toHaveLength(2);
  });

  it('retries a network fault and a 5xx answer', async () => {
    const network = Object.assign(new Error('request to http://x failed, reason: socket hang up'), { requestId: '' });
    const http = Object.assign(new Error('Bad Gateway'), { httpCode: 502 });
    const sdk = fakeSdk({ notify: [network, http] });
    await forwarder('notify', sdk).forward(event, { deadline: Date.now() + 10_000, log: captureLogs().logger });
    expect(sdk.calls).toHaveLength(3);
  });

  it.each(['ResourceNotFound.Function', 'ResourceNotFound.Namespace', 'UnauthorizedOperation', 'UnauthorizedOperation.CAM', 'AuthFailure.SignatureFailure', 'InvalidParameterValue'])(
    'does not retry %s, logs the target as an error and throws',
    async (code) => {
      const sdk = fakeSdk({ gone: [apiError(code)] });
      const logs = captureLogs();
      const forward = forwarder('notify,gone', sdk).forward(event, { deadline: Date.now() + 10_000, log: logs.logger });
      await expect(forward).rejects.toThrow(ForwardError);
      await expect(forward).rejects.toMatchObject({ target: 'default/gone:$LATEST', code, retryable: false, requestId: `req-${code}` });
      expect(sdk.calls.map((c) => c.params.FunctionName)).toEqual(['notify', 'gone']);
      expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ target: 'default/gone:$LATEST', code, msg: expect.stringContaining('Forward to default/gone:$LATEST failed') });
    },
  );

  it('throws a retryable error once the retries are spent', async () => {
    const sdk = fakeSdk({ notify: Array(4).fill(apiError('LimitExceeded')) });
    await expect(forwarder('notify', sdk).forward(event, { deadline: Date.now() + 10_000, log: captureLogs().logger })).rejects.toMatchObject({
      code: 'LimitExceeded',
      retryable: true,
    });
    expect(sdk.calls).toHaveLength(4);
  });
});

describe('toForwardError', () => {
  it.each([
    [{ code: 'LimitExceeded', requestId: 'r' }, 'LimitExceeded', true],
    [{ code: 'ResourceNotFound.Function' }, 'ResourceNotFound.Function', false],
    [{ httpCode: 503 }, 'HTTP503', true],
    [{ httpCode: 429 }, 'HTTP429', true],
    [{ httpCode: 400 }, 'HTTP400', false],
    [{ message: 'network timeout at: http://x' }, 'NetworkError', true],
    [undefined, 'NetworkError', true],
  ])('reads %j as %s (retryable: %s)', (thrown, code, retryable) => {
    expect(toForwardError(thrown, 'default/f:$LATEST')).toMatchObject({ code, retryable, target: 'default/f:$LATEST' });
  });
});
