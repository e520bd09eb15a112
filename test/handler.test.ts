import { describe, expect, it, vi } from 'vitest';
import { ForwardError, StorageError } from '../src/errors';
import type { Forwarder } from '../src/forward/scf';
import { createHandler } from '../src/handler';
import { NormalizedRecordSchema } from '../src/record';
import { captureLogs, config, context, memoryStore } from './support/doubles';
import { fixture, fixtureNames } from './support/fixtures';

const NOW = Date.parse('2026-11-22T10:15:00Z');

function setup(fail?: Parameters<typeof memoryStore>[0], forwarder?: Forwarder) {
  const store = memoryStore(fail);
  const logs = captureLogs();
  const handler = createHandler({ config, store, logger: logs.logger, forwarder, now: () => NOW });
  return { store, logs, handler };
}

describe('main_handler', () => {
  it.each(fixtureNames('events'))('archives %s as raw and normalized objects and logs one info line', async (name) => {
    const { store, logs, handler } = setup();
    const summary = await handler(fixture(name), context);
    if (summary.result !== 'archived') throw new Error(`not archived: ${JSON.stringify(summary)}`);

    const { raw, normalized } = summary.objects;
    expect(raw.key).toContain('mps-events/raw/');
    expect(normalized.key).toBe(raw.key.replace('/raw/', '/normalized/'));
    expect([...store.objects.keys()].sort()).toEqual([normalized.key, raw.key]);
    expect([raw.bytes, normalized.bytes]).toEqual([store.objects.get(raw.key)!.length, store.objects.get(normalized.key)!.length]);

    const record = NormalizedRecordSchema.parse(JSON.parse(store.objects.get(normalized.key)!.toString()));
    // A field the event gave nothing for is left out of the stored record; the summary says null.
    expect(summary).toMatchObject({ event_type: record.event_type, task_id: record.task_id ?? null, outcome: record.outcome });
    expect(record).toMatchObject({ request_id: 'req-0001', function_name: 'mps-cos-backup', received_at: '2026-11-22T10:15:00.000Z' });

    const lines = logs.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      msg: 'Event archived',
      request_id: 'req-0001',
      function_name: 'mps-cos-backup',
      event_type: record.event_type,
      task_id: record.task_id ?? null,
      status: record.status ?? null,
      outcome: record.outcome,
      raw_key: raw.key,
      normalized_key: normalized.key,
      bytes: raw.bytes + normalized.bytes,
      forwarded: 0,
      ms: 0,
    });
    expect(summary.forwarded).toEqual([]);
  });

  it.each(fixtureNames('invalid'))('records %s under errors/, warns, and returns normally', async (name) => {
    const { store, logs, handler } = setup();
    const summary = await handler(fixture(name), context);
    if (summary.result !== 'rejected') throw new Error('accepted an invalid payload');

    expect([...store.objects.keys()]).toEqual([summary.error_key]);
    expect(summary.error_key).toMatch(new RegExp(`^mps-events/errors/error_type=${summary.error_type}/dt=2026-11-22/hour=10/`));
    const record = JSON.parse(store.objects.get(summary.error_key)!.toString());
    expect(record).toMatchObject({ error_type: summary.error_type, request_id: 'req-0001', function_name: 'mps-cos-backup' });

    const [line, ...rest] = logs.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'warn', error_type: summary.error_type, error_key: summary.error_key, request_id: 'req-0001' });
    expect(line!.msg).toContain(summary.message);
  });

  it('fails the invocation when the normalized record is not stored, even though the raw object is', async () => {
    const failure = new StorageError('COS PutObject x failed with 503 ServiceUnavailable', { key: 'x', retryable: true, code: 'ServiceUnavailable', statusCode: 503, requestId: 'cos-req' });
    const { store, logs, handler } = setup((o) => (o.key.includes('/normalized/') ? failure : undefined));

    await expect(handler(fixture('events/workflow-task-success.json'), context)).rejects.toThrow(StorageError);
    expect([...store.objects.keys()]).toHaveLength(1);
    const [line] = logs.lines();
    expect(line).toMatchObject({ level: 'error', code: 'ServiceUnavailable', status_code: 503, cos_request_id: 'cos-req', request_id: 'req-0001' });
    expect(line!.msg).toMatch(/^Event not stored, SCF will retry it: COS PutObject x failed/);
    expect(line!.keys).toHaveLength(2);
  });

  it('fails the invocation when an error record cannot be stored', async () => {
    const failure = new StorageError('denied', { key: 'x', retryable: false, code: 'AccessDenied', statusCode: 403 });
    const { handler } = setup(() => failure);
    await expect(handler(fixture('invalid/missing-task.json'), context)).rejects.toThrow('denied');
  });

  it('lets an unforeseen failure through, so SCF retries it', async () => {
    const { logs, handler } = setup(() => new TypeError('unexpected'));
    await expect(handler(fixture('events/workflow-task-success.json'), context)).rejects.toThrow(TypeError);
    expect(logs.lines()[0]).toMatchObject({ level: 'error', msg: 'Event not stored, SCF will retry it: unexpected' });
  });

  it('keeps a payload whose planning failed unforeseen as an internal error record, and returns', async () => {
    const { store, logs, handler } = setup();
    let reads = 0;
    const event = {
      ...(fixture('events/workflow-task-s3-secrets.json') as object),
      get ExtInfo() {
        if (reads++ === 0) throw new TypeError('unforeseen');
        return '';
      },
    };
    const summary = await handler(event, context);
    expect(summary).toMatchObject({ result: 'rejected', error_type: 'internal', message: 'Archiving the payload failed unexpectedly (TypeError: unforeseen)' });
    if (summary.result !== 'rejected') throw new Error('archived');
    const record = JSON.parse(store.objects.get(summary.error_key)!.toString());
    expect(record).toMatchObject({ error_type: 'internal', payload: { EventType: 'WorkflowTask', ExtInfo: '' } });
    expect(JSON.stringify(record)).not.toContain('NOT-REAL');
    expect(logs.lines()).toEqual([expect.objectContaining({ level: 'error', error_type: 'internal', msg: expect.stringContaining('TypeError: unforeseen') })]);
  });

  it('archives an event nested deeper than JSON.stringify can walk, and logs it', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const { store, logs, handler } = setup();
    const summary = await handler({ ...(fixture('events/workflow-task-success.json') as object), Extra: deep }, context);
    expect(summary.result).toBe('archived');
    expect(store.objects.size).toBe(2);
    expect(logs.lines()).toEqual([expect.objectContaining({ level: 'info', msg: 'Event archived' })]);
  });

  it('archives an event sent as a JSON string, with its secrets masked', async () => {
    const { store, handler } = setup();
    const summary = await handler(JSON.stringify(fixture('events/workflow-task-s3-secrets.json')), context);
    expect(summary.result).toBe('archived');
    for (const body of store.objects.values()) expect(body.toString()).not.toContain('NOT-REAL');
  });

  it('gives the store a deadline inside the function timeout', async () => {
    const { store, handler } = setup();
    await handler(fixture('events/workflow-task-success.json'), { ...context, time_limit_in_ms: 10_000 });
    for (const { options } of store.calls) {
      expect(options.deadline).toBeGreaterThan(NOW);
      expect(options.deadline).toBeLessThan(NOW + 10_000);
    }
  });

  it('never logs the event or its secrets', async () => {
    const { logs, handler } = setup();
    await handler(fixture('events/workflow-task-s3-secrets.json'), context);
    await handler(fixture('events/workflow-task-credentials-in-values.json'), context);
    await handler(fixture('invalid/invalid-with-secrets.json'), context);
    const text = logs.text();
    expect(text).not.toMatch(/NOT-REAL|FIXTURE|0f1f2f3f4f5f6f7f8f9fafbfcfdfefff/);
    expect(text).not.toContain('S3SecretKey');
    expect(text).not.toContain('MediaProcessResultSet');
  });

  it('keeps every log line short, whatever the size of the TaskId', async () => {
    const event = fixture('events/workflow-task-success.json') as { WorkflowTaskEvent: { TaskId: string } };
    event.WorkflowTaskEvent.TaskId = `${'t'.repeat(6_000_000)}`;
    const { logs, handler } = setup();
    const summary = await handler(event, context);
    expect(summary.result).toBe('archived');
    const lines = logs.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(8_192);
  });

  it('works without a context, as a local call would', async () => {
    const { handler } = setup();
    const summary = await handler(fixture('events/edit-media-task-success.json'), undefined);
    expect(summary.result).toBe('archived');
  });
});

