import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadHandler, say, scfContext, setUpCloud, shortPath } from './dev-env';

/*
 * `npm run invoke -- [--local] [file or folder ...]`: runs events through the real main_handler.
 * With no file, every fixture. With no COS_BUCKET in the environment (or with --local) it writes
 * to the local COS emulator under .local-cos/ (or LOCAL_COS_DIR), and forwards to the FORWARD_TO
 * targets through a local SCF API; otherwise to the bucket and the SCF API the environment names.
 * Readable lines go to stderr; the function's JSON logs keep stdout, so they can be piped.
 */

const PROJECT = join(__dirname, '..');

function eventFiles(args: string[]): string[] {
  const paths = args.length > 0 ? args : [join(PROJECT, 'fixtures', 'events'), join(PROJECT, 'fixtures', 'invalid')];
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

async function main(argv: string[]): Promise<number> {
  const files = eventFiles(argv.filter((a) => a !== '--local'));
  const cloud = await setUpCloud(argv.includes('--local'));
  let failures = 0;
  try {
    const main_handler = await loadHandler();
    for (const file of files) {
      const name = shortPath(file);
      const started = Date.now();
      try {
        const summary = await main_handler(JSON.parse(readFileSync(file, 'utf8')), scfContext(process.env));
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
  say(`${files.length - failures} of ${files.length} events handled; objects are in ${cloud.where}/`);
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
