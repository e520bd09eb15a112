import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../src/errors';
import { toJson } from '../src/json';
import { createMasking } from '../src/mask/text';
import { maskWalk } from '../src/mask/walk';
import { OVERSIZE_BYTES } from '../src/oversize';
import { plan, planFailure, type Plan } from '../src/plan';
import { ErrorRecordSchema, NormalizedRecordSchema } from '../src/record';
import type { StoredObject } from '../src/store/store';
import { fixture, fixtureNames } from './support/fixtures';

const layout = { prefix: 'mps-events', timeZone: 'UTC' };

/** The fixtures' fake credentials: "FIXTURE…" text, or one hex string where a signature must be hex. */
const FAKE_CREDENTIAL = /FIXTURE|0f1f2f3f4f5f6f7f8f9fafbfcfdfefff/;

/**
 * `kept` is `given` with nothing changed but its credentials: every string that holds a fake
 * credential (and MPS's Sign) is masked and no longer holds it; every other value is as given.
 */
function expectMaskedCopy(kept: unknown, given: unknown, key = ''): void {
  if (typeof given === 'string' && (FAKE_CREDENTIAL.test(given) || key === 'Sign')) {
    expect(kept).toMatch(/\*{6}/);
    expect(kept).not.toMatch(FAKE_CREDENTIAL);
  } else if (given !== null && typeof given === 'object') {
    expect(Object.keys(kept as object)).toEqual(Object.keys(given));
    for (const [k, v] of Object.entries(given)) expectMaskedCopy((kept as Record<string, unknown>)[k], v, k);
  } else {
    expect(kept).toEqual(given);
  }
}
/** Every object a plan writes, whatever their names. */
const objectsOf = (p: Plan) => Object.values<StoredObject>(p.objects);

/** The error record of a payload that must be rejected. */
function errorObject(p: Plan): StoredObject {
  if (p.kind !== 'reject') throw new Error('accepted an invalid payload');
  return p.objects.error;
}

/** The two objects of a payload that must be archived. */
function archived(p: Plan) {
  if (p.kind !== 'archive') throw new Error(`rejected: ${p.error.message}`);
  return p.objects;
}

const invocation = {
  requestId: 'req-1',
  functionName: 'fn',
  receivedAt: new Date('2026-11-22T10:15:00Z'),
  deadline: Number.MAX_SAFE_INTEGER,
};

