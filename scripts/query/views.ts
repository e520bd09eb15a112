import { LATE_MARGIN_MS } from '../../src/compact/manifest';
import { MANIFEST_FILE } from '../../src/keys';
import { duckdbType, HOUR_COLUMN, recordColumns, type Column } from '../../src/record-columns';

/*
 * The archive as three DuckDB views, one row per event in each, whatever was delivered twice: a
 * redelivery that arrives in a later hour is stored again under that hour (same file name, same
 * event id), so a plain read of the files counts it twice.
 *   events   the normalized records, partition columns event_type, dt, hour included; per
 *            event_id, the earliest receipt
 *   errors   the error records, with error_type, dt, hour; per payload, the earliest receipt
 *   raw      each raw event as JSON (column `event`), with event_type, dt, hour and its key
 * `events` reads a compacted day (`npm run compact`) from its Parquet, and from its per-event
 * JSON only the objects written since the compaction listed them: late events and replays. A
 * day not compacted, or whose compaction is being written again, is read from its JSON.
 * The columns and their types are the record's (src/record-columns.ts), the same for both.
 * Paths are relative to the archive's root (the folder holding {prefix}/), which DuckDB finds
 * through `SET file_search_path`.
 */

export interface ViewOptions {
  prefix: string;
  /** Inclusive YYYY-MM-DD bounds on the dt partition. */
  from?: string | undefined;
  to?: string | undefined;
}

/** A string literal of SQL. */
export const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The file name is the same for every delivery of one event (or one bad payload). */
const FILE_NAME = "regexp_extract(filename, '[^/]+$')";
const PARTITION = (path: string) => `regexp_extract(${path}, 'event_type=[^/]+/dt=[^/]+')`;

/** The partition columns as `events` types them: dt a DATE, hour the text of the key ("07"). */
const PARTITION_TYPES = { event_type: 'VARCHAR', dt: 'DATE', hour: 'VARCHAR' };

/** Conditions that keep the days asked for, on `dt` as the expression gives it. */
function days({ from, to }: ViewOptions, dt: string, literal: (day: string) => string = quote): string[] {
  return [from && `${dt} >= ${literal(from)}`, to && `${dt} <= ${literal(to)}`].filter((b): b is string => Boolean(b));
}

const where = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');
const lines = (...parts: string[]) => parts.filter(Boolean).join('\n');

function view(name: string, source: string, select: string, firstOf: string, options: ViewOptions): string {
  return `${lines(
    `CREATE OR REPLACE VIEW ${name} AS`,
    `SELECT ${select}`,
    `FROM ${source}`,
    where(days(options, 'dt', (day) => `DATE ${quote(day)}`)),
    `QUALIFY row_number() OVER (PARTITION BY ${firstOf} ORDER BY dt, hour) = 1;`,
  )}\n`;
}

const struct = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')}}`;
const typed = (column: Column): [string, string] => [column.name, duckdbType(column.type)];

/**
 * `events`: the JSON to read and the Parquet to read, each listed into a variable (a table
 * function takes only constant arguments), then both, one row per event. On a tie (a replay
 * rewrites a record in its own hour) the JSON, the newer, wins. A list can be empty, which
 * read_json and read_parquet refuse, so each is read through query(), or an empty typed row set.
 */
function eventsView(options: ViewOptions): string {
  const root = `${options.prefix}/compacted/normalized`;
  const record = recordColumns();
  const dayOf = (path: string) => `regexp_extract(${path}, 'dt=([^/]+)', 1)`;
  // Each complete manifest's partition, and since when its per-event objects are read too.
  const compacted = `(
    SELECT ${PARTITION('filename')} AS partition, (content::JSON->>'listed_at')::TIMESTAMPTZ - INTERVAL ${LATE_MARGIN_MS / 1000} SECOND AS since
    FROM read_text(${quote(`${root}/*/*/${MANIFEST_FILE}`)})
    WHERE content::JSON->>'status' = 'complete'
  ) c`;
  const jsonFiles = lines(
    'SET VARIABLE mps_events_json = (',
    '  SELECT coalesce(list(f.filename ORDER BY f.filename), []::VARCHAR[])',
    `  FROM read_blob(${quote(`${options.prefix}/normalized/*/*/*/*.json`)}) f`,
    `  LEFT JOIN ${compacted} ON ${PARTITION('f.filename')} = c.partition`,
    `  ${where(['(c.partition IS NULL OR f.last_modified >= c.since)', ...days(options, dayOf('f.filename'))])}`,
    ');',
  );
  const parquetFiles = lines(
    'SET VARIABLE mps_events_parquet = (',
    '  SELECT coalesce(list(p.file ORDER BY p.file), []::VARCHAR[])',
    `  FROM glob(${quote(`${root}/*/*/*.parquet`)}) p`,
    `  JOIN ${compacted} ON ${PARTITION('p.file')} = c.partition`,
    where(days(options, dayOf('p.file'))) && `  ${where(days(options, dayOf('p.file')))}`,
    ');',
  );
  const readJson = `SELECT * FROM read_json(getvariable('mps_events_json'), columns = ${struct(record.map(typed))}, hive_partitioning = true, hive_types = ${struct(Object.entries(PARTITION_TYPES))})`;
  const readParquet = `SELECT * FROM read_parquet(getvariable('mps_events_parquet'), union_by_name = true, hive_partitioning = true, hive_types = ${struct([['event_type', PARTITION_TYPES.event_type], ['dt', PARTITION_TYPES.dt]])})`;
  const none = `SELECT ${[...record.map(typed), ...Object.entries(PARTITION_TYPES)].map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE false`;
  const either = (list: string, read: string) => `query(CASE WHEN len(getvariable(${quote(list)})) = 0 THEN ${quote(none)} ELSE ${quote(read)} END)`;
  return `${jsonFiles}

${parquetFiles}

CREATE OR REPLACE VIEW events AS
SELECT ${[...record.map((c) => `"${c.name}"`), 'dt', HOUR_COLUMN.name].join(', ')}
FROM (
  SELECT *, 0 AS mps_source FROM ${either('mps_events_json', readJson)}
  UNION ALL BY NAME
  SELECT *, 1 AS mps_source FROM ${either('mps_events_parquet', readParquet)}
)
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY dt, hour, mps_source) = 1;
`;
}

export function duckdbViews(options: ViewOptions): string {
  const files = (area: string) => quote(`${options.prefix}/${area}/**/*.json`);
  const records = (area: string) => `read_json(${files(area)}, hive_partitioning = true, union_by_name = true, filename = true)`;
  return [
    eventsView(options),
    view('errors', records('errors'), '* EXCLUDE (filename)', `error_type, ${FILE_NAME}`, options),
    view(
      'raw',
      `read_json_objects(${files('raw')}, hive_partitioning = true, filename = true)`,
      `json AS event, event_type, dt, hour, regexp_extract(filename, ${quote(`${options.prefix}/raw/.*$`)}) AS key`,
      FILE_NAME,
      options,
    ),
  ].join('\n');
}
