import { describe, expect, it } from 'vitest';
import { parseEvent } from '../src/event/parse';
import { MAX_ITEMS, MAX_TEXT, normalize, outcomeOf } from '../src/normalize';
import { NormalizedRecordSchema, type NormalizedRecord } from '../src/record';
import { fixture, fixtureNames } from './support/fixtures';

const meta = {
  eventId: 'e'.repeat(64),
  rawKey: 'mps-events/raw/x.json',
  receivedAt: new Date('2026-11-22T10:00:00Z'),
  requestId: 'req-1',
  functionName: 'fn',
};

const record = (name: string): NormalizedRecord => normalize(parseEvent(fixture(name)), meta);

describe('normalize', () => {
  it.each(fixtureNames('events'))('gives %s a record of the published schema', (name) => {
    const r = record(name);
    expect(NormalizedRecordSchema.strict().parse(r)).toEqual(r);
    expect(r).toMatchObject({
      schema_version: 1,
      event_id: meta.eventId,
      raw_key: meta.rawKey,
      received_at: '2026-11-22T10:00:00.000Z',
      request_id: 'req-1',
      function_name: 'fn',
      replayed_at: null,
    });
  });

  it('says when a replayed event was replayed, keeping its first receipt', () => {
    const replayedAt = new Date('2026-11-25T08:00:00Z');
    const r = normalize(parseEvent(fixture('events/workflow-task-success.json')), { ...meta, replayedAt });
    expect(NormalizedRecordSchema.strict().parse(r)).toMatchObject({ received_at: '2026-11-22T10:00:00.000Z', replayed_at: '2026-11-25T08:00:00.000Z' });
  });

  it('accepts a record written before replayed_at existed, under the same schema version', () => {
    const { replayed_at, ...older } = record('events/workflow-task-success.json');
    expect(replayed_at).toBeNull();
    expect(NormalizedRecordSchema.strict().parse(older)).toEqual(older);
  });

  it.each([
    ['events/workflow-task-docs-sample.json', 'partial'],
    ['events/workflow-task-success.json', 'succeeded'],
    ['events/workflow-task-processing.json', 'processing'],
    ['events/workflow-task-all-failed.json', 'failed'],
    ['events/workflow-task-source-failed.json', 'failed'],
    ['events/workflow-task-nulls.json', 'succeeded'],
    ['events/workflow-task-ai-and-unknown-fields.json', 'partial'],
    ['events/workflow-task-large-ai.json', 'partial'],
    ['events/workflow-task-unknown-status.json', 'unknown'],
    ['events/workflow-task-s3-secrets.json', 'succeeded'],
    ['events/workflow-task-credentials-in-values.json', 'succeeded'],
    ['events/edit-media-task-success.json', 'succeeded'],
    ['events/edit-media-task-failed.json', 'failed'],
  ])('%s is %s', (name, outcome) => {
    expect(record(name).outcome).toBe(outcome);
  });

  it('reads the documentation sample in full', () => {
    const r = record('events/workflow-task-docs-sample.json');
    expect(r).toMatchObject({
      event_type: 'WorkflowTask',
      task_id: '245****654-WorkflowTask-f46dac7fe2436c47******d71946986t0',
      status: 'FINISH',
      err_code: 0,
      message: null,
      session_id: null,
      inputs: [{ type: 'COS', bucket: 'macgzptest-125****654', region: 'ap-guangzhou', object: '/dianping2.mp4', url: null }],
      media: { duration: 11.261677742004395, width: 1280, height: 720, bitrate: 2681468, size: 3539987, container: 'mov,mp4,m4a,3gp,3g2,mj2', rotate: 90 },
      ai_results: [],
    });
    expect(r.outputs).toEqual([
      {
        task_type: 'Transcode',
        status: 'SUCCESS',
        err_code: 0,
        message: 'SUCCESS',
        storage_type: 'COS',
        bucket: 'gztest-125****654',
        region: 'ap-guangzhou',
        path: '/dasda/dianping2_transcode_10.mp4',
        paths: ['/dasda/dianping2_transcode_10.mp4'],
        definition: 10,
        size: 401637,
        duration: 11.26200008392334,
        bitrate: 293022,
        width: 180,
        height: 320,
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
      },
      expect.objectContaining({
        task_type: 'AnimatedGraphics',
        status: 'FAIL',
        err_code: 30010,
        message: 'TencentVodPlatErr Or Unkown',
        // A failed sub-task has no Output: where it was asked to write is still recorded.
        storage_type: 'COS',
        bucket: 'gztest-125****654',
        path: null,
        paths: [],
        definition: 20000,
      }),
      expect.objectContaining({
        task_type: 'SnapshotByTimeOffset',
        status: 'SUCCESS',
        path: null,
        paths: ['/dasda/dianping2_snapshotByOffset_10_0.jpg'],
        bucket: 'gztest-125****654',
      }),
      expect.objectContaining({
        task_type: 'ImageSprites',
        paths: ['/dasda/imageSprite/dianping2_imageSprite_10_0.jpg', '/dasda/imageSprite/dianping2_imageSprite_10.vtt'],
        width: 142,
        height: 80,
      }),
    ]);
  });

  it('reads an EditMediaTask: every input with its offsets, and the output with its metadata', () => {
    const r = record('events/edit-media-task-success.json');
    expect(r.inputs).toEqual([
      { type: 'COS', bucket: 'example-input-1250000000', region: 'ap-guangzhou', object: '/input/clip-a.mp4', url: null, start_time_offset: 0, end_time_offset: 10 },
      { type: 'URL', bucket: null, region: null, object: null, url: 'https://example.com/input/clip-b.mp4', start_time_offset: 5, end_time_offset: 15 },
    ]);
    expect(r.outputs).toEqual([
      {
        task_type: 'EditMedia',
        status: 'SUCCESS',
        err_code: 0,
        message: 'SUCCESS',
        storage_type: 'COS',
        bucket: 'example-output-1250000000',
        region: 'ap-guangzhou',
        path: '/output/edit/clip-a_clip-b.mp4',
        paths: ['/output/edit/clip-a_clip-b.mp4'],
        definition: null,
        size: 2345678,
        duration: 20,
        bitrate: 1000000,
        width: 1280,
        height: 720,
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
      },
    ]);
    expect(r.media).toMatchObject({ size: 2345678, duration: 20 });
  });

  it('records a failed EditMediaTask with its error and no outputs', () => {
    const r = record('events/edit-media-task-failed.json');
    expect(r).toMatchObject({ err_code: 12345, message: 'Source file not found', outputs: [], media: null });
  });

  it('summarizes every AI result set and a media sub-task type it has never seen', () => {
    const r = record('events/workflow-task-ai-and-unknown-fields.json');
    expect(r.ai_results).toEqual([
      { category: 'content_review', type: 'Porn', status: 'SUCCESS', err_code: 0, message: 'SUCCESS' },
      { category: 'analysis', type: 'Classification', status: 'SUCCESS', err_code: 0, message: 'SUCCESS' },
      { category: 'analysis', type: 'Tag', status: 'FAIL', err_code: 70000, message: 'Tagging failed' },
      { category: 'recognition', type: 'AsrFullTextRecognition', status: 'SUCCESS', err_code: 0, message: 'SUCCESS' },
      { category: 'smart_subtitles', type: 'AsrFullText', status: 'SUCCESS', err_code: 0, message: 'SUCCESS' },
      { category: 'quality_control', type: null, status: 'SUCCESS', err_code: 0, message: 'SUCCESS' },
    ]);
    expect(r.outputs.map((o) => [o.task_type, o.path])).toEqual([
      ['Transcode', '/output/talk_100010.mp4'],
      ['SuperResolution', '/output/talk_sr.mp4'],
    ]);
    expect(r.inputs).toEqual([expect.objectContaining({ type: 'URL', url: 'https://example.com/input/talk.mp4' })]);
  });

  it('reads nulls for every collection as empty', () => {
    const r = record('events/workflow-task-nulls.json');
    expect(r).toMatchObject({ inputs: [], outputs: [], ai_results: [], media: null, message: null, session_id: null });
  });

  it('reads S3 storage, and the normalized record holds no secret', () => {
    const r = record('events/workflow-task-s3-secrets.json');
    expect(r.inputs[0]).toMatchObject({ type: 'AWS-S3', bucket: 'example-s3-bucket', region: 'us-east-1', object: '/input/movie.mp4' });
    expect(r.outputs[0]).toMatchObject({ storage_type: 'AWS-S3', bucket: 'example-s3-output', region: 'us-east-1' });
    expect(JSON.stringify(r)).not.toMatch(/NOT-REAL|Secret/i);
  });

  it('keeps the session fields MPS passes through', () => {
    expect(record('events/workflow-task-success.json')).toMatchObject({
      session_id: 'session-7f3a',
      session_context: '{"order":"A-1001"}',
    });
  });
});

