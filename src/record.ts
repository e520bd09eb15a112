import * as z from 'zod';
import { ERROR_SCHEMA_VERSION, SCHEMA_VERSION } from './schema-version';

/*
 * What the function writes besides the raw event. These schemas are the contract with whoever
 * queries the archive, and the published schemas, tables and views are made from them, so that
 * every engine sees one stable shape. A field MPS gave nothing for is left out of the stored
 * record (src/json.ts, withoutNulls), and reads as null; lists are always there. An incompatible
 * change bumps SCHEMA_VERSION, and the archive then holds records of both versions:
 * ArchivedRecordSchema reads either. The handler imports only their types, so they cost nothing
 * at cold start.
 */

/** A value MPS may not give: null, or left out of the stored record. */
const text = z.string().nullish();
const num = z.number().nullish();
const int = z.number().int().nullish();
/** An ISO 8601 time as MPS gives it. */
const time = z.string().nullish();

export const OUTCOMES = ['processing', 'succeeded', 'partial', 'failed', 'unknown'] as const;
export const AI_CATEGORIES = ['content_review', 'analysis', 'recognition', 'quality_control', 'smart_subtitles', 'smart_erase'] as const;

export const InputSchema = z.object({
  type: text,
  bucket: text,
  region: text,
  object: text,
  url: text,
  /** VOD: the file's FileId, and the VOD application it belongs to. */
  file_id: text,
  sub_app_id: int,
  start_time_offset: num,
  end_time_offset: num,
});

/** The times MPS gives a sub-task, and how long it ran (null unless both are there). */
const times = {
  begin_process_time: time,
  finish_time: time,
  duration_ms: int,
};

/** One file a sub-task reports (or, for a media sub-task that reports none, the sub-task itself). */
export const OutputSchema = z.object({
  /** The media sub-task's Type (Transcode, ...), or the AI task's own name (AiAnalysis.Highlight, SmartSubtitles.TransText, ...). */
  task_type: text,
  /** What the file is, where the sub-task writes several kinds (video, cover, subtitle, webvtt, ...); null for its Path. */
  role: text,
  /** The sub-task's Status, or the file's own where MPS gives one (a subtitle language's). */
  status: text,
  err_code: int,
  err_code_ext: text,
  message: text,
  storage_type: text,
  bucket: text,
  region: text,
  sub_app_id: int,
  path: text,
  file_id: text,
  /** A subtitle file's language. */
  language: text,
  /** A snapshot's time in the video, in seconds. */
  time_offset: num,
  definition: int,
  size: int,
  duration: num,
  bitrate: int,
  width: int,
  height: int,
  container: text,
  md5: text,
  video_codec: text,
  audio_codec: text,
  /** Adaptive streaming's package: HLS or MPEG-DASH. */
  package: text,
  ...times,
});

export const LabelSchema = z.object({ label: z.string(), confidence: num });

/** One AI task, with its verdict in columns a query can filter on; the raw object keeps the rest. */
export const AiResultSchema = z.object({
  category: z.enum(AI_CATEGORIES),
  /** The AI task's own name, as in outputs' task_type. */
  task_type: text,
  /** The result item's Type as MPS sent it. */
  type: text,
  status: text,
  err_code: int,
  err_code_ext: text,
  message: text,
  /** The template the task ran with. */
  definition: int,
  /** Content review: pass, review or block, its label and confidence. */
  suggestion: text,
  label: text,
  confidence: num,
  /** Quality control: the quality score, whether a track is missing, the types of issue found. */
  score: num,
  no_audio: z.boolean().nullish(),
  no_video: z.boolean().nullish(),
  issue_types: z.array(z.string()),
  /** Classification and tagging: each label with its confidence. */
  labels: z.array(LabelSchema),
  ...times,
});

export const MediaSchema = z.object({
  duration: num,
  width: int,
  height: int,
  bitrate: int,
  size: int,
  container: text,
  rotate: int,
});

/** What the record left out past its caps; the raw object has it all. */
export const TruncatedSchema = z.object({
  /** Items left out of each list. */
  inputs: z.number().int(),
  outputs: z.number().int(),
  ai_results: z.number().int(),
  /** Entries left out of the labels and issue_types of ai_results. */
  labels: z.number().int(),
  /** Strings cut to their first 8,192 characters. */
  strings: z.number().int(),
});

/**
 * Set when the payload's JSON was over the size above which it is read as text, not parsed
 * (src/oversize.ts): its record holds only the fields read from the text, and the raw object all.
 */
export const OversizeSchema = z.object({
  /** The payload's JSON, in bytes. */
  bytes: z.number().int(),
  /** The size above which a payload is read as text. */
  limit: z.number().int(),
});

