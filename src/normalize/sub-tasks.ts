import { ResultSetSchema, StorageSchema, type BatchTask, type ResultItem, type ScheduleTask, type Storage, type SubTask, type WorkflowTask } from '../event/schema';
import type { AiCategory, NormalizedOutput } from '../record';
import type { RecordParts } from './collect';
import { factsOf, filesOf, type FoundFile } from './files';
import { asObject, capped, durationMs, int, text } from './read';
import { noVerdict, verdictOf } from './verdicts';

/*
 * Every kind of task reports the same sub-tasks (a WorkflowTask in its result sets, a
 * ScheduleTask in its activities, a BatchTask in its smart subtitles outputs): each is first
 * turned into a list of SubTaskRef, and one reader makes the record's rows of them all.
 */

/** A sub-task as the record reads it: a media sub-task, or an AI task of a category; a BatchTask's output may have no Status. */
export interface SubTaskRef extends Omit<ResultItem, 'task'> {
  task: (Omit<SubTask, 'Status'> & { Status: string | null | undefined }) | null;
  category: 'media' | AiCategory;
  /** Where the sub-task has no times of its own, the activity's it ran in. */
  timesOf?: SubTask;
}

/** The prefix of an AI task's name, as the console and ActivityType name its kind. */
const AI_NAMES: Record<AiCategory, string> = {
  content_review: 'AiContentReview',
  analysis: 'AiAnalysis',
  recognition: 'AiRecognition',
  quality_control: 'AiQualityControl',
  smart_subtitles: 'SmartSubtitles',
  smart_erase: 'SmartErase',
};

/** WorkflowTask's AI result sets, and its AI tasks that stand alone, in the order the record lists them. */
const WORKFLOW_SETS = [
  ['AiContentReviewResultSet', 'content_review'],
  ['AiAnalysisResultSet', 'analysis'],
  ['AiRecognitionResultSet', 'recognition'],
  ['SmartSubtitlesTaskResult', 'smart_subtitles'],
] as const;
const WORKFLOW_TASKS = [
  ['AiQualityControlTaskResult', 'quality_control'],
  ['SmartEraseTaskResult', 'smart_erase'],
] as const;

/**
 * ActivityResItem's AI tasks: the category, and whether its Output is a result set of the
 * WorkflowTask kind (ScheduleAnalysisTaskResult.Output is an Array<AiAnalysisResult>) or the task's
 * own output (ScheduleQualityControlTaskResult, SmartEraseTaskResult). Any other activity is read
 * as a media sub-task: the media ones, ExecRuleTask, and what MPS adds.
 */
const ACTIVITY_AI: Record<string, readonly [AiCategory, holdsResults: boolean]> = {
  ReviewTask: ['content_review', true],
  AnalysisTask: ['analysis', true],
  RecognitionTask: ['recognition', true],
  SmartSubtitlesTask: ['smart_subtitles', true],
  QualityControlTask: ['quality_control', false],
  SmartEraseTask: ['smart_erase', false],
};

/** SmartSubtitleTaskBatchOutput's two outputs. */
const BATCH_PARTS = ['TransTextTask', 'AsrFullTextTask'] as const;

export function workflowSubTasks(t: WorkflowTask): SubTaskRef[] {
  const refs: SubTaskRef[] = t.MediaProcessResultSet.map((item) => ({ category: 'media', ...item }));
  for (const [field, category] of WORKFLOW_SETS) for (const item of t[field]) refs.push({ category, ...item });
  for (const [field, category] of WORKFLOW_TASKS) {
    const task = t[field];
    if (task) refs.push({ category, type: null, name: null, task });
  }
  return refs;
}

export function scheduleSubTasks(t: ScheduleTask): SubTaskRef[] {
  return t.ActivityResultSet.flatMap(({ type, name, task }): SubTaskRef[] => {
    const ai = name !== null && Object.hasOwn(ACTIVITY_AI, name) ? ACTIVITY_AI[name] : undefined;
    if (!ai || !task) return [{ category: 'media', type, name, task }];
    const [category, holdsResults] = ai;
    const results = holdsResults ? ResultSetSchema.parse(task.Output) : [];
    // An activity whose results are not there yet, never came, or name only their Type, is a task of its own.
    if (results.every((item) => item.task === null)) return [{ category, type, name: null, task }];
    return results.map((item) => ({ category, ...item, timesOf: task }));
  });
}

export function batchSubTasks(t: BatchTask): SubTaskRef[] {
  const result = t.SmartSubtitlesTaskResult;
  const Input = { OutputStorage: null, Definition: result?.Input?.Definition ?? null };
  return (result?.Outputs ?? []).flatMap((o): SubTaskRef[] => {
    const task = { Status: o.Status, ErrCode: null, ErrCodeExt: o.ErrCodeExt, Message: o.Message, BeginProcessTime: null, FinishTime: null, Input };
    const parts = BATCH_PARTS.filter((name) => asObject(o[name]));
    if (parts.length === 0) return [{ category: 'smart_subtitles', type: null, name: null, task: { ...task, Output: null } }];
    return parts.map((name) => ({ category: 'smart_subtitles', type: null, name, task: { ...task, Output: o[name] } }));
  });
}

/** The AI task's own name: its kind, and the name its sub-task is under less "Task" (AiAnalysis.Highlight). */
function aiName(category: AiCategory, name: string | null): string {
  if (name === null) return AI_NAMES[category];
  return capped(`${AI_NAMES[category]}.${name.endsWith('Task') ? name.slice(0, -4) : name}`);
}

