import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../src/config';
import type { Summary } from '../src/handler';
import { FUNCTION_DIR } from './build/bundle';
import { shippedNodeOptions } from './build/code-cache';
import { commandLine, run } from './cli';
import { ensurePackaged } from './deploy/code';
import { loadHandler, say, scfContext, setUpCloud } from './dev-env';
import { readLocalEvents, type LocalEvent } from './local-events';
import { runFunction } from './local-scf/runtime';

const USAGE = `npm run invoke -- [--local] [--packaged] [FOLDER | FILE.json | FILE.ndjson ...]

Runs events through the function's real main_handler, with an SCF-like context: every fixture
when no file is given. Folders are read recursively; paths are relative to where you run it.
Text that is not JSON is sent as the string it is, as SCF would pass it.
  --local     use the local COS emulator (.local-cos/) even when COS_BUCKET is set
  --packaged  run the packaged dist/function instead of the sources, as SCF runs it: in a process
              of its own on SCF's Node (18.15), with serverless.yml's NODE_OPTIONS (packages
              first when dist/function is missing or older than the sources)
Without COS_BUCKET in the environment, it writes to the local COS emulator under .local-cos/ (or
LOCAL_COS_DIR) and forwards to the FORWARD_TO targets through a local SCF API; otherwise to the
bucket and the SCF API the environment names. Locally, the rest of the configuration is checked
as the function checks it, and a line names the variables the emulators set instead of yours.
Each event gets a line: ✓ archived, ⚠ rejected and kept as an error record, ✗ not stored. It
exits 1 if any event was not stored. Readable lines go to stderr; the function's JSON logs keep
stdout, so that they can be piped.`;

const FIXTURES = ['events', 'invalid'].map((f) => join(__dirname, '..', 'fixtures', f));

type Outcome = { summary: Summary; ms: number } | { error: string };

/** The events through the sources' handler, in this process, one after the other. */
async function fromSources(events: LocalEvent[]): Promise<Outcome[]> {
  const main_handler = await loadHandler();
  const outcomes: Outcome[] = [];
  for (const { payload } of events) {
    const started = Date.now();
    try {
      outcomes.push({ summary: await main_handler(payload, scfContext(process.env)), ms: Date.now() - started });
    } catch (error) {
      outcomes.push({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

/** The events through the packaged function, as one instance of SCF's runtime: what the function reads of this environment, and nothing else. */
async function fromPackage(events: LocalEvent[]): Promise<Outcome[]> {
  await ensurePackaged(say);
  const names = [...CONFIG_VARIABLES, 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN'];
  const env = Object.fromEntries(names.flatMap((n) => (process.env[n] ? [[n, process.env[n]]] : [])));
  const context = scfContext(process.env);
  const ran = await runFunction({
    dir: FUNCTION_DIR,
    handler: 'index.main_handler',
    env: { ...env, SCF_FUNCTIONNAME: context.function_name, NODE_OPTIONS: shippedNodeOptions() },
    invocations: events.map(({ payload }) => ({ event: payload, context: scfContext(process.env) })),
    timeoutMs: context.time_limit_in_ms,
  });
  process.stdout.write(ran.stdout);
  process.stderr.write(ran.stderr);
  return ran.results.map((r) => (r.ok ? { summary: r.value as Summary, ms: r.ms } : { error: r.error.message }));
}

async function main(argv: string[]): Promise<number> {
  const args = commandLine(argv, USAGE, { local: { type: 'boolean', default: false }, packaged: { type: 'boolean', default: false } });
  if (!args) return 0;
  const events = readLocalEvents(args.positionals.length > 0 ? args.positionals : FIXTURES);
  const cloud = await setUpCloud(args.values.local);
  let outcomes: Outcome[];
  try {
    outcomes = await (args.values.packaged ? fromPackage(events) : fromSources(events));
  } finally {
    await cloud.close();
  }
  const count = { archived: 0, rejected: 0, failed: 0 };
  events.forEach(({ source, notJson }, i) => {
    const name = `${source}${notJson ? ' (not JSON, sent as a string)' : ''}`;
    const outcome = outcomes[i]!;
    if ('error' in outcome) {
      count.failed += 1;
      return say(`✗ ${name}: ${outcome.error}`);
    }
    const { summary, ms } = outcome;
    count[summary.result] += 1;
    if (summary.result === 'archived') {
      const { raw, normalized } = summary.objects;
      say(`✓ ${name}: ${summary.event_type} ${summary.task_id ?? '(no TaskId)'} ${summary.outcome}, ${raw.bytes + normalized.bytes} B in ${ms} ms`);
      for (const o of [raw, normalized]) say(`    ${o.key}`);
      for (const f of summary.forwarded) say(`    → ${f.target}: ${f.mode === 'full' ? 'the event' : 'a pointer to it'}, ${f.bytes} B, request ${f.request_id}`);
    } else {
      say(`⚠ ${name}: rejected as ${summary.error_type}, kept as an error record in ${ms} ms`);
      say(`    ${summary.error_key}`);
    }
  });
  const handled = count.archived + count.rejected;
  const stored = handled > 0 ? `objects are in ${cloud.where}/` : 'nothing stored';
  say(`${handled} of ${events.length} events handled (${count.archived} archived, ${count.rejected} rejected); ${stored}`);
  // A rejected payload is handled as the function handles it: kept as an error record, not retried.
  return count.failed > 0 ? 1 : 0;
}

run(main);