describe('main_handler with forwarding', () => {
  const forwarded = [{ target: 'default/notify:$LATEST', mode: 'full' as const, bytes: 10, request_id: 'inv-1' }];

  it('hands the archived event on after both objects are stored', async () => {
    const forward = vi.fn<Forwarder['forward']>().mockResolvedValue(forwarded);
    const { store, logs, handler } = setup(undefined, { forward });
    const summary = await handler(fixture('events/workflow-task-s3-secrets.json'), context);
    if (summary.result !== 'archived') throw new Error('not archived');

    expect(forward).toHaveBeenCalledTimes(1);
    const [event, options] = forward.mock.calls[0]!;
    const { raw, normalized } = summary.objects;
    expect(event).toEqual({
      raw: store.objects.get(raw.key),
      eventType: 'WorkflowTask',
      taskId: '1250000000-WorkflowTask-5ec5ec5ec5ec5ec5ec5ec5ec5ec5ec5ett5',
      status: 'FINISH',
      bucket: config.bucket,
      region: config.region,
      rawKey: raw.key,
      normalizedKey: normalized.key,
    });
    expect(event.raw.toString()).not.toContain('NOT-REAL');
    expect(options.deadline).toBeLessThan(NOW + context.time_limit_in_ms);
    expect(summary.forwarded).toEqual(forwarded);
    expect(logs.lines().at(-1)).toMatchObject({ msg: 'Event archived', forwarded: 1 });
  });

  it('does not forward a payload it rejected', async () => {
    const forward = vi.fn<Forwarder['forward']>();
    const { handler } = setup(undefined, { forward });
    await handler(fixture('invalid/missing-task.json'), context);
    expect(forward).not.toHaveBeenCalled();
  });

  it('does not forward an event it could not store', async () => {
    const forward = vi.fn<Forwarder['forward']>();
    const failure = new StorageError('down', { key: 'x', retryable: true, code: 'InternalError', statusCode: 500 });
    const { handler } = setup(() => failure, { forward });
    await expect(handler(fixture('events/workflow-task-success.json'), context)).rejects.toThrow('down');
    expect(forward).not.toHaveBeenCalled();
  });

  it('fails the invocation when a target was not invoked, so that SCF retries the event', async () => {
    const failure = new ForwardError('Invoke default/gone:$LATEST failed with ResourceNotFound.Function', {
      target: 'default/gone:$LATEST',
      retryable: false,
      code: 'ResourceNotFound.Function',
    });
    const { store, logs, handler } = setup(undefined, { forward: vi.fn<Forwarder['forward']>().mockRejectedValue(failure) });
    await expect(handler(fixture('events/workflow-task-success.json'), context)).rejects.toThrow(ForwardError);
    expect(store.objects.size).toBe(2);
    expect(logs.lines().at(-1)).toMatchObject({
      level: 'error',
      target: 'default/gone:$LATEST',
      code: 'ResourceNotFound.Function',
      msg: expect.stringMatching(/^Event archived but not forwarded, SCF will retry it: Invoke default\/gone/),
    });
  });
});

