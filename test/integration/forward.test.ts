import { afterEach, describe, expect, it } from 'vitest';
import { randomKeys } from '../../scripts/local-cos/keys';
import { startLocalScf, type LocalScf, type ScfFault } from '../../scripts/local-scf/server';
import { ForwardError } from '../../src/errors';
import { createScfForwarder } from '../../src/forward/scf';
import { parseTargets } from '../../src/config';
import { context } from '../support/doubles';
import { fixture } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';

/*
 * Forwarding with the real SCF SDK over HTTP, against a local server that checks its
 * TC3-HMAC-SHA256 signature and answers as the SCF API does; the archive goes to the local COS.
 */

const event = fixture('events/workflow-task-docs-sample.json');

describe('forwarding to other functions', () => {
  let scf: LocalScf;
  let world: LocalWorld;
  let keys: ReturnType<typeof randomKeys>;

  async function setUp(targets: string, secretKey?: string) {
    keys = randomKeys();
    scf = await startLocalScf({ keys: { ...keys, token: 'session-token' }, functions: ['notify', 'prod/index'] });
    const credentials = { secretId: keys.secretId, secretKey: secretKey ?? keys.secretKey, sessionToken: 'session-token' };
    const forwarder = createScfForwarder(
      { forwardTo: parseTargets(targets, undefined).targets, functionRegion: 'ap-guangzhou', scfEndpoint: { protocol: 'http://', host: scf.endpoint.slice('http://'.length) } },
      { credentials: () => credentials },
    );
    world = await startLocalWorld({ forwarder });
  }
  afterEach(async () => {
    await scf?.close();
    await world?.close();
  });

  it('invokes every target asynchronously with the archived event', async () => {
    await setUp('notify, prod/index:live');
    const summary = await world.handler(event, context);
    if (summary.result !== 'archived') throw new Error('not archived');
    const raw = (await world.getObject(summary.objects.raw.key)).toString();

    expect(scf.invocations.map(({ functionName, namespace, qualifier, invocationType, error }) => ({ functionName, namespace, qualifier, invocationType, error }))).toEqual([
      { functionName: 'notify', namespace: 'default', qualifier: '$LATEST', invocationType: 'Event', error: undefined },
      { functionName: 'index', namespace: 'prod', qualifier: 'live', invocationType: 'Event', error: undefined },
    ]);
    for (const invocation of scf.invocations) expect(invocation.clientContext).toBe(raw);
    expect(summary.forwarded.map((f) => f.request_id).sort()).toEqual(scf.invocations.map((i) => i.requestId).sort());
    expect(world.logs.lines().filter((l) => l.msg === 'Event forwarded')).toHaveLength(2);
  });

  it('forwards a pointer that the receiver can follow to the archive, for an event over 128 KB', async () => {
    await setUp('notify');
    const big = structuredClone(event) as { WorkflowTaskEvent: Record<string, unknown> };
    big.WorkflowTaskEvent.AiAnalysisResultSet = Array.from({ length: 1_500 }, (_, i) => ({
      Type: 'Tag',
      TagTask: { Status: 'SUCCESS', ErrCode: 0, Message: 'SUCCESS', Output: { TagSet: [{ Tag: `tag-${i}`, Confidence: 0.9 }] } },
    }));
    const summary = await world.handler(big, context);
    if (summary.result !== 'archived') throw new Error('not archived');
    expect(summary.objects.raw.bytes).toBeGreaterThan(128 * 1024);
    expect(summary.forwarded[0]!.mode).toBe('pointer');

    const [invocation] = scf.invocations;
    expect(invocation!.error).toBeUndefined();
    const pointer = JSON.parse(invocation!.clientContext);
    expect(pointer).toMatchObject({ EventType: 'WorkflowTask', Status: 'FINISH', pointer: true, archive: { bucket: world.config.bucket, region: world.config.region } });
    const followed = JSON.parse((await world.getObject(pointer.archive.raw_key)).toString());
    expect(followed.WorkflowTaskEvent.AiAnalysisResultSet).toHaveLength(1_500);
  });

  it.each<[string, ScfFault, number]>([
    ['LimitExceeded', { kind: 'error', code: 'LimitExceeded' }, 1],
    ['InternalError', { kind: 'error', code: 'InternalError' }, 2],
    ['a dropped connection', { kind: 'reset' }, 1],
    ['a 502', { kind: 'http', status: 502 }, 1],
  ])('retries %s and then invokes the target', async (_name, fault, times) => {
    await setUp('notify');
    scf.inject(fault, { times });
    const summary = await world.handler(event, context);
    expect(summary.result).toBe('archived');
    expect(scf.invocations).toHaveLength(times + 1);
    expect(scf.invocations.at(-1)!.error).toBeUndefined();
  });

  it('rejects, naming the target, when a function does not exist', async () => {
    await setUp('notify, missing');
    const run = world.handler(event, context);
    await expect(run).rejects.toThrow(ForwardError);
    await expect(run).rejects.toMatchObject({ code: 'ResourceNotFound.Function', target: 'default/missing:$LATEST', retryable: false });
    expect(scf.invocations.filter((i) => i.functionName === 'missing')).toHaveLength(1);
    expect(world.logs.lines().find((l) => l.level === 'error' && l.target === 'default/missing:$LATEST')).toBeDefined();
    expect(world.built.size).toBe(2);
  });

  it('rejects after a bounded retry when SCF keeps failing', async () => {
    await setUp('notify');
    scf.inject({ kind: 'error', code: 'InternalError' });
    const started = Date.now();
    await expect(world.handler(event, { ...context, time_limit_in_ms: 3_000 })).rejects.toMatchObject({ code: 'InternalError', retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(scf.invocations).toHaveLength(4);
  });

  it('rejects a wrong secret key (AuthFailure) without retrying it', async () => {
    await setUp('notify', 'not-the-key');
    await expect(world.handler(event, context)).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure', retryable: false });
    expect(scf.invocations.map((i) => i.error)).toEqual(['AuthFailure.SignatureFailure']);
  });

  it('ends a hung invocation within the time budget', async () => {
    await setUp('notify');
    scf.inject({ kind: 'hang' });
    const started = Date.now();
    await expect(world.handler(event, { ...context, time_limit_in_ms: 3_000 })).rejects.toMatchObject({ code: 'NetworkError', retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
