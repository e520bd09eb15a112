import { loadConfig, readCredentials } from '../src/config';
import { ERROR_KINDS } from '../src/plan';
import { cosArchive } from '../src/store/archive';
import { commandLine, dayRange, progressBar, run, UsageError } from './cli';
import { loadHandler, say, scfContext, setUpCloud } from './dev-env';
import { readLocalEvents } from './local-events';
import { replay } from './replay/replay';
import { errorRecords, fileItems, olderRecords } from './replay/sources';

const USAGE = `npm run replay -- --errors [--type KIND ...] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [options]
npm run replay -- --upgrade [--from YYYY-MM-DD] [--to YYYY-MM-DD] [options]
npm run replay -- [options] FOLDER | FILE.json | FILE.ndjson ...

Re-drives events through the function's handler: the error records under {prefix}/errors/
(after a fix that makes them valid), the raw objects of records an older version of the
function wrote (to write them again in this version), or raw events from local files, read as
\`npm run invoke\` reads them. A replayed error record or record keeps the time and partition of
its first receipt.
  --errors            replay error records, filtered by --type (repeatable), --from and --to
  --type KIND         ${ERROR_KINDS.join(', ')}
  --upgrade           replay the normalized records of an older schema_version, from their raw
                      objects, filtered by --from and --to: each is written again under its key
  --dry-run           show what would be written, write nothing
  --delete-replayed   delete each error record once both of its new objects are stored
  --local             use the local COS emulator (.local-cos/) even when COS_BUCKET is set
Without COS_BUCKET in the environment, the local COS emulator is used.`;

async function main(argv: string[]): Promise<number> {
  const args = commandLine(argv, USAGE, {
    errors: { type: 'boolean', default: false },
    upgrade: { type: 'boolean', default: false },
    type: { type: 'string', multiple: true, default: [] },
    from: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'delete-replayed': { type: 'boolean', default: false },
    local: { type: 'boolean', default: false },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  if (values.errors && values.upgrade) throw new UsageError('Give --errors or --upgrade, not both');
  const archived = values.errors || values.upgrade;
  if (archived && positionals.length > 0) throw new UsageError(`--${values.errors ? 'errors' : 'upgrade'} takes no files`);
  if (!archived && positionals.length === 0) throw new UsageError('Give --errors, --upgrade, or files and folders of events');
  const { from, to } = dayRange(values);
  const unknown = values.type.filter((t) => !ERROR_KINDS.includes(t));
  if (unknown.length > 0) throw new UsageError(`--type ${unknown.join(', ')}: not an error kind (${ERROR_KINDS.join(', ')})`);
  if (!values.errors && values.type.length > 0) throw new UsageError('--type selects error records: give --errors');
  if (!archived && (from || to)) throw new UsageError('--from and --to select what the bucket holds: give --errors or --upgrade');

  const files = archived ? [] : fileItems(readLocalEvents(positionals));
  const cloud = await setUpCloud(values.local);
  try {
    const config = loadConfig(process.env);
    const archive = cosArchive(config, readCredentials(process.env));
    const items = values.errors
      ? await errorRecords(archive, config.prefix, { types: values.type, from, to })
      : values.upgrade
        ? await olderRecords(archive, config.prefix, { from, to })
        : files;
    const dryRun = values['dry-run'];
    say(`${items.length} event(s) to replay${dryRun ? ' (dry run: nothing is written)' : ''}`);
    const interactive = process.stderr.isTTY === true;
    const summary = await replay(items, {
      handler: await loadHandler(),
      layout: config,
      context: () => scfContext(process.env),
      dryRun,
      deleteReplayed: values['delete-replayed'],
      remove: (key) => archive.remove(key),
      report: (line) => say(interactive ? `\r\x1b[K${line}` : line),
      ...(interactive && { progress: progressBar }),
    });
    const counts = `${summary.stillInvalid} still invalid, ${summary.failed} failed`;
    if (dryRun) say(`${summary.replayed} would replay, ${counts}`);
    else {
      const deleted = values['delete-replayed'] ? `, ${summary.deleted} error record(s) deleted` : '';
      const written = summary.replayed + summary.recorded > 0 ? `objects are in ${cloud.where}/` : 'nothing written';
      say(`${summary.replayed} replayed, ${counts}${deleted}; ${written}`);
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await cloud.close();
  }
}

run(main);