export const NormalizedRecordSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  /** MD5 (hex) of the raw object's bytes: also the raw object's ETag. */
  event_id: z.string(),
  event_type: z.string(),
  /** Null only where the event carries none (BatchTask's model has none, nor may an undocumented type). */
  task_id: text,
  status: text,
  outcome: z.enum(OUTCOMES),
  err_code: int,
  err_code_ext: text,
  message: text,
  session_id: text,
  session_context: text,
  inputs: z.array(InputSchema),
  outputs: z.array(OutputSchema),
  ai_results: z.array(AiResultSchema),
  media: MediaSchema.nullish(),
  received_at: z.string(),
  request_id: z.string(),
  function_name: z.string(),
  raw_key: z.string(),
  /** What the caps left out; null when nothing was. */
  truncated: TruncatedSchema.nullish(),
  /** When `npm run replay` wrote it (received_at stays the first receipt); null otherwise. */
  replayed_at: text,
  /**
   * Set when the event was too large to normalize (OversizeSchema): only event_type, task_id,
   * status, err_code, err_code_ext, message, session_id and session_context were read, the lists
   * are empty and the outcome is unknown unless the status or the task's codes tell it; null
   * otherwise.
   */
  oversize: OversizeSchema.nullish(),
});

/** Version 1 of the record, as the archive holds it from before version 2: every field there, null when MPS gave nothing. */
const v1 = { text: z.string().nullable(), num: z.number().nullable(), int: z.number().int().nullable() };

export const NormalizedRecordV1Schema = z.object({
  schema_version: z.literal(1),
  event_id: z.string(),
  event_type: z.string(),
  task_id: z.string(),
  status: z.string(),
  outcome: z.enum(OUTCOMES),
  err_code: v1.int,
  message: v1.text,
  session_id: v1.text,
  session_context: v1.text,
  inputs: z.array(
    z.object({
      type: v1.text,
      bucket: v1.text,
      region: v1.text,
      object: v1.text,
      url: v1.text,
      start_time_offset: v1.num,
      end_time_offset: v1.num,
    }),
  ),
  outputs: z.array(
    z.object({
      task_type: v1.text,
      status: v1.text,
      err_code: v1.int,
      message: v1.text,
      storage_type: v1.text,
      bucket: v1.text,
      region: v1.text,
      path: v1.text,
      /** Every file the sub-task reports (snapshots and sprites make several). */
      paths: z.array(z.string()),
      definition: v1.int,
      size: v1.int,
      duration: v1.num,
      bitrate: v1.int,
      width: v1.int,
      height: v1.int,
      container: v1.text,
    }),
  ),
  ai_results: z.array(
    z.object({ category: z.enum(AI_CATEGORIES), type: v1.text, status: v1.text, err_code: v1.int, message: v1.text }),
  ),
  media: z.object({ duration: v1.num, width: v1.int, height: v1.int, bitrate: v1.int, size: v1.int, container: v1.text, rotate: v1.int }).nullable(),
  received_at: z.string(),
  request_id: z.string(),
  function_name: z.string(),
  raw_key: z.string(),
  /** Added within version 1, last, so records written before it lack it. */
  truncated: z.object({ inputs: z.number().int(), outputs: z.number().int(), ai_results: z.number().int(), strings: z.number().int() }).nullable().optional(),
  /** Added within version 1, last, so records written before it lack it. */
  replayed_at: z.string().nullable().optional(),
});

/** A normalized record of the archive, of either version. */
export const ArchivedRecordSchema = z.discriminatedUnion('schema_version', [NormalizedRecordSchema, NormalizedRecordV1Schema]);

export const ErrorRecordSchema = z.object({
  schema_version: z.literal(ERROR_SCHEMA_VERSION),
  error_type: z.string(),
  message: z.string(),
  issues: z.array(
    z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() }),
  ),
  /** The payload as received, secrets masked; null when nothing (or undefined) arrived. */
  payload: z.unknown(),
  received_at: z.string(),
  request_id: z.string(),
  function_name: z.string(),
  /**
   * Set when the payload was too large to parse (OversizeSchema): the issues come from its head
   * alone, and the payload is its text masked string by string. Added within schema version 1,
   * last, so records written before it, which lack it, still match.
   */
  oversize: OversizeSchema.nullable().optional(),
});

export type Outcome = (typeof OUTCOMES)[number];
export type AiCategory = (typeof AI_CATEGORIES)[number];
export type NormalizedInput = z.infer<typeof InputSchema>;
export type NormalizedOutput = z.infer<typeof OutputSchema>;
export type AiResult = z.infer<typeof AiResultSchema>;
export type Label = z.infer<typeof LabelSchema>;
export type Media = z.infer<typeof MediaSchema>;
export type Truncated = z.infer<typeof TruncatedSchema>;
export type Oversize = z.infer<typeof OversizeSchema>;
export type NormalizedRecord = z.infer<typeof NormalizedRecordSchema>;
export type NormalizedRecordV1 = z.infer<typeof NormalizedRecordV1Schema>;
export type ArchivedRecord = z.infer<typeof ArchivedRecordSchema>;
export type ErrorRecord = z.infer<typeof ErrorRecordSchema>;
