import {
  taskOf,
  type EditMediaTask,
  type InputInfo,
  type MetaData,
  type MpsEvent,
  type ResultItem,
  type Storage,
  type SubTask,
  type WorkflowTask,
} from './event/schema';
import type { AiResult, Media, NormalizedInput, NormalizedOutput, NormalizedRecord, Outcome, Truncated } from './record';
import { SCHEMA_VERSION } from './schema-version';

export interface RecordMeta {
  eventId: string;
  rawKey: string;
  receivedAt: Date;
  replayedAt?: Date | undefined;
  requestId: string;
  functionName: string;
}

/**
 * The most items the record keeps of each list. Real tasks have tens; a 128 KB event can list
 * tens of thousands of small items, each of which would become a record entry many times its
 * size, and the record would outgrow the instance's memory. The raw object keeps every one.
 */
export const MAX_ITEMS = 1_000;
/**
 * The longest string the record keeps. MPS's own strings are far shorter; a synchronous Invoke
 * can send megabytes in one, which the record would otherwise hold (and serialize) once more.
 */
export const MAX_TEXT = 8_192;

/** Absent, null and "" all mean "MPS said nothing": the record says null. */
const str = (v: string | null | undefined): string | null => (v === undefined || v === '' ? null : v);
const num = (v: number | null | undefined): number | null => v ?? null;

function input(
  info: InputInfo,
  offsets?: { StartTimeOffset?: number | null | undefined; EndTimeOffset?: number | null | undefined },
): NormalizedInput {
  return {
    type: str(info?.Type),
    bucket: str(info?.CosInputInfo?.Bucket ?? info?.S3InputInfo?.S3Bucket),
    region: str(info?.CosInputInfo?.Region ?? info?.S3InputInfo?.S3Region),
    object: str(info?.CosInputInfo?.Object ?? info?.S3InputInfo?.S3Object),
    url: str(info?.UrlInputInfo?.Url),
    start_time_offset: num(offsets?.StartTimeOffset),
    end_time_offset: num(offsets?.EndTimeOffset),
  };
}

function storage(s: Storage): Pick<NormalizedOutput, 'storage_type' | 'bucket' | 'region'> {
  return {
    storage_type: str(s?.Type),
    bucket: str(s?.CosOutputStorage?.Bucket ?? s?.S3OutputStorage?.S3Bucket ?? s?.VODOutputStorage?.Bucket),
    region: str(s?.CosOutputStorage?.Region ?? s?.S3OutputStorage?.S3Region ?? s?.VODOutputStorage?.Region),
  };
}

function media(m: MetaData): Media | null {
  if (!m) return null;
  return {
    duration: num(m.Duration),
    width: num(m.Width),
    height: num(m.Height),
    bitrate: num(m.Bitrate),
    size: num(m.Size),
    container: str(m.Container),
    rotate: num(m.Rotate),
  };
}

/** A media sub-task. A failed one has no Output: its storage is the one it was asked to write to. */
function mediaOutput({ type, task }: ResultItem): NormalizedOutput {
  const out = task?.Output;
  const path = str(out?.Path);
  const paths = [path, ...(out?.PicInfoSet ?? []).map((p) => p.Path), ...(out?.ImagePathSet ?? []), str(out?.WebVttPath)];
  return {
    task_type: str(type),
    status: str(task?.Status),
    err_code: num(task?.ErrCode),
    message: str(task?.Message),
    ...storage(out?.OutputStorage ?? out?.Storage ?? task?.Input?.OutputStorage),
    path,
    paths: paths.filter((p): p is string => !!p),
    definition: num(out?.Definition ?? task?.Input?.Definition),
    size: num(out?.Size),
    duration: num(out?.Duration),
    bitrate: num(out?.Bitrate),
    width: num(out?.Width),
    height: num(out?.Height),
    container: str(out?.Container),
  };
}

function editOutput(task: EditMediaTask): NormalizedOutput[] {
  const out = task.Output;
  if (!out) return [];
  const meta = media(out.MetaData);
  const path = str(out.Path);
  return [
    {
      task_type: 'EditMedia',
      status: task.ErrCode ? 'FAIL' : 'SUCCESS',
      err_code: num(task.ErrCode),
      message: str(task.Message),
      ...storage(out.OutputStorage),
      path,
      paths: path ? [path] : [],
      definition: null,
      size: meta?.size ?? null,
      duration: meta?.duration ?? null,
      bitrate: meta?.bitrate ?? null,
      width: meta?.width ?? null,
      height: meta?.height ?? null,
      container: meta?.container ?? null,
    },
  ];
}

function aiResult(category: AiResult['category'], type: string | null, task: SubTask | null): AiResult {
  return {
    category,
    type: str(type),
    status: str(task?.Status),
    err_code: num(task?.ErrCode),
    message: str(task?.Message),
  };
}

