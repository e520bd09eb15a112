import type { Config } from '../../src/config';
import { CompactSummarySchema, type CompactSummary, type RunRequest } from '../../src/compact/handler';
import { isComplete, readManifest } from '../../src/compact/manifest';
import { dayKeys } from '../../src/keys';
import type { Archive } from '../../src/store/archive';
import type { ScfCall } from '../tencent-api';
import { json, type CheckResult } from './check';
import type { FunctionSpec } from './spec';

/*
 * `npm run deploy -- --check serverless.compact.yml`: proves that the deployed compactor compacts.
 * It invokes it synchronously with a timer event, as its trigger would, asking it to stop early
 * enough for the synchronous Invoke's 300 s; then reads back, with the deployer's own keys, the
 * manifest of each day the compactor says it compacted, and lists the day's parts, and compares
 * them with what it said. What it compacted stays: it is what the timer would have compacted.
 */

/** How long the check's run may take: a part being written then may take a minute more, and Invoke waits 300 s. */
export const CHECK_RUN_SECONDS = 180;

/** A timer event, as SCF's timer trigger sends it (583/9708), whose Message asks for a short run. */
export function compactorCheckEvent(now: Date) {
  return { Type: 'Timer', TriggerName: 'deploy-check', Time: now.toISOString(), Message: JSON.stringify({ max_seconds: CHECK_RUN_SECONDS } satisfies RunRequest) };
}

type Day = CompactSummary['compacted'][number];

/** What differs between a compacted day as the compactor told it and as the bucket holds it. */
async function readBack(archive: Archive, prefix: string, day: Day): Promise<string[]> {
  const keys = dayKeys(prefix, day.event_type, day.dt);
  let text: string;
  try {
    text = (await archive.get(keys.manifest)).toString('utf8');
  } catch (error) {
    return [`could not read ${keys.manifest}: ${error instanceof Error ? error.message : String(error)}`];
  }
  const manifest = readManifest(text);
  if (!isComplete(manifest)) return [`${keys.manifest} is not a complete manifest`];
  const problems: string[] = [];
  if (manifest.rows !== day.rows) problems.push(`${keys.manifest} counts ${manifest.rows} rows, the compactor said ${day.rows}`);
  if (manifest.parts.length !== day.parts) problems.push(`${keys.manifest} names ${manifest.parts.length} parts, the compactor said ${day.parts}`);
  const sizes = new Map((await archive.list(keys.compacted)).map((o) => [o.key, o.size]));
  for (const part of manifest.parts) {
    const size = sizes.get(part.key);
    if (size !== part.bytes) problems.push(`${part.key} is ${size === undefined ? 'missing' : `${size} B`}, its manifest says ${part.bytes} B`);
  }
  return problems;
}

export async function runCompactorCheck(scf: ScfCall, archive: Archive, spec: FunctionSpec, config: Config, now = new Date()): Promise<CheckResult> {
  const answer = await scf('Invoke', {
    FunctionName: spec.name,
    Namespace: spec.namespace,
    InvocationType: 'RequestResponse',
    ClientContext: JSON.stringify(compactorCheckEvent(now)),
  });
  const result = answer.Result ?? {};
  const lines = [`Invoked ${spec.namespace}/${spec.name} with a timer event, for at most ${CHECK_RUN_SECONDS} s (request ${result.FunctionRequestId ?? answer.RequestId})`];
  const verdict = (passed: boolean, last: string): CheckResult => ({ passed, lines: [...lines, `${passed ? 'PASS' : 'FAIL'}: ${last}`] });
  if (result.ErrMsg) return verdict(false, `the compactor failed: ${result.ErrMsg}`);

  const summary = CompactSummarySchema.safeParse(json(Buffer.from(result.RetMsg ?? '')));
  if (!summary.success) return verdict(false, `the compactor's answer is not its summary: ${JSON.stringify(result.RetMsg)}`);
  const { compacted, left, failed } = summary.data;
  const problems: string[] = [];
  for (const day of compacted) {
    lines.push(`  compacted ${day.event_type} ${day.dt}: ${day.rows} rows in ${day.parts} part${day.parts === 1 ? '' : 's'}${day.rejected > 0 ? `, ${day.rejected} records rejected (see its manifest)` : ''}`);
    problems.push(...(await readBack(archive, config.prefix, day)));
  }
  if (left > 0) lines.push(`  ${left} more day${left === 1 ? '' : 's'} to compact, left to the timer's runs`);
  lines.push(...problems.map((p) => `  ${p}`));

  if (failed > 0) return verdict(false, `${failed} day${failed === 1 ? '' : 's'} could not be compacted: the compactor's log says why ("Day not compacted")`);
  if (problems.length > 0) return verdict(false, 'what the bucket holds is not what the compactor said it wrote');
  if (compacted.length === 0) {
    const why = left > 0 ? 'no day fitted in the run a check asks for' : 'there was no closed day left to compact';
    return verdict(true, `the compactor ran and listed the archive with its role; ${why}, so it wrote nothing to read back`);
  }
  return verdict(true, `the compactor compacted ${compacted.length} day${compacted.length === 1 ? '' : 's'}, and each manifest and part reads back as it said`);
}
