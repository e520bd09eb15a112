import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/errors';
import { parseEvent } from '../../src/event/parse';
import { fixture, fixtureNames } from '../support/fixtures';

function rejection(payload: unknown): InvalidEventError {
  try {
    parseEvent(payload);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('parseEvent accepted the payload');
}

describe('parseEvent', () => {
  it.each(fixtureNames('events'))('accepts %s', (name) => {
    const event = parseEvent(fixture(name));
    expect(['WorkflowTask', 'EditMediaTask']).toContain(event.EventType);
  });

  it.each([
    ['invalid/not-an-object-array.json', 'not_an_object', []],
    ['invalid/not-an-object-null.json', 'not_an_object', []],
    ['invalid/not-an-object-string.json', 'not_an_object', []],
    ['invalid/missing-event-type.json', 'missing_event_type', ['EventType']],
    ['invalid/event-type-not-a-string.json', 'missing_event_type', ['EventType']],
    ['invalid/unsupported-event-type.json', 'unsupported_event_type', ['EventType']],
    ['invalid/missing-task.json', 'missing_task', ['WorkflowTaskEvent']],
    ['invalid/task-not-an-object.json', 'missing_task', ['EditMediaTaskEvent']],
    ['invalid/task-id-empty.json', 'invalid_task', ['WorkflowTaskEvent', 'TaskId']],
    ['invalid/task-id-not-a-string.json', 'invalid_task', ['EditMediaTaskEvent', 'TaskId']],
    ['invalid/status-missing.json', 'invalid_task', ['WorkflowTaskEvent', 'Status']],
    ['invalid/invalid-with-secrets.json', 'invalid_task', ['WorkflowTaskEvent', 'TaskId']],
  ])('rejects %s as %s, with the path of the issue', (name, kind, path) => {
    const error = rejection(fixture(name));
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(false);
    expect(error.issues.map((i) => i.path)).toContainEqual(path);
    expect(error.message).toContain(path.join('.') || '(payload)');
  });

  it('rejects undefined (an invocation with no event) as not an object', () => {
    expect(() => parseEvent(undefined)).toThrow(InvalidEventError);
    expect(rejection(undefined).kind).toBe('not_an_object');
  });

  it('keeps the event when a field has an unexpected type, reading that field as absent', () => {
    const event = parseEvent({
      EventType: 'WorkflowTask',
      WorkflowTaskEvent: {
        TaskId: 't-1',
        Status: 'FINISH',
        ErrCode: 'zero',
        MetaData: 'not an object',
        MediaProcessResultSet: { not: 'an array' },
        AiAnalysisResultSet: [42, null, { Type: 'Tag', TagTask: { Status: 'SUCCESS' } }],
      },
    });
    if (event.EventType !== 'WorkflowTask') throw new Error('wrong type');
    expect(event.WorkflowTaskEvent.ErrCode).toBeNull();
    expect(event.WorkflowTaskEvent.MetaData).toBeNull();
    expect(event.WorkflowTaskEvent.MediaProcessResultSet).toEqual([]);
    expect(event.WorkflowTaskEvent.AiAnalysisResultSet).toEqual([
      { type: 'Tag', task: { Status: 'SUCCESS', ErrCode: undefined, Message: undefined, Input: undefined, Output: undefined } },
    ]);
  });

  it('reads absent, null and [] collections alike', () => {
    const read = (value: unknown) => {
      const event = parseEvent({ EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', MediaProcessResultSet: value } });
      return event.EventType === 'WorkflowTask' ? event.WorkflowTaskEvent.MediaProcessResultSet : undefined;
    };
    expect(read(undefined)).toEqual([]);
    expect(read(null)).toEqual([]);
    expect(read([])).toEqual([]);
  });

  it('finds the sub-task of a result item by its shape, whatever its name', () => {
    const event = parseEvent(fixture('events/workflow-task-ai-and-unknown-fields.json'));
    if (event.EventType !== 'WorkflowTask') throw new Error('wrong type');
    const sr = event.WorkflowTaskEvent.MediaProcessResultSet.find((i) => i.type === 'SuperResolution');
    expect(sr?.task?.Status).toBe('SUCCESS');
    expect(sr?.task?.Output?.Path).toBe('/output/talk_sr.mp4');
  });

  it('strips fields it does not know from the parsed event (the raw object keeps them)', () => {
    const event = parseEvent(fixture('events/workflow-task-ai-and-unknown-fields.json'));
    expect(event).not.toHaveProperty('BrandNewTopLevelKey');
    expect(event).not.toHaveProperty('ExtInfo');
    if (event.EventType !== 'WorkflowTask') throw new Error('wrong type');
    expect(event.WorkflowTaskEvent).not.toHaveProperty('FutureField');
  });

  it('accepts any non-empty TaskId and any Status string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.constantFrom('WorkflowTask', 'EditMediaTask'), (taskId, status, type) => {
        const body = { TaskId: taskId, Status: status };
        const event = parseEvent({ EventType: type, [`${type}Event`]: body });
        const task = event.EventType === 'WorkflowTask' ? event.WorkflowTaskEvent : event.EditMediaTaskEvent;
        expect(task.TaskId).toBe(taskId);
        expect(task.Status).toBe(status);
      }),
    );
  });

  it('never throws anything but InvalidEventError, for any JSON value', () => {
    const payloads = fc.oneof(
      fc.jsonValue(),
      fc.record({ EventType: fc.constantFrom('WorkflowTask', 'EditMediaTask'), WorkflowTaskEvent: fc.jsonValue(), EditMediaTaskEvent: fc.jsonValue() }),
      fc.record({
        EventType: fc.constant('WorkflowTask'),
        WorkflowTaskEvent: fc.record({ TaskId: fc.jsonValue(), Status: fc.jsonValue(), MediaProcessResultSet: fc.jsonValue(), InputInfo: fc.jsonValue(), MetaData: fc.jsonValue() }, { requiredKeys: [] }),
      }),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        try {
          parseEvent(payload);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidEventError);
          expect((error as InvalidEventError).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