describe('plan', () => {
  it.each(fixtureNames('events'))('plans %s as a raw object and a normalized record', (name) => {
    const payload = fixture(name);
    const p = plan(payload, invocation, layout);
    if (p.kind !== 'archive') throw new Error(`rejected: ${p.error.message}`);
    expect(Object.keys(p.objects)).toEqual(['raw', 'normalized']);
    const { raw, normalized } = p.objects;
    expect(raw.key).toMatch(/^mps-events\/raw\/event_type=\w+\/dt=2026-11-22\/hour=10\/[^/]+\.json$/);
    expect(normalized.key).toBe(raw.key.replace('/raw/', '/normalized/'));
    // The raw object is the event as received: every field, unknown ones too, credentials masked.
    expectMaskedCopy(JSON.parse(raw.body.toString()), payload);
    const text = normalized.body.toString();
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd()).not.toContain('\n');
    const record = NormalizedRecordSchema.parse(JSON.parse(text));
    expect(record.raw_key).toBe(raw.key);
    expect(record.event_id).toBe(createHash('md5').update(raw.body).digest('hex'));
    for (const o of objectsOf(p)) expect(o.md5).toBe(createHash('md5').update(o.body).digest('base64'));
    expect(raw.key).toContain(`_${record.event_id.slice(0, 16)}.json`);
  });

  it('gives a redelivered event the same keys and bytes, and another event of the task other keys', () => {
    const first = archived(plan(fixture('events/workflow-task-success.json'), invocation, layout));
    const again = archived(plan(fixture('events/workflow-task-success.json'), { ...invocation, requestId: 'req-2', receivedAt: new Date('2026-11-22T10:16:00Z') }, layout));
    const processing = archived(plan(fixture('events/workflow-task-processing.json'), invocation, layout));
    expect([again.raw.key, again.normalized.key]).toEqual([first.raw.key, first.normalized.key]);
    expect(again.raw.body).toEqual(first.raw.body);
    const keys = new Set([first.raw, first.normalized, processing.raw, processing.normalized].map((o) => o.key));
    expect(keys.size).toBe(4);
  });

  it('masks credentials inside values in both objects, and keeps the URLs recognisable', () => {
    const p = plan(fixture('events/workflow-task-credentials-in-values.json'), invocation, layout);
    if (p.kind !== 'archive') throw new Error(`rejected: ${p.error.message}`);
    for (const o of objectsOf(p)) expect(o.body.toString()).not.toMatch(FAKE_CREDENTIAL);
    expect(p.record.inputs[0]!.url).toBe(
      'https://example-input-1250000000.cos.ap-guangzhou.myqcloud.com/in/talk.mp4?q-sign-algorithm=sha1&q-ak=******&q-sign-time=1764460800;1764464400&q-key-time=1764460800;1764464400&q-header-list=host&q-url-param-list=&q-signature=******&x-cos-security-token=******',
    );
    expect(p.record.message).toBe('source fetched from ftp://******@files.example.com/in/talk.mp4');
    expect(JSON.parse(p.record.session_context!)).toEqual({ order: 'A-1002', callback: { url: 'https://hooks.example.com/mps', password: '******' } });
  });

  it('masks secrets in the raw object', () => {
    const p = plan(fixture('events/workflow-task-s3-secrets.json'), invocation, layout);
    const all = objectsOf(p).map((o) => o.body.toString()).join('\n');
    expect(all).not.toContain('NOT-REAL');
    expect(all).toContain('"S3SecretKey":"******"');
    expect(all).toContain('"password":"******"');
  });

  it.each(fixtureNames('invalid'))('plans %s as one error record holding the payload', (name) => {
    const payload = fixture(name);
    const p = plan(payload, invocation, layout);
    if (p.kind !== 'reject') throw new Error('accepted an invalid payload');
    expect(p.error).toBeInstanceOf(InvalidEventError);
    expect(Object.keys(p.objects)).toEqual(['error']);
    const object = p.objects.error;
    expect(object.key).toMatch(new RegExp(`^mps-events/errors/error_type=${p.error.kind}/dt=2026-11-22/hour=10/[0-9a-f]{16}\\.json$`));
    const record = ErrorRecordSchema.parse(JSON.parse(object.body.toString()));
    expect(record).toMatchObject({
      schema_version: 1,
      error_type: p.error.kind,
      message: p.error.message,
      received_at: '2026-11-22T10:15:00.000Z',
      request_id: 'req-1',
      function_name: 'fn',
    });
    expect(record.issues.length).toBeGreaterThan(0);
    expect(record.issues).toEqual(p.error.issues);
    expect(object.body.toString()).not.toContain('NOT-REAL');
  });

  it('keeps the payload of an error record as received, secrets masked', () => {
    const record = JSON.parse(errorObject(plan(fixture('invalid/invalid-with-secrets.json'), invocation, layout)).body.toString());
    expect(record.payload.WorkflowTaskEvent.InputInfo.S3InputInfo).toEqual({
      S3Bucket: 'example-s3-bucket',
      S3Region: 'us-east-1',
      S3Object: '/input/movie.mp4',
      S3SecretId: '******',
      S3SecretKey: '******',
    });
    expect(record.issues).toEqual([{ path: ['WorkflowTaskEvent', 'TaskId'], code: 'invalid_type', message: 'TaskId must be a string' }]);
  });

  it('archives an event without a TaskId or Status (a BatchTask) under "_" for each', () => {
    const p = plan(fixture('events/batch-task.json'), invocation, layout);
    if (p.kind !== 'archive') throw new Error(`rejected: ${p.error.message}`);
    expect(p.objects.raw.key).toMatch(/^mps-events\/raw\/event_type=BatchTask\/dt=2026-11-22\/hour=10\/____[0-9a-f]{16}\.json$/);
    expect(p.record).toMatchObject({ task_id: null, status: null });
    // The stored record leaves them out: null is what they read as.
    expect(JSON.parse(p.objects.normalized.body.toString())).not.toHaveProperty('task_id');
  });

  it('archives an undocumented EventType under its own name, whole, as its partition', () => {
    const type = `Future${'X'.repeat(58)}`;
    const p = plan({ EventType: type, [`${type}Event`]: { TaskId: 't-1', Status: 'FINISH' } }, invocation, layout);
    if (p.kind !== 'archive') throw new Error(`rejected: ${p.error.message}`);
    expect(p.objects.raw.key).toContain(`/raw/event_type=${type}/dt=2026-11-22/hour=10/t-1_FINISH_`);
    expect(p.record).toMatchObject({ event_type: type, task_id: 't-1', outcome: 'succeeded' });
  });

  it('records an invocation with no event at all', () => {
    const p = plan(undefined, invocation, layout);
    expect(JSON.parse(errorObject(p).body.toString())).toMatchObject({ error_type: 'not_an_object', payload: null });
  });

  it('plans any JSON value without throwing, into clean keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        const p = plan(payload, invocation, layout);
        expect(objectsOf(p).length).toBeGreaterThan(0);
        for (const o of objectsOf(p)) expect(o.key.startsWith('mps-events/')).toBe(true);
        expect(objectsOf(plan(payload, invocation, layout)).map((o) => o.key)).toEqual(objectsOf(p).map((o) => o.key));
      }),
      { numRuns: 300 },
    );
  });

  it('archives an event that arrives as a JSON string, secrets masked, as if it had arrived parsed', () => {
    const event = fixture('events/workflow-task-s3-secrets.json');
    const fromString = plan(JSON.stringify(event), invocation, layout);
    const fromBytes = plan(Buffer.from(JSON.stringify(event)), invocation, layout);
    const parsed = plan(event, invocation, layout);
    expect(fromString.kind).toBe('archive');
    expect(fromString.objects).toEqual(parsed.objects);
    expect(fromBytes.objects).toEqual(parsed.objects);
    expect(archived(fromString).raw.body.toString()).not.toContain('NOT-REAL');
  });

  // A console test or an API Invoke may encode the event twice; a file saved on Windows starts with a byte order mark.
  it.each<[string, (text: string) => unknown]>([
    ['encoded twice', (text) => JSON.stringify(text)],
    ['encoded twice, with a byte order mark inside', (text) => JSON.stringify(`\uFEFF${text}`)],
    ['as bytes with a byte order mark', (text) => Buffer.from(`\uFEFF${text}`)],
    ['as bytes that went through JSON, with a byte order mark', (text) => JSON.parse(JSON.stringify(Buffer.from(`\uFEFF${text}`)))],
  ])('archives an event that arrives %s as the event it holds', (_how, encode) => {
    const event = fixture('events/workflow-task-s3-secrets.json');
    const planned = plan(encode(JSON.stringify(event)), invocation, layout);
    expect(planned.kind).toBe('archive');
    expect(planned.objects).toEqual(plan(event, invocation, layout).objects);
  });

  it('records text that holds no JSON as text, masked by the same rules', () => {
    const p = plan(Buffer.from('EventType=WorkflowTask&S3SecretKey=FIXTURE-NOT-REAL&password=hunter2'), invocation, layout);
    const record = JSON.parse(errorObject(p).body.toString());
    expect(record).toMatchObject({ error_type: 'not_an_object', payload: 'EventType=WorkflowTask&S3SecretKey=******&password=******' });
  });

  it('archives an event nested deeper than JSON.stringify can walk, byte for byte', () => {
    let deep: unknown = { end: true };
    for (let i = 0; i < 20_000; i++) deep = { next: [deep] };
    const event = { ...(fixture('events/workflow-task-success.json') as object), Extra: deep };
    expect(() => JSON.stringify(event)).toThrow(RangeError);
    const raw = archived(plan(event, invocation, layout)).raw.body.toString();
    expect(raw.startsWith('{"EventType":"WorkflowTask"')).toBe(true);
    expect(raw.endsWith(`{"end":true}${']}'.repeat(20_000)}}`)).toBe(true);
  });

  it('records a payload nested deeper than JSON.stringify can walk that is not an event', () => {
    let deep: unknown = 'password=hunter2';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const body = errorObject(plan(deep, invocation, layout)).body.toString();
    expect(body).toContain(`${'['.repeat(20_000)}"password=******"`);
    expect(body).not.toContain('hunter2');
  });
});

