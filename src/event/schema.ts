import * as z from '../zod';

/*
 * MPS notifications, read leniently. Real events carry keys no document names, use absent, null
 * and [] interchangeably, and grow new sub-task types and enum values. So only what the archive
 * cannot do without is required (EventType, the task body, and the TaskId and Status of the types
 * whose model has them); every other field of an unexpected type reads as absent instead of
 * rejecting the event. The raw object keeps everything as received: these schemas only decide
 * validity and feed normalization. The shapes are those of tencentcloud-sdk-nodejs's MPS models
 * (mps/v20190612/mps_models.ts, ParseNotificationResponse and what it holds).
 */

const lenient = <T extends z.ZodMiniType>(schema: T) => z.catch(z.nullish(schema), null);
const text = lenient(z.string());
const num = lenient(z.number());
/** Integers in MPS's API (codes, sizes, pixels, bit rates); anything else reads as absent. */
const int = lenient(z.int());
const optionalObject = <T extends z.core.$ZodShape>(shape: T) => lenient(z.object(shape));

/** A collection that may be absent, null or []; `read` turns each item into zero or more values. */
const collection = <U>(read: (item: unknown) => U[]) =>
  z.pipe(lenient(z.array(z.unknown())), z.transform((items) => (items ?? []).flatMap(read)));

/** A collection whose items of the wrong shape are skipped, not fatal. */
const list = <T extends z.ZodMiniType>(item: T) =>
  collection((raw) => {
    const parsed = item.safeParse(raw);
    return parsed.success ? [parsed.data as z.output<T>] : [];
  });

export const StorageSchema = optionalObject({
  Type: text,
  CosOutputStorage: optionalObject({ Bucket: text, Region: text }),
  S3OutputStorage: optionalObject({ S3Bucket: text, S3Region: text }),
  VODOutputStorage: optionalObject({ Bucket: text, Region: text, SubAppId: int }),
});

export const InputInfoSchema = optionalObject({
  Type: text,
  CosInputInfo: optionalObject({ Bucket: text, Region: text, Object: text }),
  UrlInputInfo: optionalObject({ Url: text }),
  S3InputInfo: optionalObject({ S3Bucket: text, S3Region: text, S3Object: text }),
  VODInputInfo: optionalObject({ Bucket: text, Region: text, Object: text, SubAppId: int, FileId: text }),
});

export const MetaDataSchema = optionalObject({
  Duration: num,
  Width: int,
  Height: int,
  Bitrate: int,
  Size: int,
  Container: text,
  Rotate: int,
  // Read by normalization for their first codec only: not copied item by item.
  VideoStreamSet: z.optional(z.unknown()),
  AudioStreamSet: z.optional(z.unknown()),
});

/**
 * One media or AI sub-task. What makes an object a sub-task is its Status string. Its Output
 * comes in dozens of shapes, one per sub-task type and more with each release: normalization
 * reads the fields it keeps from it by name (src/normalize/), which costs a fraction of a schema
 * of every shape, and reads a type MPS adds as well as the ones it knows.
 */
export const SubTaskSchema = z.object({
  Status: z.string(),
  ErrCode: int,
  ErrCodeExt: text,
  Message: text,
  BeginProcessTime: text,
  FinishTime: text,
  Input: optionalObject({ OutputStorage: StorageSchema, Definition: int }),
  Output: z.optional(z.unknown()),
});

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The sub-task an object holds: its one populated value with a Status, under a name that depends
 * on the type (TranscodeTask, ClassificationTask, ...). Found by its shape rather than its name,
 * so that a sub-task type added by MPS is still summarized.
 */
function subTaskIn(container: Record<string, unknown>, skip: string): { name: string; task: SubTask } | null {
  for (const name in container) {
    const value = container[name];
    // Most siblings are null: checking the shape first spares zod building an error for each.
    if (name === skip || typeof (value as { Status?: unknown } | null)?.Status !== 'string') continue;
    const parsed = SubTaskSchema.safeParse(value);
    if (parsed.success) return { name, task: parsed.data };
  }
  return null;
}

