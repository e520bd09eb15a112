import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/errors';
import { parseEvent } from '../../src/event/parse';
import { EVENT_TYPES, headOf, TASK_FIELDS, type MpsEvent } from '../../src/event/schema';
import { fixture, fixtureNames } from '../support/fixtures';

/** The event of a documented type, as parseEvent reads it. */
function documented(payload: unknown): MpsEvent {
  const parsed = parseEvent(payload);
  if (!parsed.documented) throw new Error(`read as undocumented: ${parsed.event.EventType}`);
  return parsed.event;
}

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
    const { documented, event } = parseEvent(fixture(name));
    expect(event.EventType).toBe((fixture(name) as { EventType: string }).EventType);
    expect(documented).toBe((EVENT_TYPES as string[]).includes(event.EventType));
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
    const event = documented({
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
    expect(event.WorkflowTaskEvent.AiAnalysisResultSet).toEqual([{ type: 'Tag', name: 'TagTask', task: { Status: 'SUCCESS' } }]);
  });

  it('reads absent, null and [] collections alike', () => {
    const read = (value: unknown) => {
      const event = documented({ EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', MediaProcessResultSet: value } });
      return event.EventType === 'WorkflowTask' ? event.WorkflowTaskEvent.MediaProcessResultSet : undefined;
    };
    expect(read(undefined)).toEqual([]);
    expect(read(null)).toEqual([]);
    expect(read([])).toEqual([]);
  });

  it('finds the sub-task of a result item by its shape, whatever its name', () => {
    const event = documented(fixture('events/workflow-task-ai-and-unknown-fields.json'));
    if (event.EventType !== 'WorkflowTask') throw new Error('wrong type');
    const sr = event.WorkflowTaskEvent.MediaProcessResultSet.find((i) => i.type === 'SuperResolution');
    expect(sr).toMatchObject({ name: 'SuperResolutionTask', task: { Status: 'SUCCESS', Output: { Path: '/output/talk_sr.mp4' } } });
  });

  it('strips fields it does not know from the parsed event (the raw object keeps them)', () => {
    const event = documented(fixture('events/workflow-task-ai-and-unknown-fields.json'));
    expect(event).not.toHaveProperty('BrandNewTopLevelKey');
    expect(event).not.toHaveProperty('ExtInfo');
    if (event.EventType !== 'WorkflowTask') throw new Error('wrong type');
    expect(event.WorkflowTaskEvent).not.toHaveProperty('FutureField');
  });

  it('accepts any non-empty TaskId and any Status string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.constantFrom(...EVENT_TYPES), (taskId, status, type) => {
        const body = { TaskId: taskId, Status: status };
        const task = headOf(parseEvent({ EventType: type, [TASK_FIELDS[type]]: body }));
        expect(task.TaskId).toBe(taskId);
        expect(task.Status).toBe(status);
      }),
    );
  });

  it('never throws anything but InvalidEventError, for any JSON value', () => {
    const payloads = fc.oneof(
      fc.jsonValue(),
      fc.record({
        EventType: fc.oneof(fc.constantFrom(...EVENT_TYPES, 'LiveScheduleTask', 'toString'), fc.string()),
        WorkflowTaskEvent: fc.jsonValue(),
        EditMediaTaskEvent: fc.jsonValue(),
        ScheduleTaskEvent: fc.jsonValue(),
        BatchTaskEvent: fc.jsonValue(),
        ExtractBlindWatermarkTask: fc.jsonValue(),
        LiveScheduleTaskEvent: fc.jsonValue(),
      }),
      fc.record({
        EventType: fc.constant('WorkflowTask'),
        WorkflowTaskEvent: fc.record({ TaskId: fc.jsonValue(), Status: fc.jsonValue(), MediaProcessResultSet: fc.jsonValue(), InputInfo: fc.jsonValue(), MetaData: fc.jsonValue() }, { requiredKeys: [] }),
      }),
      fc.record({
        EventType: fc.constant('ScheduleTask'),
        ScheduleTaskEvent: fc.record({ TaskId: fc.string({ minLength: 1 }), Status: fc.string({ minLength: 1 }), ActivityResultSet: fc.jsonValue() }, { requiredKeys: [] }),
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

  describe('every EventType of the notification', () => {
    it('reads a ScheduleTask, an ExtractBlindWatermark and a BatchTask with their task bodies', () => {
      expect(documented(fixture('events/schedule-task.json'))).toMatchObject({ EventType: 'ScheduleTask', ScheduleTaskEvent: { Status: 'FINISH' } });
      expect(documented(fixture('events/extract-blind-watermark.json'))).toMatchObject({ EventType: 'ExtractBlindWatermark', ExtractBlindWatermarkTask: { Status: 'FINISH' } });
      const batch = documented(fixture('events/batch-task.json'));
      expect(batch.EventType === 'BatchTask' && batch.BatchTaskEvent.SmartSubtitlesTaskResult?.Outputs.map((o) => o.Status)).toEqual(['SUCCESS', 'FAIL']);
    });

    it('finds the sub-task of each activity of a ScheduleTask by its shape', () => {
      const event = documented(fixture('events/schedule-task.json'));
      if (event.EventType !== 'ScheduleTask') throw new Error('wrong type');
      expect(event.ScheduleTaskEvent.ActivityResultSet.map((a) => [a.type, a.name])).toEqual([
        ['Transcode', 'TranscodeTask'],
        ['AiContentReview', 'ReviewTask'],
        ['AIAnalysis', 'AnalysisTask'],
        ['AIRecognition', 'RecognitionTask'],
        ['AiQualityControl', 'QualityControlTask'],
        ['SmartSubtitles', 'SmartSubtitlesTask'],
        ['SmartErase', 'SmartEraseTask'],
        ['ExecRules', 'ExecRuleTask'],
      ]);
    });

    // BatchSubTaskResult, the model of BatchTaskEvent, has no TaskId or Status.
    it('requires no TaskId or Status of a BatchTask, and reads them where the event has them', () => {
      expect(documented({ EventType: 'BatchTask', BatchTaskEvent: {} })).toEqual({ EventType: 'BatchTask', BatchTaskEvent: { InputInfos: [] } });
      expect(documented({ EventType: 'BatchTask', BatchTaskEvent: { TaskId: 'b-1', Status: 'FINISH' } })).toMatchObject({ BatchTaskEvent: { TaskId: 'b-1', Status: 'FINISH' } });
      expect(rejection({ EventType: 'BatchTask', BatchTaskEvent: null })).toMatchObject({ kind: 'missing_task' });
    });

    it.each([
      [{ EventType: 'ScheduleTask', ScheduleTaskEvent: { Status: 'FINISH' } }, 'invalid_task', ['ScheduleTaskEvent', 'TaskId']],
      [{ EventType: 'ExtractBlindWatermark', ExtractBlindWatermarkTask: { TaskId: 't' } }, 'invalid_task', ['ExtractBlindWatermarkTask', 'Status']],
      [{ EventType: 'ScheduleTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH' } }, 'missing_task', ['ScheduleTaskEvent']],
      [{ EventType: 'ExtractBlindWatermark', ExtractBlindWatermarkEvent: { TaskId: 't', Status: 'FINISH' } }, 'missing_task', ['ExtractBlindWatermarkTask']],
    ])('requires the task body and, where the model has them, TaskId and Status: %j is %s', (payload, kind, path) => {
      const error = rejection(payload);
      expect(error.kind).toBe(kind);
      expect(error.issues.map((i) => i.path)).toContainEqual(path);
    });

    it('archives an EventType no model documents, with the task its naming puts at {EventType}Event, or none', () => {
      expect(parseEvent(fixture('events/undocumented-event-type.json'))).toEqual({
        documented: false,
        event: { EventType: 'LiveScheduleTask', Task: expect.objectContaining({ TaskId: expect.stringContaining('LiveScheduleTask'), Status: 'PROCESSING', ErrCode: 0 }), SessionId: '', SessionContext: '' },
      });
      expect(parseEvent({ EventType: 'AigcVideoTask' })).toEqual({ documented: false, event: { EventType: 'AigcVideoTask', Task: undefined, SessionId: undefined, SessionContext: undefined } });
      expect(parseEvent({ EventType: 'AigcVideoTask', AigcVideoTaskEvent: 'not an object' })).toMatchObject({ event: { Task: null } });
    });

    it('takes no name of Object.prototype for a documented type', () => {
      expect(parseEvent({ EventType: 'toString', toStringEvent: { TaskId: 't', Status: 'FINISH' } })).toMatchObject({ documented: false, event: { EventType: 'toString', Task: { TaskId: 't' } } });
    });

    it.each(['Workflow Task', '../../raw/event_type=WorkflowTask', 'WorkflowTask\n', '1Task', `T${'a'.repeat(64)}`])(
      'rejects an EventType that is not a name an MPS event type can have (%j) as unsupported_event_type',
      (type) => {
        const error = rejection({ EventType: type, WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH' } });
        expect(error.kind).toBe('unsupported_event_type');
        expect(error.issues.map((i) => i.path)).toContainEqual(['EventType']);
      },
    );
  });
});
