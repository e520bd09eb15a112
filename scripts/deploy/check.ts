import { createHash, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../../src/config';
import type { Summary } from '../../src/handler';
import { NormalizedRecordSchema } from '../../src/record';
import type { Archive } from '../../src/store/archive';
import type { ScfCall } from '../tencent-api';
import type { FunctionSpec } from './spec';

/*
 * `npm run deploy -- --check`: proves that the deployed function archives. It invokes the
 * function synchronously with a test event whose TaskId says what it is, reads back the raw and
 * normalized objects the answer names, with the deployer's own credentials, and compares them with
 * what was sent. The objects stay in the archive, under the prefix like any event's, and the
 * check says how to delete them.
 */

/** The TaskId of a check's event: it names the check and when it ran, and no MPS task looks like it. */
export function checkTaskId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `deploy-check-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** A finished WorkflowTask with nothing in it but its marks. */
export function checkEvent(taskId: string) {
  return {
    EventType: 'WorkflowTask',
    WorkflowTaskEvent: {
      TaskId: taskId,
      Status: 'FINISH',
      ErrCode: 0,
      Message: 'Test event of npm run deploy -- --check; its objects are safe to delete',
      InputInfo: null,
      MetaData: null,
      MediaProcessResultSet: null,
      AiContentReviewResultSet: null,
      AiAnalysisResultSet: null,
      AiRecognitionResultSet: null,
      AiQualityControlTaskResult: null,
      SmartSubtitlesTaskResult: null,
    },
    SessionId: null,
    SessionContext: null,
  };
}

export interface CheckResult {
  passed: boolean;
  lines: string[];
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** What is wrong with the stored pair, compared with the event sent; empty when nothing is. */
function compare(event: ReturnType<typeof checkEvent>, raw: { key: string; bytes: Buffer }, normalized: { key: string; bytes: Buffer }, requestId: string | undefined): string[] {
  const problems: string[] = [];
  let stored: unknown;
  try {
    stored = JSON.parse(raw.bytes.toString('utf8'));
  } catch {
    return [`the raw object ${raw.key} is not JSON`];
  }
  if (!isDeepStrictEqual(stored, event)) problems.push(`the raw object ${raw.key} is not the event sent`);
  const parsed = NormalizedRecordSchema.safeParse(JSON.parse(normalized.bytes.toString('utf8')));
  if (!parsed.success) return [...problems, `the normalized object ${normalized.key} is not a normalized record: ${parsed.error.issues[0]?.message}`];
  const record = parsed.data;
  const expect = (what: string, got: unknown, wanted: unknown) => {
    if (got !== wanted) problems.push(`the normalized record's ${what} is ${JSON.stringify(got)}, not ${JSON.stringify(wanted)}`);
  };
  expect('task_id', record.task_id, event.WorkflowTaskEvent.TaskId);
  expect('event_type', record.event_type, event.EventType);
  expect('status', record.status, event.WorkflowTaskEvent.Status);
  expect('raw_key', record.raw_key, raw.key);
  expect('event_id', record.event_id, md5(raw.bytes));
  if (requestId) expect('request_id', record.request_id, requestId);
  return problems;
}

export async function runCheck(scf: ScfCall, archive: Archive, spec: FunctionSpec, config: Config, now = new Date()): Promise<CheckResult> {
  const event = checkEvent(checkTaskId(now));
  const fail = (why: string, lines: string[] = []): CheckResult => ({ passed: false, lines: [...lines, `FAIL: ${why}`] });
  const answer = await scf('Invoke', {
    FunctionName: spec.name,
    Namespace: spec.namespace,
    InvocationType: 'RequestResponse',
    ClientContext: JSON.stringify(event),
  });
  const result = answer.Result ?? {};
  const lines = [`Invoked ${spec.namespace}/${spec.name} with test event ${event.WorkflowTaskEvent.TaskId} (request ${result.FunctionRequestId ?? answer.RequestId})`];
  if (result.ErrMsg) return fail(`the function failed: ${result.ErrMsg}`, lines);

  let summary: Summary;
  try {
    summary = JSON.parse(result.RetMsg ?? '') as Summary;
  } catch {
    return fail(`the function's answer is not its summary: ${JSON.stringify(result.RetMsg)}`, lines);
  }
  if (summary.result !== 'archived') return fail(`the function rejected the test event as ${summary.error_type}: ${summary.message}`, lines);
  const named = [summary.objects.raw, summary.objects.normalized];
  if (named.some((o) => typeof o?.key !== 'string')) return fail('the function does not name a raw and a normalized object', lines);
  const read = async (o: { key: string }) => ({ key: o.key, bytes: await archive.get(o.key) });
  const [raw, normalized] = await Promise.all([read(summary.objects.raw), read(summary.objects.normalized)]);
  for (const o of named) lines.push(`  read back cos://${config.bucket}/${o.key} (${o.bytes} B)`);
  for (const f of summary.forwarded) lines.push(`  the test event was also handed to ${f.target}`);

  const problems = compare(event, raw, normalized, result.FunctionRequestId);
  const cleanUp = [
    'The test objects are safe to delete, e.g. with coscli or in the COS console (bucket → objects):',
    ...named.map((o) => `  coscli rm cos://${config.bucket}/${o.key}`),
  ];
  if (problems.length > 0) return { passed: false, lines: [...lines, ...problems.map((p) => `  ${p}`), 'FAIL: what the function stored is not what was sent', ...cleanUp] };
  return { passed: true, lines: [...lines, 'PASS: the function stored the test event, raw and normalized, as sent', ...cleanUp] };
}