export function storageColumns(s: Storage): Pick<NormalizedOutput, 'storage_type' | 'bucket' | 'region' | 'sub_app_id'> {
  return {
    storage_type: text(s?.Type),
    bucket: text(s?.CosOutputStorage?.Bucket ?? s?.S3OutputStorage?.S3Bucket ?? s?.VODOutputStorage?.Bucket),
    region: text(s?.CosOutputStorage?.Region ?? s?.S3OutputStorage?.S3Region ?? s?.VODOutputStorage?.Region),
    sub_app_id: int(s?.VODOutputStorage?.SubAppId),
  };
}

/** What every row of one sub-task shares. */
export interface SubTaskColumns {
  taskType: string | null;
  status: string | null;
  errCode: number | null;
  errCodeExt: string | null;
  message: string | null;
  storage: ReturnType<typeof storageColumns>;
  definition: number | null;
  facts: Partial<ReturnType<typeof factsOf>> | null;
  begin: string | null;
  finish: string | null;
  duration: number | null;
}

/** A row of outputs: a file of the sub-task, or the sub-task itself where it reports none. */
export function outputRow(c: SubTaskColumns, file: Partial<FoundFile> | null): NormalizedOutput {
  const own = file?.storage ? StorageSchema.parse(file.storage) : null;
  const storage = own ? storageColumns(own) : c.storage;
  const facts = c.facts;
  // Every field written out, no spread: a literal of one shape is what V8 makes fastest.
  return {
    task_type: c.taskType,
    role: file?.role ?? null,
    status: file?.status ?? c.status,
    err_code: c.errCode,
    err_code_ext: c.errCodeExt,
    message: c.message,
    storage_type: storage.storage_type,
    bucket: storage.bucket,
    region: storage.region,
    sub_app_id: storage.sub_app_id,
    path: file?.path ?? null,
    file_id: file?.file_id ?? null,
    language: file?.language ?? null,
    time_offset: file?.time_offset ?? null,
    definition: c.definition,
    size: facts?.size ?? null,
    duration: file?.duration ?? facts?.duration ?? null,
    bitrate: facts?.bitrate ?? null,
    width: facts?.width ?? null,
    height: facts?.height ?? null,
    container: facts?.container ?? null,
    md5: facts?.md5 ?? null,
    video_codec: facts?.video_codec ?? null,
    audio_codec: facts?.audio_codec ?? null,
    package: facts?.package ?? null,
    begin_process_time: c.begin,
    finish_time: c.finish,
    duration_ms: c.duration,
  };
}

/**
 * The rows of one sub-task: an ai_results row for an AI task; an outputs row for each file it
 * reports; and for a media sub-task that reports none (a failed one has no Output), one row all
 * the same, holding the storage it was asked to write to.
 */
export function readSubTask(ref: SubTaskRef, parts: RecordParts): void {
  const { category, task } = ref;
  const timed = task?.BeginProcessTime || task?.FinishTime ? task : (ref.timesOf ?? task);
  const begin = text(timed?.BeginProcessTime);
  const finish = text(timed?.FinishTime);
  const duration = durationMs(begin, finish);
  const taskType = category === 'media' ? text(ref.type) : aiName(category, ref.name);
  const status = text(task?.Status);
  const errCode = int(task?.ErrCode);
  const errCodeExt = text(task?.ErrCodeExt);
  const message = text(task?.Message);
  const output = asObject(task?.Output);
  parts.count(status, errCode, errCodeExt);

  if (category !== 'media' && parts.aiResults.room()) {
    const verdict = output ? verdictOf(output, parts.labels) : noVerdict();
    parts.aiResults.items.push({
      category,
      task_type: taskType,
      type: text(ref.type),
      status,
      err_code: errCode,
      err_code_ext: errCodeExt,
      message,
      definition: int(task?.Input?.Definition),
      suggestion: verdict.suggestion,
      label: verdict.label,
      confidence: verdict.confidence,
      score: verdict.score,
      no_audio: verdict.no_audio,
      no_video: verdict.no_video,
      issue_types: verdict.issue_types,
      labels: verdict.labels,
      begin_process_time: begin,
      finish_time: finish,
      duration_ms: duration,
    });
  }

  const found = output ? filesOf(output) : null;
  // A file's own status (a subtitle language's) counts for the outcome beside its sub-task's.
  for (const itemStatus of found?.statuses ?? []) parts.count(itemStatus);
  parts.outputs.lost += found?.lost ?? 0;
  const files: (FoundFile | null)[] = found && found.found.length > 0 ? found.found : category === 'media' ? [null] : [];
  if (files.length === 0) return;
  // What the rows share, made only for a sub-task that has rows: most AI tasks have none.
  const facts = output ? factsOf(output) : null;
  const columns: SubTaskColumns = {
    taskType,
    status,
    errCode,
    errCodeExt,
    message,
    storage: storageColumns(StorageSchema.parse(output?.OutputStorage) ?? StorageSchema.parse(output?.Storage) ?? task?.Input?.OutputStorage),
    definition: facts?.definition ?? int(task?.Input?.Definition),
    facts,
    begin,
    finish,
    duration,
  };
  for (const file of files) if (parts.outputs.room()) parts.outputs.items.push(outputRow(columns, file));
}
