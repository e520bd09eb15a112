import * as z from '../zod';

/*
 * MPS trigger events, read leniently. Real events carry keys no document names, use absent, null
 * and [] interchangeably, and grow new sub-task types and enum values. So only what the archive
 * cannot do without is required (EventType, the task body, TaskId, Status); every other field of
 * an unexpected type reads as absent instead of rejecting the event. The raw object keeps
 * everything as received: these schemas only decide validity and feed normalization.
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
  VODOutputStorage: optionalObject({ Bucket: text, Region: text }),
});

export const InputInfoSchema = optionalObject({
  Type: text,
  CosInputInfo: optionalObject({ Bucket: text, Region: text, Object: text }),
  UrlInputInfo: optionalObject({ Url: text }),
  S3InputInfo: optionalObject({ S3Bucket: text, S3Region: text, S3Object: text }),
});

export const MetaDataSchema = optionalObject({
  Duration: num,
  Width: int,
  Height: int,
  Bitrate: int,
  Size: int,
  Container: text,
  Rotate: int,
});

/** One media or AI sub-task. What makes an object a sub-task is its Status string. */
export const SubTaskSchema = z.object({
  Status: z.string(),
  ErrCode: int,
  Message: text,
  Input: optionalObject({ OutputStorage: StorageSchema, OutputObjectPath: text, Definition: int }),
  Output: optionalObject({
    // Transcode names its storage OutputStorage; the other sub-tasks name it Storage.
    OutputStorage: StorageSchema,
    Storage: StorageSchema,
    Path: text,
    Definition: int,
    Size: int,
    Duration: num,
    Bitrate: int,
    Width: int,
    Height: int,
    Container: text,
    PicInfoSet: list(z.object({ Path: z.string() })),
    ImagePathSet: list(z.string()),
    WebVttPath: text,
  }),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An item of a result set: a Type and one populated sub-task under a name that depends on the
 * type (TranscodeTask, AnimatedGraphicTask, ClassificationTask, ...). The sub-task is found by
 * its shape rather than its name, so that a sub-task type added by MPS is still summarized.
 * A plain function over the set rather than a schema per item: result sets are most of an event,
 * and giving each item a schema, a pipe and a parse of its own was a sixth of its validation.
 */
function resultItem(item: unknown): { type: string | null; task: SubTask | null }[] {
  if (!isObject(item)) return [];
  let task: SubTask | null = null;
  for (const name in item) {
    const value = item[name];
    // Most siblings are null: checking the shape first spares zod building an error for each.
    if (name === 'Type' || typeof (value as { Status?: unknown } | null)?.Status !== 'string') continue;
    const parsed = SubTaskSchema.safeParse(value);
    if (parsed.success) {
      task = parsed.data;
      break;
    }
  }
  const type = typeof item.Type === 'string' ? item.Type : null;
  // An item that carries nothing adds nothing: a set of empty items must not grow the record.
  return type === null && task === null ? [] : [{ type, task }];
}

const resultSet = collection(resultItem);

const taskId = z.string({ error: 'TaskId must be a string' }).check(z.minLength(1, 'TaskId must not be empty'));
const status = z.string({ error: 'Status must be a string' }).check(z.minLength(1, 'Status must not be empty'));

export const WorkflowTaskSchema = z.object({
  TaskId: taskId,
  Status: status,
  ErrCode: int,
  Message: text,
  InputInfo: InputInfoSchema,
  MetaData: MetaDataSchema,
  MediaProcessResultSet: resultSet,
  AiContentReviewResultSet: resultSet,
  AiAnalysisResultSet: resultSet,
  AiRecognitionResultSet: resultSet,
  AiQualityControlTaskResult: lenient(SubTaskSchema),
  SmartSubtitlesTaskResult: resultSet,
  SmartEraseTaskResult: lenient(SubTaskSchema),
});

export const EditMediaTaskSchema = z.object({
  TaskId: taskId,
  Status: status,
  ErrCode: int,
  Message: text,
  Input: optionalObject({
    FileInfoSet: list(
      z.object({ InputInfo: InputInfoSchema, StartTimeOffset: num, EndTimeOffset: num }),
    ),
  }),
  Output: optionalObject({ OutputStorage: StorageSchema, Path: text, MetaData: MetaDataSchema }),
});

const envelope = { SessionId: text, SessionContext: text };

export const EVENT_TYPES = ['WorkflowTask', 'EditMediaTask'] as const;

export const MpsEventSchema = z.discriminatedUnion('EventType', [
  z.object({ EventType: z.literal('WorkflowTask'), WorkflowTaskEvent: WorkflowTaskSchema, ...envelope }),
  z.object({ EventType: z.literal('EditMediaTask'), EditMediaTaskEvent: EditMediaTaskSchema, ...envelope }),
]);

export type Storage = z.infer<typeof StorageSchema>;
export type InputInfo = z.infer<typeof InputInfoSchema>;
export type MetaData = z.infer<typeof MetaDataSchema>;
export type SubTask = z.infer<typeof SubTaskSchema>;
export type ResultItem = z.infer<typeof resultSet>[number];
export type WorkflowTask = z.infer<typeof WorkflowTaskSchema>;
export type EditMediaTask = z.infer<typeof EditMediaTaskSchema>;
export type MpsEvent = z.infer<typeof MpsEventSchema>;

export function taskOf(event: MpsEvent): WorkflowTask | EditMediaTask {
  return event.EventType === 'WorkflowTask' ? event.WorkflowTaskEvent : event.EditMediaTaskEvent;
}