// The forms the systems around MPS emit credentials in, in each place an event can carry them.
describe('main_handler, with credentials in an event', () => {
  const SECRET = 'Zq9Planted7x';
  const FORMS: [form: string, text: string][] = [
    ['S3 signature version 2', `Authorization: AWS AKIAIOSFODNN7EXAMPLE:${SECRET}=`],
    ['TC3-HMAC-SHA256', `Authorization: TC3-HMAC-SHA256 Credential=AKID${SECRET}/2026-11-30/scf/tc3_request, SignedHeaders=host, Signature=${SECRET}`],
    ["COS's Authorization", `Authorization: q-sign-algorithm=sha1&q-ak=AKID${SECRET}&q-sign-time=1;2&q-key-time=1;2&q-header-list=host&q-url-param-list=&q-signature=${SECRET}`],
    ['a presigned COS URL', `https://b-1250000000.cos.ap-guangzhou.myqcloud.com/in.mp4?q-ak=AKID${SECRET}&q-signature=${SECRET}&x-cos-security-token=${SECRET}`],
    ['userinfo', `rtmp://pusher:${SECRET}@live.example.com/app`],
    ["S3's error", `<Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIA${SECRET}</AWSAccessKeyId><SignatureProvided>${SECRET}</SignatureProvided></Error>`],
    ['a PEM private key', `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${SECRET}\n-----END RSA PRIVATE KEY-----`],
    ['a glued name', `password=rtmp://u:pw@h/live?token: ${SECRET}`],
  ];
  const event = fixture('events/workflow-task-success.json') as { WorkflowTaskEvent: Record<string, unknown> };
  const PLACES: [place: string, payload: (text: string) => unknown][] = [
    ['the TaskId, which the keys and the log line hold', (text) => ({ ...event, WorkflowTaskEvent: { ...event.WorkflowTaskEvent, TaskId: `task ${text}` } })],
    ['the Status, a partition of the keys', (text) => ({ ...event, WorkflowTaskEvent: { ...event.WorkflowTaskEvent, Status: text } })],
    ['SessionContext, as JSON', (text) => ({ ...event, SessionContext: JSON.stringify({ request: text }) })],
    ['a key', (text) => ({ ...event, ExtInfo: { [text]: 1 } })],
    ['an event that is not valid, in its error record', (text) => ({ EventType: 'WorkflowTask', WorkflowTaskEvent: { Message: text } })],
    ['an event encoded twice', (text) => JSON.stringify({ ...event, WorkflowTaskEvent: { ...event.WorkflowTaskEvent, TaskId: text } })],
  ];

  it.each(PLACES.flatMap(([place, payload]) => FORMS.map(([form, text]) => [form, place, payload(text)] as const)))(
    'keeps none of %s, in %s, in any object, key, log line or forwarded payload',
    async (_form, _place, payload) => {
      const forwarded: Buffer[] = [];
      const forward = vi.fn<Forwarder['forward']>(async (archived) => {
        forwarded.push(archived.raw, Buffer.from(JSON.stringify(archived)));
        return [];
      });
      const { store, logs, handler } = setup(undefined, { forward });
      const summary = await handler(payload, context);
      const kept = [JSON.stringify(summary), logs.text(), ...forwarded.map(String), ...[...store.objects].map(([key, body]) => `${key} ${body.toString()}`)].join('\n');
      expect(store.objects.size).toBeGreaterThan(0);
      expect(kept).not.toContain(SECRET);
    },
  );
});
