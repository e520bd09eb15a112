import { parseArgs } from 'node:util';
import { loadConfig, readCredentials } from '../src/config';
import { loadHandler, say, scfContext, setUpCloud } from './dev-env';
import { cosArchive } from './replay/archive';
import { replay } from './replay/replay';
import { errorRecords, localEvents } from './replay/sources';

const USAGE = `npm run replay -- --errors [--type KIND ...] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [options]
npm run replay -- [options] FOLDER | FILE.json | FILE.ndjson ...

Re-drives events through the function's handler: the error records under {prefix}/errors/
(after a fix that makes them valid), or raw events from local files.
  --errors            replay error records, filtered by --type (repeatable), --from and --to
  --dry-run           show what would be written, write nothing
  --delete-replayed   delete each error record once both of its new objects are stored
  --local             use the local COS emulator (.local-cos/) even when COS_BUCKET is set
Without COS_BUCKET in the environment, the local COS emulator is used.`;

function progressBar(done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      errors: { type: 'boolean', default: false },
      type: { type: 'string', multiple: true, default: [] },
      from: { type: 'string' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'delete-replayed': { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const date = /^\d{4}-\d{2}-\d{2}$/;
  // Error records or files, one of the two; dates as YYYY-MM-DD.
  const sourceGiven = values.errors ? positionals.length === 0 : positionals.length > 0;
  const datesValid = [values.from, values.to].every((d) => d === undefined || date.test(d));
  if (values.help || !sourceGiven || !datesValid) {
    say(USAGE);
    return values.help ? 0 : 2;
  }

  const cloud = await setUpCloud(values.local);
  try {
    const config = loadConfig(process.env);
    const archive = cosArchive(config, readCredentials(process.env));
    const items = values.errors ? await errorRecords(archive, config.prefix, { types: values.type, from: values.from, to: values.to }) : localEvents(positionals);
    say(`${items.length} event(s) to replay${values['dry-run'] ? ' (dry run: nothing is written)' : ''}`);
    const interactive = process.stderr.isTTY === true;
    const summary = await replay(items, {
      handler: await loadHandler(),
      layout: config,
      context: () => scfContext(process.env),
      dryRun: values['dry-run'],
      deleteReplayed: values['delete-replayed'],
      remove: (key) => archive.remove(key),
      report: (line) => say(interactive ? `\r\x1b[K${line}` : line),
      ...(interactive && { progress: progressBar }),
    });
    say(
      `${summary.replayed} replayed, ${summary.stillInvalid} still invalid, ${summary.failed} failed` +
        (values['delete-replayed'] ? `, ${summary.deleted} error record(s) deleted` : '') +
        `; objects are in ${cloud.where}/`,
    );
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await cloud.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
