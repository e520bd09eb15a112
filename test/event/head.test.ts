import { describe, expect, it } from 'vitest';
import { eventHead } from '../../src/event/head';
import { scanJson } from '../../src/json-scan';

/** The head of JSON text; `masked` gives what masking changed, by where its token starts. */
function headOf(json: string, masked: (start: number) => string | undefined = () => undefined, bodies?: ReadonlySet<string>): unknown {
  const head = eventHead(json, masked, bodies);
  expect(scanJson(json, head.visitor)).toBe(true);
  return head.head();
}

describe('eventHead', () => {
  it('reads the event cut to what validation and the record need, as JSON.parse would', () => {
    const event = {
      EventType: 'WorkflowTask',
      SessionId: 's',
      SessionContext: '{"a":1}',
      Other: { TaskId: 'not this one' },
      WorkflowTaskEvent: { TaskId: 't-1', Status: 'FINISH', ErrCode: 10, Message: 'm', MediaProcessResultSet: [{ Type: 'Transcode' }], Extra: { TaskId: 'deeper' } },
      EditMediaTaskEvent: null,
    };
    expect(headOf(JSON.stringify(event, null, 2))).toEqual({
      EventType: 'WorkflowTask',
      SessionId: 's',
      SessionContext: '{"a":1}',
      WorkflowTaskEvent: { TaskId: 't-1', Status: 'FINISH', ErrCode: 10, Message: 'm' },
      EditMediaTaskEvent: null,
    });
  });

  it('reads the body of every documented type, ErrCodeExt included, and only the bodies it is given when given', () => {
    const task = { TaskId: 't-1', Status: 'FINISH', ErrCode: 0, ErrCodeExt: 'Success', Message: '', ActivityResultSet: [{ ActivityType: 'Transcode' }] };
    const { ActivityResultSet: _, ...head } = task;
    for (const body of ['ScheduleTaskEvent', 'BatchTaskEvent', 'ExtractBlindWatermarkTask']) {
      expect(headOf(JSON.stringify({ EventType: 'x', [body]: task }))).toEqual({ EventType: 'x', [body]: head });
    }
    const json = JSON.stringify({ EventType: 'LiveRecordTask', a1Event: task, LiveRecordTaskEvent: task, WorkflowTaskEvent: task });
    // Kept for every such name, a few megabytes of `"a1Event":{…}` were more than the heap holds.
    expect(headOf(json)).toEqual({ EventType: 'LiveRecordTask', WorkflowTaskEvent: head });
    expect(headOf(json, undefined, new Set(['LiveRecordTaskEvent']))).toEqual({ EventType: 'LiveRecordTask', LiveRecordTaskEvent: head });
  });

  it('counts a name given twice the last time, as JSON.parse does, and reads escaped names', () => {
    const json = '{"WorkflowTaskEvent":{"TaskId":"first","Status":"FINISH"},"Event\\u0054ype":"EditMediaTask","WorkflowTaskEvent":{"Status":"FAIL"}}';
    expect(headOf(json)).toEqual(JSON.parse('{"EventType":"EditMediaTask","WorkflowTaskEvent":{"Status":"FAIL"}}'));
  });

  it('reads an object or array in place of a field as an empty one, and a top level that is not an object as a value of its type', () => {
    expect(headOf('{"EventType":{"a":[1]},"WorkflowTaskEvent":[{"TaskId":"t"}],"SessionId":[2]}')).toEqual({ EventType: {}, WorkflowTaskEvent: [], SessionId: [] });
    expect(headOf('{"WorkflowTaskEvent":{"TaskId":{"x":"y"},"Status":["FINISH"]}}')).toEqual({ WorkflowTaskEvent: { TaskId: {}, Status: [] } });
    expect(headOf('[{"EventType":"WorkflowTask"}]')).toEqual([]);
    expect(headOf('"a megabyte of text"')).toBe('');
    expect(headOf('12')).toBe(0);
    expect(headOf('false')).toBe(false);
    expect(headOf('null')).toBeNull();
  });

  it('takes a body that masking replaced whole as masking gave it, not what the body held', () => {
    const json = '{"EventType":"TokenRefresh","TokenRefreshEvent":{"TaskId":"planted","Status":"FINISH"}}';
    const at = json.indexOf('{"TaskId"');
    expect(headOf(json, (start) => (start === at ? '******' : undefined), new Set(['TokenRefreshEvent']))).toEqual({ EventType: 'TokenRefresh', TokenRefreshEvent: '******' });
  });

  it('takes a string as masking gave it', () => {
    const json = '{"EventType":"WorkflowTask","WorkflowTaskEvent":{"TaskId":"https://u:pw@h/","Status":"FINISH"}}';
    const at = json.indexOf('"https');
    expect(headOf(json, (start) => (start === at ? 'https://******@h/' : undefined))).toEqual({ EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 'https://******@h/', Status: 'FINISH' } });
  });
});
