import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../../src/store/archive';
import { checkEvent, checkTaskId, runCheck } from '../../../scripts/deploy/check';
import type { FunctionSpec } from '../../../scripts/deploy/spec';
import type { ScfCall } from '../../../scripts/tencent-api';
import { startLocalWorld, type LocalWorld } from '../../support/local-cos';

const spec = { name: 'mps-cos-backup', namespace: 'default' } as FunctionSpec;

describe('the test event of a check', () => {
  it('says in its TaskId that it is a deploy check, and when it ran', () => {
    const id = checkTaskId(new Date('2026-12-07T10:15:00.123Z'));
    expect(id).toMatch(/^deploy-check-20261207T101500Z-[0-9a-f]{6}$/);
    expect(checkTaskId(new Date())).not.toBe(checkTaskId(new Date()));
    expect(checkEvent(id)).toMatchObject({ EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: id, Status: 'FINISH' } });
  });
});

describe('runCheck', () => {
  let world: LocalWorld;
  beforeAll(async () => {
    world = await startLocalWorld();
  });
  afterAll(() => world.close());

  /** SCF's synchronous Invoke of the real handler, against the local COS; `answer` may change what it says. */
  const invoking = (answer: (retMsg: string) => Record<string, unknown> = (RetMsg) => ({ RetMsg, ErrMsg: '' })) =>
    (async (action: string, request: { ClientContext: string }) => {
      expect(action).toBe('Invoke');
      const summary = await world.handler(JSON.parse(request.ClientContext), { request_id: 'req-1', function_name: 'mps-cos-backup' });
      return { Result: { FunctionRequestId: 'req-1', ...answer(JSON.stringify(summary)) } };
    }) as unknown as ScfCall;

  it('passes when the function stored the event, raw and normalized, as sent, and says how to delete them', async () => {
    const { passed, lines } = await runCheck(invoking(), world.archive, spec, world.config);
    expect(passed).toBe(true);
    expect(lines[0]).toMatch(/^Invoked default\/mps-cos-backup with test event deploy-check-\S+ \(request req-1\)$/);
    expect(lines).toContain('PASS: the function stored the test event, raw and normalized, as sent');
    expect(lines.filter((l) => l.startsWith('  coscli rm cos://mps-local-1250000000/mps-events/'))).toHaveLength(2);
  });

  it('fails when what it reads back is not what was sent', async () => {
    const tampered: Archive = {
      ...world.archive,
      get: async (key) => (key.includes('/raw/') ? Buffer.from((await world.archive.get(key)).toString().replace('FINISH', 'FAIL')) : world.archive.get(key)),
    };
    const { passed, lines } = await runCheck(invoking(), tampered, spec, world.config);
    expect(passed).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}the raw object mps-events\/raw\/\S+ is not the event sent$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}the normalized record's event_id is "[0-9a-f]{32}", not "[0-9a-f]{32}"$/));
    expect(lines).toContain('FAIL: what the function stored is not what was sent');
  });

  it.each<[string, (retMsg: string) => Record<string, unknown>, RegExp]>([
    ['the function failed', () => ({ RetMsg: '', ErrMsg: '{"errorMessage":"boom"}' }), /^FAIL: the function failed: \{"errorMessage":"boom"\}$/],
    ['its answer is not a summary', () => ({ RetMsg: 'null,', ErrMsg: '' }), /^FAIL: the function's answer is not its summary/],
    ['its answer is JSON but no summary', () => ({ RetMsg: 'null', ErrMsg: '' }), /^FAIL: the function's answer is not its summary: "null"$/],
    ['its answer names no objects', () => ({ RetMsg: '{"result":"archived"}', ErrMsg: '' }), /^FAIL: the function's answer is not its summary/],
  ])('fails, saying so, when %s', async (_name, answer, line) => {
    const { passed, lines } = await runCheck(invoking(answer), world.archive, spec, world.config);
    expect(passed).toBe(false);
    expect(lines.at(-1)).toMatch(line);
  });

  it('fails when the function rejected the event, and says how to delete the error record it stored', async () => {
    const rejected = JSON.stringify({ result: 'rejected', error_type: 'missing_task', message: 'no task', error_key: 'mps-events/errors/x.json', bytes: 10 });
    const { passed, lines } = await runCheck(invoking(() => ({ RetMsg: rejected, ErrMsg: '' })), world.archive, spec, world.config);
    expect(passed).toBe(false);
    expect(lines.slice(1)).toEqual([
      'FAIL: the function rejected the test event as missing_task: no task',
      'The test objects are safe to delete, e.g. with coscli or in the COS console (bucket → objects):',
      '  coscli rm cos://mps-local-1250000000/mps-events/errors/x.json',
    ]);
  });

  it('fails when what the function stored cannot be read back, and still says how to delete it', async () => {
    const unreadable: Archive = { ...world.archive, get: (key) => Promise.reject(new Error(`COS GetObject ${key} failed with 403 AccessDenied`)) };
    const { passed, lines } = await runCheck(invoking(), unreadable, spec, world.config);
    expect(passed).toBe(false);
    expect(lines[1]).toMatch(/^FAIL: could not read back what the function stored: COS GetObject mps-events\/raw\/\S+ failed with 403 AccessDenied$/);
    expect(lines.filter((l) => l.startsWith('  coscli rm cos://mps-local-1250000000/mps-events/'))).toHaveLength(2);
  });

  it('fails, naming the object, when the normalized object is not JSON', async () => {
    const broken: Archive = { ...world.archive, get: async (key) => (key.includes('/normalized/') ? Buffer.from('{"task_id":') : world.archive.get(key)) };
    const { passed, lines } = await runCheck(invoking(), broken, spec, world.config);
    expect(passed).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}the normalized object mps-events\/normalized\/\S+ is not a normalized record: /));
  });
});
