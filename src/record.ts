import * as z from 'zod';
import { SCHEMA_VERSION } from './schema-version';

/*
 * What the function writes besides the raw event. These schemas are the contract with whoever
 * queries the archive: every field is always present (null when MPS gave nothing), so that
 * query engines see one stable shape. An incompatible change bumps SCHEMA_VERSION. The handler
 * imports only their types, so they cost nothing at cold start.
 */

const text = z.string().nullable();
const num = z.number().nullable();
const int = z.number().int().nullable();

export const OUTCOMES = ['processing', 'succeeded', 'partial', 'failed', 'unknown'] as const;

export const InputSchema = z.object({
  type: text,
  bucket: text,
  region: text,
  object: text,
  url: text,
  start_time_offset: num,
  end_time_offset: num,
});

export const OutputSchema = z.object({
  task_type: text,
  status: text,
  err_code: int,
  message: text,
  storage_type: text,
  bucket: text,
  region: text,
  path: text,
  /** Every file the sub-task reports (snapshots and sprites make several). */
  paths: z.array(z.string()),
  definition: int,
  size: int,
  duration: num,
  bitrate: int,
  width: int,
  height: int,
  container: text,
});

export const AiResultSchema = z.object({
  category: z.enum(['content_review', 'analysis', 'recognition', 'quality_control', 'smart_subtitles', 'smart_erase']),
  type: text,
  status: text,
  err_code: int,
  message: text,
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
  task_id: z.string(),
  status: z.string(),
  outcome: z.enum(OUTCOMES),
  err_code: int,
  message: text,
  session_id: text,
  session_context: text,
  inputs: z.array(InputSchema),
  outputs: z.array(OutputSchema),
  ai_results: z.array(AiResultSchema),
  media: MediaSchema.nullable(),
  received_at: z.string(),
  request_id: z.string(),
  function_name: z.string(),
  raw_key: z.string(),
  /**
   * What the caps left out; null when nothing was. Added within schema version 1, last, so
   * records written before it, which lack it, still match.
   */
  truncated: TruncatedSchema.nullable().optional(),
  /**
   * When `npm run replay` wrote it (received_at stays the first receipt); null otherwise. Added
   * within schema version 1, last, so records written before it, which lack it, still match.
   */
  replayed_at: z.string().nullable().optional(),
  /**
   * Set when the event was too large to normalize (OversizeSchema): only event_type, task_id,
   * status, err_code, message, session_id and session_context were read, the lists are empty and
   * the outcome is unknown unless the status or the task's ErrCode tells it; null otherwise. Added
   * within schema version 1, last, so records written before it, which lack it, still match.
   */
  oversize: OversizeSchema.nullable().optional(),
});

export const ErrorRecordSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
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
export type NormalizedInput = z.infer<typeof InputSchema>;
export type NormalizedOutput = z.infer<typeof OutputSchema>;
export type AiResult = z.infer<typeof AiResultSchema>;
export type Media = z.infer<typeof MediaSchema>;
export type Truncated = z.infer<typeof TruncatedSchema>;
export type Oversize = z.infer<typeof OversizeSchema>;
export type NormalizedRecord = z.infer<typeof NormalizedRecordSchema>;
export type ErrorRecord = z.infer<typeof ErrorRecordSchema>;