export interface ResultItem {
  /** The item's Type (an activity's ActivityType). */
  type: string | null;
  /** The name the sub-task is under (TranscodeTask, HighlightTask, ...). */
  name: string | null;
  task: SubTask | null;
}

/**
 * An item of a result set (a Type, and its sub-task beside it) or of a ScheduleTask's
 * ActivityResultSet (an ActivityType, and its sub-task in ActivityResItem). A plain function over
 * the set rather than a schema per item: result sets are most of an event, and giving each item a
 * schema, a pipe and a parse of its own was a sixth of its validation.
 */
const resultItem =
  (typeField: 'Type' | 'ActivityType', holder?: string) =>
  (item: unknown): ResultItem[] => {
    if (!isObject(item)) return [];
    const container = holder === undefined ? item : item[holder];
    const found = isObject(container) ? subTaskIn(container, typeField) : null;
    const type = item[typeField];
    // An item that carries nothing adds nothing: a set of empty items must not grow the record.
    if (typeof type !== 'string' && found === null) return [];
    return [{ type: typeof type === 'string' ? type : null, name: found?.name ?? null, task: found?.task ?? null }];
  };

export const ResultSetSchema = collection(resultItem('Type'));

const taskId = z.string({ error: 'TaskId must be a string' }).check(z.minLength(1, 'TaskId must not be empty'));
const status = z.string({ error: 'Status must be a string' }).check(z.minLength(1, 'Status must not be empty'));

/** What every task body of the notification has, required where the model has it (not BatchTask's). */
const head = { TaskId: taskId, Status: status, ErrCode: int, ErrCodeExt: text, Message: text };
const optionalHead = { ...head, TaskId: text, Status: text };

export const WorkflowTaskSchema = z.object({
  ...head,
  InputInfo: InputInfoSchema,
  MetaData: MetaDataSchema,
  MediaProcessResultSet: ResultSetSchema,
  AiContentReviewResultSet: ResultSetSchema,
  AiAnalysisResultSet: ResultSetSchema,
  AiRecognitionResultSet: ResultSetSchema,
  AiQualityControlTaskResult: lenient(SubTaskSchema),
  SmartSubtitlesTaskResult: ResultSetSchema,
  SmartEraseTaskResult: lenient(SubTaskSchema),
});

export const EditMediaTaskSchema = z.object({
  ...head,
  Input: optionalObject({
    FileInfoSet: list(z.object({ InputInfo: InputInfoSchema, StartTimeOffset: num, EndTimeOffset: num })),
  }),
  Output: optionalObject({ OutputStorage: StorageSchema, Path: text, MetaData: MetaDataSchema }),
});

/** A scheme (编排) of the console, the successor of workflows: the same sub-tasks, as activities. */
export const ScheduleTaskSchema = z.object({
  ...head,
  InputInfo: InputInfoSchema,
  MetaData: MetaDataSchema,
  ActivityResultSet: collection(resultItem('ActivityType', 'ActivityResItem')),
});

export const ExtractBlindWatermarkTaskSchema = z.object({ ...head, InputInfo: InputInfoSchema });

/** SmartSubtitleTaskBatchOutput: a sub-task whose output is split in two; its Status is optional in the model, as everything of it is. */
const BatchSubtitlesOutputSchema = z.object({
  Status: text,
  ErrCodeExt: text,
  Message: text,
  TransTextTask: z.optional(z.unknown()),
  AsrFullTextTask: z.optional(z.unknown()),
});

/**
 * BatchSubTaskResult: the model gives it no TaskId, Status or ErrCode, so none is required; they
 * are read where an event carries them. Each of its smart subtitles outputs is a sub-task.
 */
export const BatchTaskSchema = z.object({
  ...optionalHead,
  InputInfos: collection((raw) => {
    const info = InputInfoSchema.parse(raw);
    return info ? [info] : [];
  }),
  SmartSubtitlesTaskResult: optionalObject({
    Input: optionalObject({ Definition: int }),
    Outputs: list(BatchSubtitlesOutputSchema),
  }),
});

const envelope = { SessionId: text, SessionContext: text };

