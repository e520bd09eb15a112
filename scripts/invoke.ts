import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Handler } from '../src/handler';
import { LOCAL_BUCKET, LOCAL_ROOT, localEnv, randomKeys } from './local-cos/local-setup';
import { startLocalCos, type LocalCos } from './local-cos/server';
import { startLocalScf, type LocalScf } from './local-scf/server';

/*
 * `npm run invoke -- [--local] [file or folder ...]`: runs events through the real main_handler.
 * With no file, every fixture. With no COS_BUCKET in the environment (or with --local) it writes
 * to the local COS emulator under .local-cos/ (or LOCAL_COS_DIR), and forwards to the FORWARD_TO
 * targets through a local SCF API; otherwise to the bucket and the SCF API the environment names.
 * Readable lines go to stderr; the function's JSON logs keep stdout, so they can be piped.
 */

const PROJECT = join(__dirname, '..');
const say = (line: string) => process.stderr.write(`${line}\n`);

/** Relative to where the command was run when inside it, absolute otherwise. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

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

/** The context SCF passes, with the fields the runtime documents. */
function scfContext(env: NodeJS.ProcessEnv) {
  return {
    request_id: randomUUID(),
    function_name: env.SCF_FUNCTIONNAME || 'mps-cos-backup',
    function_version: '$LATEST',
    namespace: 'default',
    memory_limit_in_mb: 128,
    time_limit_in_ms: 30_000,
    tencentcloud_region: env.COS_REGION || env.TENCENTCLOUD_REGION || '',
    tencentcloud_appid: (env.COS_BUCKET ?? '').split('-').at(-1) ?? '',
    tencentcloud_uin: '',
  };
}

async function main(argv: string[]): Promise<number> {
  const local = argv.includes('--local') || !process.env.COS_BUCKET;
  const files = eventFiles(argv.filter((a) => a !== '--local'));

  let cos: LocalCos | undefined;
  let scf: LocalScf | undefined;
  if (local) {
    const keys = randomKeys();
    cos = await startLocalCos({ root: process.env.LOCAL_COS_DIR || LOCAL_ROOT, keys, buckets: [LOCAL_BUCKET] });
    Object.assign(process.env, localEnv(cos, keys));
    say(`Local COS on ${cos.endpoint}`);
    if (process.env.FORWARD_TO) {
      // Every target exists there, so that what the function sends can be seen.
      const functions = process.env.FORWARD_TO.split(',').map((t) => t.trim().replace(/:.*$/, ''));
      scf = await startLocalScf({ keys, functions });
      process.env.SCF_API_ENDPOINT = scf.endpoint;
      say(`Local SCF API on ${scf.endpoint}, forwarding to ${process.env.FORWARD_TO}`);
    }
  } else {
    say(`Writing to cos://${process.env.COS_BUCKET}`);
  }

  let failures = 0;
  try {
    // Imported only now, so that its cold start reads the environment set above.
    const { main_handler } = (await import('../src/index')) as { main_handler: Handler };
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
    await cos?.close();
    await scf?.close();
  }

  const where = cos ? shortPath(join(cos.root, process.env.COS_BUCKET!)) : `cos://${process.env.COS_BUCKET}`;
  say(`${files.length - failures} of ${files.length} events handled; objects are in ${where}/`);
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
