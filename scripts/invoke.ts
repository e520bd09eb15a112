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
bucket and the SCF API the environment names. Readable lines go to stderr; the function's JSON
logs keep stdout, so that they can be piped.`;

const FIXTURES = ['events', 'invalid'].map((f) => join(__dirname, '..', 'fixtures', f));

async function main(argv: string[]): Promise<number> {
  const args = commandLine(argv, USAGE, { local: { type: 'boolean', default: false } });
  if (!args) return 0;
  const events = readLocalEvents(args.positionals.length > 0 ? args.positionals : FIXTURES);
  const cloud = await setUpCloud(args.values.local);
  let failures = 0;
  try {
    const main_handler = await loadHandler();
    for (const { source, payload, notJson } of events) {
      const name = `${source}${notJson ? ' (not JSON, sent as a string)' : ''}`;
      const started = Date.now();
      try {
        const summary = await main_handler(payload, scfContext(process.env));
        const ms = Date.now() - started;
        if (summary.result === 'archived') {
          const bytes = summary.objects.reduce((n, o) => n + o.bytes, 0);
          say(`✓ ${name}: ${summary.event_type} ${summary.task_id} ${summary.outcome}, ${bytes} B in ${ms} ms`);
          for (const o of summary.objects) say(`    ${o.key}`);
          for (const f of summary.forwarded) say(`    → ${f.target}: ${f.mode === 'full' ? 'the event' : 'a pointer to it'}, ${f.bytes} B, request ${f.request_id}`);
        } else {
          say(`✓ ${name}: rejected as ${summary.error_type}, recorded in ${ms} ms`);
          say(`    ${summary.error_key}`);
        }
      } catch (error) {
        failures += 1;
        say(`✗ ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await cloud.close();
  }
  say(`${events.length - failures} of ${events.length} events handled; objects are in ${cloud.where}/`);
  return failures > 0 ? 1 : 0;
}

run(main);