function aiResults(t: WorkflowTask): AiResult[] {
  const sets: [AiResult['category'], ResultItem[]][] = [
    ['content_review', t.AiContentReviewResultSet],
    ['analysis', t.AiAnalysisResultSet],
    ['recognition', t.AiRecognitionResultSet],
    ['smart_subtitles', t.SmartSubtitlesTaskResult],
  ];
  const results = sets.flatMap(([category, items]) => items.map((i) => aiResult(category, i.type, i.task)));
  if (t.AiQualityControlTaskResult) results.push(aiResult('quality_control', null, t.AiQualityControlTaskResult));
  if (t.SmartEraseTaskResult) results.push(aiResult('smart_erase', null, t.SmartEraseTaskResult));
  return results;
}

const failed = (s: { status: string | null; err_code: number | null }) =>
  s.status === 'FAIL' || (s.err_code !== null && s.err_code !== 0);

/**
 * FINISH does not mean success: MPS reports a finished task whose sub-tasks failed with
 * ErrCode 0. Only the task's ErrCode (the source failed) or the sub-tasks tell.
 */
export function outcomeOf(
  status: string,
  errCode: number | null,
  subTasks: { status: string | null; err_code: number | null }[],
): Outcome {
  if (status === 'PROCESSING') return 'processing';
  if (status !== 'FINISH') return 'unknown';
  if (errCode) return 'failed';
  const failures = subTasks.filter(failed).length;
  if (failures === 0) return 'succeeded';
  return failures === subTasks.length ? 'failed' : 'partial';
}

/** Cuts each list of the record to MAX_ITEMS, in place; how many items each lost. */
function capLists(record: Pick<NormalizedRecord, 'inputs' | 'outputs' | 'ai_results'>): Omit<Truncated, 'strings'> {
  const lost = { inputs: 0, outputs: 0, ai_results: 0 };
  for (const name of ['inputs', 'outputs', 'ai_results'] as const) {
    if (record[name].length <= MAX_ITEMS) continue;
    lost[name] = record[name].length - MAX_ITEMS;
    record[name].length = MAX_ITEMS;
  }
  return lost;
}

/** Cuts every string of the record to MAX_TEXT characters, in place; how many it cut. */
function capStrings(value: Record<string, unknown>): number {
  let cut = 0;
  // for...in, not Object.entries: it runs for every event, and its pairs cost more than the rest of it.
  for (const key in value) {
    const v = value[key];
    if (typeof v === 'string') {
      if (v.length > MAX_TEXT) {
        value[key] = v.slice(0, MAX_TEXT);
        cut++;
      }
    } else if (v !== null && typeof v === 'object') {
      cut += capStrings(v as Record<string, unknown>);
    }
  }
  return cut;
}

export function normalize(event: MpsEvent, meta: RecordMeta): NormalizedRecord {
  const task = taskOf(event);
  let inputs: NormalizedInput[];
  let outputs: NormalizedOutput[];
  let ai: AiResult[] = [];
  let metadata: Media | null;
  if (event.EventType === 'WorkflowTask') {
    const t = event.WorkflowTaskEvent;
    inputs = t.InputInfo ? [input(t.InputInfo)] : [];
    outputs = t.MediaProcessResultSet.map(mediaOutput);
    ai = aiResults(t);
    metadata = media(t.MetaData);
  } else {
    const t = event.EditMediaTaskEvent;
    inputs = (t.Input?.FileInfoSet ?? [])
      // A clip that carries nothing adds nothing.
      .filter((f) => f.InputInfo || f.StartTimeOffset != null || f.EndTimeOffset != null)
      .map((f) => input(f.InputInfo, f));
    outputs = editOutput(t);
    metadata = media(t.Output?.MetaData);
  }
  const record: NormalizedRecord = {
    schema_version: SCHEMA_VERSION,
    event_id: meta.eventId,
    event_type: event.EventType,
    task_id: task.TaskId,
    status: task.Status,
    outcome: outcomeOf(task.Status, num(task.ErrCode), [...outputs, ...ai]),
    err_code: num(task.ErrCode),
    message: str(task.Message),
    session_id: str(event.SessionId),
    session_context: str(event.SessionContext),
    inputs,
    outputs,
    ai_results: ai,
    media: metadata,
    received_at: meta.receivedAt.toISOString(),
    request_id: meta.requestId,
    function_name: meta.functionName,
    raw_key: meta.rawKey,
    truncated: null,
    replayed_at: meta.replayedAt?.toISOString() ?? null,
    oversize: null,
  };
  // The outcome above read every sub-task; the record keeps what its caps allow.
  const lost = capLists(record);
  const strings = capStrings(record as unknown as Record<string, unknown>);
  if (strings > 0 || lost.inputs > 0 || lost.outputs > 0 || lost.ai_results > 0) record.truncated = { ...lost, strings };
  return record;
}
