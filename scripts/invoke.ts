import { join } from 'node:path';
import { commandLine, run } from './cli';
import { loadHandler, say, scfContext, setUpCloud } from './dev-env';
import { readLocalEvents } from './local-events';

const USAGE = `npm run invoke -- [--local] [FOLDER | FILE.json | FILE.ndjson ...]

Runs events through the function's real main_handler, with an SCF-like context: every fixture
when no file is given. Folders are read recursively; paths are relative to where you run it.
Text that is not JSON is sent as the string it is, as SCF would pass it.
  --local    use the local COS emulator (.local-cos/) even when COS_BUCKET is set
Without COS_BUCKET in the environment, it writes to the local COS emulator under .local-cos/ (or
LOCAL_COS_DIR) and forwards to the FORWARD_TO targets through a local SCF API; otherwise to the
bucket and the SCF API the environment names. Locally, the rest of the configuration is checked
as the function checks it, and a line names the variables the emulators set instead of yours.
Each event gets a line: ✓ archived, ⚠ rejected and kept as an error record, ✗ not stored. It
exits 1 if any event was not stored. Readable lines go to stderr; the function's JSON logs keep
stdout, so that they can be piped.`;

const FIXTURES = ['events', 'invalid'].map((f) => join(__dirname, '..', 'fixtures', f));

async function main(argv: string[]): Promise<number> {
  const args = commandLine(argv, USAGE, { local: { type: 'boolean', default: false } });
  if (!args) return 0;
  const events = readLocalEvents(args.positionals.length > 0 ? args.positionals : FIXTURES);
  const cloud = await setUpCloud(args.values.local);
  const count = { archived: 0, rejected: 0, failed: 0 };
  try {
    const main_handler = await loadHandler();
    for (const { source, payload, notJson } of events) {
      const name = `${source}${notJson ? ' (not JSON, sent as a string)' : ''}`;
      const started = Date.now();
      try {
        const summary = await main_handler(payload, scfContext(process.env));
        const ms = Date.now() - started;
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
      } catch (error) {
        count.failed += 1;
        say(`✗ ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await cloud.close();
  }
  const handled = count.archived + count.rejected;
  const stored = handled > 0 ? `objects are in ${cloud.where}/` : 'nothing stored';
  say(`${handled} of ${events.length} events handled (${count.archived} archived, ${count.rejected} rejected); ${stored}`);
  // A rejected payload is handled as the function handles it: kept as an error record, not retried.
  return count.failed > 0 ? 1 : 0;
}

run(main);