/** The EventTypes of ParseNotificationResponse, each with the field that holds its task. */
export const TASK_FIELDS = {
  WorkflowTask: 'WorkflowTaskEvent',
  EditMediaTask: 'EditMediaTaskEvent',
  ScheduleTask: 'ScheduleTaskEvent',
  BatchTask: 'BatchTaskEvent',
  ExtractBlindWatermark: 'ExtractBlindWatermarkTask',
} as const;

export type EventType = keyof typeof TASK_FIELDS;
export const EVENT_TYPES = Object.keys(TASK_FIELDS) as EventType[];

export const MpsEventSchema = z.discriminatedUnion('EventType', [
  z.object({ EventType: z.literal('WorkflowTask'), WorkflowTaskEvent: WorkflowTaskSchema, ...envelope }),
  z.object({ EventType: z.literal('EditMediaTask'), EditMediaTaskEvent: EditMediaTaskSchema, ...envelope }),
  z.object({ EventType: z.literal('ScheduleTask'), ScheduleTaskEvent: ScheduleTaskSchema, ...envelope }),
  z.object({ EventType: z.literal('BatchTask'), BatchTaskEvent: BatchTaskSchema, ...envelope }),
  z.object({ EventType: z.literal('ExtractBlindWatermark'), ExtractBlindWatermarkTask: ExtractBlindWatermarkTaskSchema, ...envelope }),
]);

/**
 * The name of an EventType no model documents: letters, digits, "_", "-" and ".", as every MPS
 * event type is spelled, so that it is its own partition as it is. Anything else in EventType is
 * not an event type of MPS.
 */
export const EVENT_TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * An EventType MPS has not documented yet: archived under its own name with what its body holds
 * of the fields every task has, the body being where the notification's naming puts it
 * (`{EventType}Event`, as four of the five documented types have it). Made when one first
 * arrives, which most instances never see.
 */
export const undocumentedEventSchema = () =>
  z.object({
    EventType: z.string().check(z.regex(EVENT_TYPE_NAME)),
    Task: optionalObject(optionalHead),
    ...envelope,
  });

/** Where the payload's body is when its EventType is one no model documents, as above; undefined otherwise. */
export function undocumentedBody(payload: unknown): string | undefined {
  const type = isObject(payload) ? payload.EventType : undefined;
  return typeof type === 'string' && !Object.hasOwn(TASK_FIELDS, type) && EVENT_TYPE_NAME.test(type) ? `${type}Event` : undefined;
}

export type Storage = z.infer<typeof StorageSchema>;
export type InputInfo = z.infer<typeof InputInfoSchema>;
export type MetaData = z.infer<typeof MetaDataSchema>;
export type SubTask = z.infer<typeof SubTaskSchema>;
export type WorkflowTask = z.infer<typeof WorkflowTaskSchema>;
export type EditMediaTask = z.infer<typeof EditMediaTaskSchema>;
export type ScheduleTask = z.infer<typeof ScheduleTaskSchema>;
export type BatchTask = z.infer<typeof BatchTaskSchema>;
export type MpsEvent = z.infer<typeof MpsEventSchema>;
export type UndocumentedEvent = z.infer<ReturnType<typeof undocumentedEventSchema>>;
/** What parseEvent gives: an event of a documented type, or of one MPS has not documented yet. */
export type ParsedEvent = { documented: true; event: MpsEvent } | { documented: false; event: UndocumentedEvent };

/** The fields every record and key is made of, whatever the type. */
export interface TaskHead {
  TaskId?: string | null | undefined;
  Status?: string | null | undefined;
  ErrCode?: number | null | undefined;
  ErrCodeExt?: string | null | undefined;
  Message?: string | null | undefined;
}

export function headOf(parsed: ParsedEvent): TaskHead {
  if (!parsed.documented) return parsed.event.Task ?? {};
  const event = parsed.event;
  switch (event.EventType) {
    case 'WorkflowTask':
      return event.WorkflowTaskEvent;
    case 'EditMediaTask':
      return event.EditMediaTaskEvent;
    case 'ScheduleTask':
      return event.ScheduleTaskEvent;
    case 'BatchTask':
      return event.BatchTaskEvent;
    case 'ExtractBlindWatermark':
      return event.ExtractBlindWatermarkTask;
  }
}