describe('outcomeOf', () => {
  const ok = { status: 'SUCCESS', err_code: 0 };
  const fail = { status: 'FAIL', err_code: 30010 };
  it.each([
    ['PROCESSING', 0, [fail], 'processing'],
    ['FINISH', 0, [], 'succeeded'],
    ['FINISH', 0, [ok, ok], 'succeeded'],
    ['FINISH', 0, [ok, fail], 'partial'],
    ['FINISH', 0, [fail, fail], 'failed'],
    ['FINISH', 70000, [], 'failed'],
    ['FINISH', 70000, [ok], 'failed'],
    ['FINISH', null, [{ status: 'SUCCESS', err_code: 1 }, ok], 'partial'],
    ['FINISH', 0, [{ status: 'PROCESSING', err_code: null }], 'succeeded'],
    ['WAITING', 0, [ok], 'unknown'],
    ['finish', 0, [ok], 'unknown'],
  ] as const)('%s with ErrCode %s and sub-tasks %j is %s', (status, errCode, subTasks, outcome) => {
    expect(outcomeOf(status, errCode, [...subTasks])).toBe(outcome);
  });
});

/** An event of about 128 KB (SCF's async limit) whose list holds `count` copies of `item`. */
function crowded(type: 'WorkflowTask' | 'EditMediaTask', list: string, item: unknown) {
  const count = Math.floor(127_000 / (JSON.stringify(item).length + 1));
  const items = Array.from({ length: count }, () => item);
  const task = { TaskId: 't', Status: 'FINISH', ErrCode: 0 };
  const event =
    type === 'WorkflowTask'
      ? { EventType: type, WorkflowTaskEvent: { ...task, [list]: items } }
      : { EventType: type, EditMediaTaskEvent: { ...task, Input: { FileInfoSet: items } } };
  return { event, count };
}