/** A WorkflowTask event padded with text in `Notes` to `bytes` of JSON, `task` merged into its task. */
function eventOf(bytes: number, task: Record<string, unknown> = {}): Record<string, unknown> {
  const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't-1', Status: 'FINISH', ErrCode: 0, ...task, MediaProcessResultSet: [{ Type: 'Transcode', TranscodeTask: { Status: 'FAIL' } }] }, Notes: '' };
  event.Notes = 'x'.repeat(bytes - toJson(event).length);
  return event;
}

/** As the oversize path masks a value: string by string, JSON inside strings read as text. */
const maskedAsText = (value: unknown) => toJson(maskWalk(value, createMasking(false).text).value);

describe('plan, for a payload over OVERSIZE_BYTES', () => {
  it('normalizes an event of OVERSIZE_BYTES in full, and reads one a byte larger as text', () => {
    const record = (p: Plan) => NormalizedRecordSchema.parse(JSON.parse(archived(p).normalized.body.toString()));
    const atBound = record(plan(eventOf(OVERSIZE_BYTES), invocation, layout));
    expect(atBound).toMatchObject({ outcome: 'failed' });
    expect(atBound).not.toHaveProperty('oversize');
    expect(atBound.outputs).toHaveLength(1);
    expect(record(plan(eventOf(OVERSIZE_BYTES + 1), invocation, layout))).toMatchObject({ oversize: { bytes: OVERSIZE_BYTES + 1, limit: OVERSIZE_BYTES }, outputs: [] });
  });

  it('archives it whole, masked string by string, with a record of its head that says it was not normalized', () => {
    const event = { ...eventOf(OVERSIZE_BYTES * 2, { TaskId: 'https://u:hunter2@h.example.com/t', Message: 'token=hunter2' }), S3SecretKey: { nested: 'hunter2' } };
    const { raw, normalized } = archived(plan(event, invocation, layout));
    const eventId = createHash('md5').update(raw.body).digest('hex');
    expect(raw.body.toString()).toBe(maskedAsText(event));
    expect(raw.body.toString()).not.toContain('hunter2');
    expect(raw.key).toBe(`mps-events/raw/event_type=WorkflowTask/dt=2026-11-22/hour=10/https__________h.example.com_t_FINISH_${eventId.slice(0, 16)}.json`);
    expect(raw.md5).toBe(createHash('md5').update(raw.body).digest('base64'));
    const record = NormalizedRecordSchema.parse(JSON.parse(normalized.body.toString()));
    expect(record).toMatchObject({
      event_id: eventId,
      event_type: 'WorkflowTask',
      task_id: 'https://******@h.example.com/t',
      status: 'FINISH',
      err_code: 0,
      message: 'token=******',
      // FINISH with ErrCode 0: the sub-tasks, not read, would tell.
      outcome: 'unknown',
      inputs: [],
      outputs: [],
      ai_results: [],
      raw_key: raw.key,
      oversize: { bytes: Buffer.byteLength(toJson(event)), limit: OVERSIZE_BYTES },
    });
    expect(record).not.toHaveProperty('media');
  });

  it.each([
    ['ScheduleTask', 'ScheduleTaskEvent'],
    ['BatchTask', 'BatchTaskEvent'],
    ['ExtractBlindWatermark', 'ExtractBlindWatermarkTask'],
    ['LiveRecordTask', 'LiveRecordTaskEvent'],
  ])('archives a %s read as text under its own type, with its task id and ErrCodeExt', (type, body) => {
    const event = { EventType: type, [body]: { TaskId: 't-9', Status: 'FINISH', ErrCode: 0, ErrCodeExt: 'InternalError', Notes: 'x'.repeat(OVERSIZE_BYTES) } };
    const { raw, normalized } = archived(plan(event, invocation, layout));
    expect(raw.key).toContain(`/event_type=${type}/`);
    expect(JSON.parse(normalized.body.toString())).toMatchObject({ event_type: type, task_id: 't-9', err_code_ext: 'InternalError', oversize: { limit: OVERSIZE_BYTES } });
  });

  it('reads the body of an undocumented type wherever it stands, among fields named like bodies', () => {
    const task = JSON.stringify({ TaskId: 't-9', Status: 'FINISH', Message: 'token=hunter2' });
    const text = `{"a1Event":{"TaskId":"no"},"LiveRecordTaskEvent":${task},"EventType":"WorkflowTask","EventType":"LiveRecordTask","Notes":"${'x'.repeat(OVERSIZE_BYTES)}"}`;
    const { normalized } = archived(plan(text, invocation, layout));
    expect(JSON.parse(normalized.body.toString())).toMatchObject({ event_type: 'LiveRecordTask', task_id: 't-9', message: 'token=******' });
  });

  it("reads the head of an undocumented type whose body has a secret's name as the masked event gives it, as a smaller one is read", () => {
    const event = { EventType: 'TokenRefresh', TokenRefreshEvent: { TaskId: 'planted-task', Status: 'FINISH', Message: 'planted' }, Notes: '' };
    const small = archived(plan(event, invocation, layout));
    event.Notes = 'x'.repeat(OVERSIZE_BYTES);
    const large = archived(plan(event, invocation, layout));
    const record = JSON.parse(large.normalized.body.toString());
    expect(record).toMatchObject({ event_type: 'TokenRefresh', oversize: { limit: OVERSIZE_BYTES } });
    expect(record).not.toHaveProperty('task_id');
    expect(JSON.parse(small.normalized.body.toString())).not.toHaveProperty('task_id');
    for (const { key, body } of Object.values<StoredObject>(large)) expect(`${key}${body.toString()}`).not.toContain('planted');
  });

  it.each([
    [{ Status: 'PROCESSING' }, 'processing'],
    [{ ErrCode: 10 }, 'failed'],
    [{ Status: 'WAITING' }, 'unknown'],
  ])('gives the outcome that the task itself tells: %j', (task, outcome) => {
    const { normalized } = archived(plan(eventOf(OVERSIZE_BYTES * 2, task), invocation, layout));
    expect(JSON.parse(normalized.body.toString())).toMatchObject({ outcome });
  });

  it('archives an event nested hundreds of thousands of levels deep, byte for byte', () => {
    const event = eventOf(1_000, {});
    let deep: unknown = { password: 'hunter2' };
    for (let i = 0; i < 300_000; i++) deep = [deep];
    event.Extra = deep;
    const raw = archived(plan(event, invocation, layout)).raw.body.toString();
    expect(raw.endsWith(`,"Extra":${'['.repeat(300_000)}{"password":"******"}${']'.repeat(300_000)}}`)).toBe(true);
  });

  it('archives an event that arrives as JSON text, as the text arrived, never parsing it', () => {
    const event = eventOf(OVERSIZE_BYTES, { Message: 'p\u0061ssword=hunter2' });
    const text = `\uFEFF${JSON.stringify(event, null, 2).replace('password', 'p\\u0061ssword')}`;
    for (const payload of [text, Buffer.from(text)]) {
      const { raw, normalized } = archived(plan(payload, invocation, layout));
      expect(raw.body.toString()).toBe(text.slice(1).replace('p\\u0061ssword=hunter2', 'password=******'));
      expect(JSON.parse(normalized.body.toString())).toMatchObject({ task_id: 't-1', message: 'password=******', oversize: { bytes: Buffer.byteLength(text) - 3 } });
    }
  });

  it('keeps text that holds no JSON as text, masked, in an error record', () => {
    const text = `${'not JSON '.repeat(OVERSIZE_BYTES / 8)} password=hunter2 {"EventType":"WorkflowTask"}`;
    const object = errorObject(plan(text, invocation, layout));
    const record = ErrorRecordSchema.parse(JSON.parse(object.body.toString()));
    expect(record).toMatchObject({ error_type: 'not_an_object', payload: maskedAsText(text).slice(1, -1).replaceAll('\\"', '"'), oversize: { limit: OVERSIZE_BYTES } });
    expect(object.body.toString()).not.toContain('hunter2');
    expect(object.key).toBe(`mps-events/errors/error_type=not_an_object/dt=2026-11-22/hour=10/${createHash('md5').update(maskedAsText(text)).digest('hex').slice(0, 16)}.json`);
  });

  it('keeps one whose head is not an event\'s in an error record, the payload written in as masked', () => {
    const event = eventOf(OVERSIZE_BYTES * 2, { TaskId: '', Message: 'token=hunter2' });
    const object = errorObject(plan(event, invocation, layout));
    const body = object.body.toString();
    const record = ErrorRecordSchema.parse(JSON.parse(body));
    expect(record).toMatchObject({ error_type: 'invalid_task', issues: [{ path: ['WorkflowTaskEvent', 'TaskId'] }], oversize: { bytes: Buffer.byteLength(toJson(event)) } });
    expect(record.payload).toEqual(JSON.parse(maskedAsText(event)));
    expect(body).toContain(`"payload":${maskedAsText(event)},`);
    expect(body).not.toContain('hunter2');
  });
});

