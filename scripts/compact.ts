import { resolve } from 'node:path';
import { compactDay, listDay, PART_WRITE_TIMEOUT_MS } from '../src/compact/compact';
import { addPartition } from '../src/compact/handler';
import type { Manifest } from '../src/compact/manifest';
import { loadConfig, readCredentials } from '../src/config';
import { partitionValue } from '../src/keys';
import { cosArchive, type Archive } from '../src/store/archive';
import { createCosStore } from '../src/store/cos';
import type { ObjectStore } from '../src/store/store';
import { commandLine, dayRange, progressBar, run, UsageError } from './cli';
import { folderArchive } from './compact/folder';
import { RUN_FROM, say, setUpCloud } from './dev-env';
import { daysFrom } from './query/pull';

const USAGE = `npm run compact -- --day YYYY-MM-DD | --from YYYY-MM-DD [--to YYYY-MM-DD] [--dir FOLDER | --local]

Compacts each day of the archive into Parquet, as the compactor function does once a day: for
every event type, the day's normalized records, one row per event, into
{prefix}/compacted/normalized/event_type=X/dt=YYYY-MM-DD/part-NNNNN.parquet and a _manifest.json
beside them. The per-event objects stay. Compacting a day again gives the same Parquet.
  --day           one day; or --from and --to (inclusive; --to defaults to --from)
  --dir FOLDER    a copy of a bucket: the folder that holds {prefix}/
  --local         use the local COS emulator (.local-cos/) even when COS_BUCKET is set
Without COS_BUCKET in the environment, the local COS emulator's archive is compacted. It prints
a line per day and the statements that register the days with the DLC table of
sql/normalized_events.sql.`;

async function main(argv: string[]): Promise<number> {
  const args = commandLine(argv, USAGE, {
    day: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    dir: { type: 'string' },
    local: { type: 'boolean', default: false },
  });
  if (!args) return 0;
  const { values } = args;
  if (args.positionals.length > 0) throw new UsageError(`Unexpected ${args.positionals.join(' ')}`);
  if (values.day && (values.from || values.to)) throw new UsageError('--day, or --from and --to: give one of the two');
  if (values.dir && values.local) throw new UsageError('--dir and --local: give one of the two');
  const { from, to } = dayRange({ from: values.day ?? values.from, to: values.day ?? values.to });
  if (!from) throw new UsageError('Give --day, or --from (and --to)');

  let target: { archive: Archive; store: ObjectStore; prefix: string; close: () => Promise<void> };
  if (values.dir) {
    const folder = folderArchive(resolve(RUN_FROM, values.dir));
    target = { archive: folder, store: folder, prefix: process.env.COS_PREFIX || 'mps-events', close: async () => undefined };
  } else {
    const cloud = await setUpCloud(values.local);
    const config = loadConfig(process.env);
    const credentials = () => readCredentials(process.env);
    target = {
      archive: cosArchive(config, credentials()),
      store: createCosStore({ ...config, timeoutMs: PART_WRITE_TIMEOUT_MS }, { credentials }),
      prefix: config.prefix,
      close: cloud.close,
    };
  }

  const { archive, store, prefix } = target;
  const started = Date.now();
  const done: Manifest[] = [];
  let failed = 0;
  try {
    const types = (await archive.folders(`${prefix}/normalized/`)).map((f) => partitionValue(f, 'event_type')).filter((t): t is string => t !== undefined);
    for (const day of daysFrom(from, to ?? from)) {
      for (const eventType of types) {
        const listing = await listDay(archive, prefix, eventType, day);
        if (listing.objects.length === 0) continue;
        try {
          const manifest = await compactDay(archive, store, listing, {
            prefix,
            deadline: Infinity,
            ...(process.stderr.isTTY && { progress: progressBar }),
          });
          done.push(manifest);
          const rejected = manifest.rejected > 0 ? `, ${manifest.rejected} rejected (listed in ${prefix}/compacted/normalized/event_type=${eventType}/dt=${day}/_manifest.json)` : '';
          say(`${day} ${eventType}: ${manifest.rows} rows from ${manifest.source_objects} objects in ${manifest.parts.length} part(s)${rejected}`);
        } catch (error) {
          failed += 1;
          say(`${day} ${eventType}: not compacted: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  } finally {
    await target.close();
  }

  const sum = (pick: (m: Manifest) => number) => done.reduce((n, m) => n + pick(m), 0);
  const bytes = sum((m) => m.parts.reduce((n, p) => n + p.bytes, 0));
  process.stdout.write(
    `Compacted ${done.length} day partition(s)${failed > 0 ? ` (${failed} failed)` : ''}: ${sum((m) => m.rows)} rows from ${sum((m) => m.source_objects)} objects ` +
      `(${sum((m) => m.duplicates)} redeliveries, ${sum((m) => m.rejected)} rejected) into ${sum((m) => m.parts.length)} Parquet part(s) of ${(bytes / 2 ** 20).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  for (const m of done) process.stdout.write(`${addPartition(m.event_type, m.dt)};\n`);
  return failed > 0 ? 1 : 0;
}

run(main);
