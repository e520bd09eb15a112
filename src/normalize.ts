import { headOf, type EditMediaTask, type InputInfo, type MetaData, type ParsedEvent } from './event/schema';
import type { Media, NormalizedRecord, Outcome } from './record';
import { SCHEMA_VERSION } from './schema-version';
import { MAX_ITEMS, RecordParts } from './normalize/collect';
import { codecOf } from './normalize/files';
import { capped, int, MAX_TEXT, num, takeCuts, text } from './normalize/read';
import { batchSubTasks, outputRow, readSubTask, scheduleSubTasks, storageColumns, workflowSubTasks, type SubTaskColumns, type SubTaskRef } from './normalize/sub-tasks';

export { MAX_ITEMS, MAX_TEXT };

export interface RecordMeta {
  eventId: string;
  rawKey: string;
  receivedAt: Date;
  replayedAt?: Date | undefined;
  requestId: string;
  functionName: string;
}

type Offsets = { StartTimeOffset?: number | null | undefined; EndTimeOffset?: number | null | undefined };

function addInput(parts: RecordParts, info: InputInfo, offsets?: Offsets): void {
  if (!parts.inputs.room()) return;
  const cos = info?.CosInputInfo;
  const s3 = info?.S3InputInfo;
  const vod = info?.VODInputInfo;
  parts.inputs.items.push({
    type: text(info?.Type),
    bucket: text(cos?.Bucket ?? s3?.S3Bucket ?? vod?.Bucket),
    region: text(cos?.Region ?? s3?.S3Region ?? vod?.Region),
    object: text(cos?.Object ?? s3?.S3Object ?? vod?.Object),
    url: text(info?.UrlInputInfo?.Url),
    file_id: text(vod?.FileId),
    sub_app_id: int(vod?.SubAppId),
    start_time_offset: num(offsets?.StartTimeOffset),
    end_time_offset: num(offsets?.EndTimeOffset),
  });
}

/** Every field of the record's media, each a value or null. */
type MediaColumns = { [K in keyof Media]-?: Exclude<Media[K], undefined> };

function media(m: MetaData): MediaColumns | null {
  if (!m) return null;
  return {
    duration: num(m.Duration),
    width: int(m.Width),
    height: int(m.Height),
    bitrate: int(m.Bitrate),
    size: int(m.Size),
    container: text(m.Container),
    rotate: int(m.Rotate),
  };
}

/** An EditMediaTask's one output: its status is the task's, as ErrCode tells it. */
function addEditOutput(parts: RecordParts, task: EditMediaTask, meta: MediaColumns | null): void {
  const out = task.Output;
  if (!out || !parts.outputs.room()) return;
  const columns: SubTaskColumns = {
    taskType: 'EditMedia',
    status: task.ErrCode ? 'FAIL' : 'SUCCESS',
    errCode: int(task.ErrCode),
    errCodeExt: text(task.ErrCodeExt),
    message: text(task.Message),
    storage: storageColumns(out.OutputStorage),
    definition: null,
    facts: meta && {
      size: meta.size,
      duration: meta.duration,
      bitrate: meta.bitrate,
      width: meta.width,
      height: meta.height,
      container: meta.container,
      video_codec: codecOf(out.MetaData?.VideoStreamSet),
      audio_codec: codecOf(out.MetaData?.AudioStreamSet),
    },
    begin: null,
    finish: null,
    duration: null,
  };
  parts.outputs.items.push(outputRow(columns, { path: text(out.Path) }));
}

/**
 * FINISH does not mean success: MPS reports a finished task whose sub-tasks failed with
 * ErrCode 0. Only the task's ErrCode (the source failed) or the sub-tasks tell: `counted` is how
 * many sub-tasks (and files with a status of their own) carry a status, `failures` how many of
 * them failed.
 */
export function outcomeOf(status: string | null, errCode: number | null, counted: number, failures: number): Outcome {
  if (status === 'PROCESSING') return 'processing';
  if (status !== 'FINISH') return 'unknown';
  if (errCode) return 'failed';
  if (failures === 0) return 'succeeded';
  return failures === counted ? 'failed' : 'partial';
}

/** The sub-tasks, inputs and media of the event, into `parts`. */
function read(parsed: ParsedEvent, parts: RecordParts): { subTasks: SubTaskRef[]; media: Media | null } {
  if (!parsed.documented) return { subTasks: [], media: null };
  const event = parsed.event;
  switch (event.EventType) {
    case 'WorkflowTask': {
      const t = event.WorkflowTaskEvent;
      if (t.InputInfo) addInput(parts, t.InputInfo);
      return { subTasks: workflowSubTasks(t), media: media(t.MetaData) };
    }
    case 'ScheduleTask': {
      const t = event.ScheduleTaskEvent;
      if (t.InputInfo) addInput(parts, t.InputInfo);
      return { subTasks: scheduleSubTasks(t), media: media(t.MetaData) };
    }
    case 'EditMediaTask': {
      const t = event.EditMediaTaskEvent;
      // A clip that carries nothing adds nothing.
      for (const clip of t.Input?.FileInfoSet ?? []) {
        if (clip.InputInfo || clip.StartTimeOffset != null || clip.EndTimeOffset != null) addInput(parts, clip.InputInfo, clip);
      }
      const result = media(t.Output?.MetaData);
      addEditOutput(parts, t, result);
      return { subTasks: [], media: result };
    }
    case 'BatchTask': {
      const t = event.BatchTaskEvent;
      for (const info of t.InputInfos) addInput(parts, info);
      return { subTasks: batchSubTasks(t), media: null };
    }
    case 'ExtractBlindWatermark': {
      const t = event.ExtractBlindWatermarkTask;
      if (t.InputInfo) addInput(parts, t.InputInfo);
      return { subTasks: [], media: null };
    }
  }
}

export function normalize(parsed: ParsedEvent, meta: RecordMeta): NormalizedRecord {
  takeCuts();
  const parts = new RecordParts();
  const head = headOf(parsed);
  const { subTasks, media: metadata } = read(parsed, parts);
  // The outcome reads every sub-task; the record keeps what its caps allow.
  for (const ref of subTasks) readSubTask(ref, parts);
  const status = text(head.Status);
  const errCode = int(head.ErrCode);
  const record: NormalizedRecord = {
    schema_version: SCHEMA_VERSION,
    event_id: meta.eventId,
    event_type: parsed.event.EventType,
    task_id: text(head.TaskId),
    status,
    outcome: outcomeOf(status, errCode, parts.counted, parts.failures),
    err_code: errCode,
    err_code_ext: text(head.ErrCodeExt),
    message: text(head.Message),
    session_id: text(parsed.event.SessionId),
    session_context: text(parsed.event.SessionContext),
    inputs: parts.inputs.items,
    outputs: parts.outputs.items,
    ai_results: parts.aiResults.items,
    media: metadata,
    received_at: meta.receivedAt.toISOString(),
    request_id: capped(meta.requestId),
    function_name: capped(meta.functionName),
    raw_key: meta.rawKey,
    truncated: null,
    replayed_at: meta.replayedAt?.toISOString() ?? null,
    oversize: null,
  };
  const strings = takeCuts();
  const lost = { inputs: parts.inputs.lost, outputs: parts.outputs.lost, ai_results: parts.aiResults.lost, labels: parts.labels.lost, strings };
  if (lost.inputs > 0 || lost.outputs > 0 || lost.ai_results > 0 || lost.labels > 0 || strings > 0) record.truncated = lost;
  return record;
}