describe('planFailure', () => {
  it('keeps the payload, masked, in an error record of kind internal that names the failure', () => {
    const failure = new TypeError('Cannot read properties of undefined, see https://u:hunter2@example.com/');
    const object = errorObject(planFailure(fixture('events/workflow-task-s3-secrets.json'), failure, invocation, layout));
    const record = ErrorRecordSchema.parse(JSON.parse(object.body.toString()));
    expect(object.key).toMatch(/^mps-events\/errors\/error_type=internal\/dt=2026-11-22\/hour=10\/[0-9a-f]{16}\.json$/);
    expect(record).toMatchObject({ error_type: 'internal', issues: [], request_id: 'req-1' });
    expect(record.message).toBe('Archiving the payload failed unexpectedly (TypeError: Cannot read properties of undefined, see https://******@example.com/)');
    expect(record.payload).toMatchObject({ EventType: 'WorkflowTask' });
    expect(object.body.toString()).not.toMatch(/NOT-REAL|hunter2/);
  });
});

describe('planFailure, for a payload over OVERSIZE_BYTES', () => {
  it('keeps it as text, masked by the text rules, never walked', () => {
    const event = eventOf(OVERSIZE_BYTES * 2, { Message: 'token=hunter2' });
    const record = ErrorRecordSchema.parse(JSON.parse(errorObject(planFailure(event, new Error('x'), invocation, layout)).body.toString()));
    expect(record.payload).toBe(toJson(event).replace('token=hunter2', 'token=******'));
  });
});
