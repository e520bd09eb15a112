import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig, readCredentials } from '../src/config';
import { cosArchive } from '../src/store/archive';
import { CACHE_DIR } from './cache';
import { commandLine, dayRange, progressBar, run, UsageError } from './cli';
import { RUN_FROM, say } from './dev-env';
import { LOCAL_BUCKET, LOCAL_ROOT } from './local-cos/local-setup';
import { table } from './query/output';
import { archiveFiles } from './query/catalog';
import { pull } from './query/pull';
import { duckdbViews, quote } from './query/views';

const USAGE = `npm run query -- [--dir FOLDER | --pull [--raw]] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] "SQL"

Runs DuckDB SQL over the archive, through views with one row per event:
  events   the normalized records, with the partition columns event_type, dt and hour
  errors   the error records, with error_type, dt and hour
  raw      the raw events as JSON (column event), with event_type, dt, hour and key
By default it reads the local emulator's archive (.local-cos/${LOCAL_BUCKET}, or LOCAL_COS_DIR).
  --dir FOLDER   read a copy of a bucket: the folder that holds {prefix}/
  --pull         pull --from to --to from the bucket in the environment (COS_BUCKET, COS_REGION,
                 COS_PREFIX, TENCENTCLOUD_SECRETID/SECRETKEY) through the COS SDK into a cache
                 that later pulls reuse, fetching only what changed, and read that; a day
                 compacted by \`npm run compact\` or the compactor comes as its Parquet, not
                 its per-event objects, and without its raw events unless --raw
  --from, --to   only these days (the dt partition); --pull needs --from, --to defaults to it
  --json         print JSON lines instead of a table
Objects are under {prefix}/, COS_PREFIX or mps-events.`;

/** Where the archive to read is, pulling it first when asked. */
async function archiveRoot(options: { dir?: string | undefined; pull: boolean; raw: boolean; from?: string; to?: string }): Promise<{ root: string; prefix: string }> {
  if (options.raw && !options.pull) throw new UsageError('--raw is for --pull');
  if (!options.pull) {
    const root = options.dir ? resolve(RUN_FROM, options.dir) : join(process.env.LOCAL_COS_DIR || LOCAL_ROOT, LOCAL_BUCKET);
    return { root, prefix: process.env.COS_PREFIX || 'mps-events' };
  }
  if (options.dir) throw new UsageError('--dir and --pull: give one of the two');
  if (!options.from) throw new UsageError('--pull needs --from (and --to, if more than a day)');
  const config = loadConfig(process.env);
  const root = join(CACHE_DIR, 'archive', config.bucket);
  const to = options.to ?? options.from;
  say(`Pulling ${options.from} to ${to} from cos://${config.bucket}/${config.prefix}/ into ${root}`);
  const pulled = await pull(cosArchive(config, readCredentials(process.env)), {
    prefix: config.prefix,
    from: options.from,
    to,
    into: root,
    raw: options.raw,
    ...(process.stderr.isTTY && { progress: progressBar }),
  });
  const rawLeft = pulled.rawLeft > 0 ? `; the raw events of ${pulled.rawLeft} compacted day partition(s) left in the bucket (--raw fetches them)` : '';
  say(`${pulled.fetched} object(s) fetched, ${pulled.cached} already cached, ${pulled.removed} no longer in the bucket removed${rawLeft}`);
  return { root, prefix: config.prefix };
}

async function main(argv: string[]): Promise<void> {
  const args = commandLine(argv, USAGE, {
    dir: { type: 'string' },
    pull: { type: 'boolean', default: false },
    raw: { type: 'boolean', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!args) return;
  const [sql, ...extra] = args.positionals;
  if (!sql || extra.length > 0) throw new UsageError('Give the SQL as one argument, in quotes');
  const days = dayRange(args.values);
  const { root, prefix } = await archiveRoot({ ...args.values, ...days });
  if (!existsSync(join(root, prefix))) throw new Error(`No archive at ${join(root, prefix)}/ (see --help for where it reads)`);

  const db = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    await db.run(`SET file_search_path = ${quote(root)}`);
    await db.run(duckdbViews({ prefix, ...days }, archiveFiles(root, { prefix, ...days })));
    const result = await db.runAndReadAll(sql);
    if (args.values.json) {
      for (const row of result.getRowObjectsJson()) process.stdout.write(`${JSON.stringify(row)}\n`);
    } else {
      process.stdout.write(`${table(result.columnNames(), result.getRowsJson())}\n`);
    }
  } finally {
    db.closeSync();
  }
}

run(main);