describe('normalize, bounded against the event', () => {
  it.each([
    ['media items', crowded('WorkflowTask', 'MediaProcessResultSet', {})],
    ['AI items', crowded('WorkflowTask', 'AiAnalysisResultSet', {})],
    ['clips', crowded('EditMediaTask', 'FileInfoSet', {})],
  ])('adds nothing for empty %s, however many', (_name, { event }) => {
    const r = normalize(parseEvent(event), meta);
    expect([r.inputs, r.outputs, r.ai_results]).toEqual([[], [], []]);
    expect(r.truncated).toBeNull();
    expect(JSON.stringify(r).length).toBeLessThan(1_000);
  });

  it.each([
    ['outputs', crowded('WorkflowTask', 'MediaProcessResultSet', { Type: 'T' })],
    ['ai_results', crowded('WorkflowTask', 'AiRecognitionResultSet', { Type: 'T' })],
    ['inputs', crowded('EditMediaTask', 'FileInfoSet', { StartTimeOffset: 1 })],
  ] as const)('keeps at most MAX_ITEMS %s of a 128 KB event, and says how many it left out', (list, { event, count }) => {
    const r = normalize(parseEvent(event), meta);
    expect(r[list]).toHaveLength(MAX_ITEMS);
    expect(r.truncated).toEqual({ inputs: 0, outputs: 0, ai_results: 0, strings: 0, [list]: count - MAX_ITEMS });
    expect(NormalizedRecordSchema.strict().parse(r)).toEqual(r);
    // MAX_ITEMS entries of a few hundred bytes at most, whatever the event lists.
    expect(JSON.stringify(r).length).toBeLessThan(MAX_ITEMS * 400);
  });

  it('judges the outcome on every sub-task, kept or left out', () => {
    const ok = { Type: 'Transcode', TranscodeTask: { Status: 'SUCCESS', ErrCode: 0 } };
    const items = Array.from({ length: MAX_ITEMS + 10 }, () => ok);
    items.push({ Type: 'Transcode', TranscodeTask: { Status: 'FAIL', ErrCode: 1 } });
    const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 0, MediaProcessResultSet: items } };
    const r = normalize(parseEvent(event), meta);
    expect(r.outcome).toBe('partial');
    expect(r.outputs.every((o) => o.status === 'SUCCESS')).toBe(true);
    expect(r.truncated).toMatchObject({ outputs: 11 });
  });

  it('cuts every string to MAX_TEXT characters, and counts what it cut', () => {
    const long = 'm'.repeat(4_000_000);
    const event = {
      EventType: 'WorkflowTask',
      WorkflowTaskEvent: { TaskId: long, Status: 'FINISH', Message: long, MediaProcessResultSet: [{ Type: long, TranscodeTask: { Status: 'SUCCESS', Output: { Path: long } } }] },
      SessionContext: 'short',
    };
    const r = normalize(parseEvent(event), meta);
    expect([r.task_id, r.message, r.outputs[0]!.task_type, r.outputs[0]!.path, r.outputs[0]!.paths[0]].map((t) => t?.length)).toEqual(Array(5).fill(MAX_TEXT));
    expect(r.session_context).toBe('short');
    expect(r.truncated).toEqual({ inputs: 0, outputs: 0, ai_results: 0, strings: 5 });
    expect(JSON.stringify(r).length).toBeLessThan(6 * MAX_TEXT);
  });
});
