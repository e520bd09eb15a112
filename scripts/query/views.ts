import { LATE_MARGIN_MS } from '../../src/compact/manifest';
import { MANIFEST_FILE } from '../../src/keys';
import { ErrorRecordSchema } from '../../src/record';
import { columnsOf, duckdbType, HOUR_COLUMN, recordColumns, type Column } from '../../src/record-columns';

/*
 * The archive as three DuckDB views, one row per event in each, whatever was delivered twice: a
 * redelivery that arrives in a later hour is stored again under that hour (same file name, same
 * event id), so a plain read of the files counts it twice.
 *   events   the normalized records, partition columns event_type, dt, hour included; per
 *            event_id, the earliest receipt
 *   errors   the error records, with error_type, dt, hour; per payload, the earliest receipt
 *   raw      each raw event as JSON (column `event`), with event_type, dt, hour and its key
 * `events` reads a compacted day (`npm run compact`) from its Parquet, and of its per-event
 * JSON only the objects written since the compaction listed them: late events and replays. A
 * day not compacted, or whose compaction is being written again, is read from its JSON. The
 * columns and their types are the record's (src/record-columns.ts), the same for both.
 *
 * The files each view reads are listed into variables first (a table function takes only
 * constant arguments): by `npm run query` from the folder (catalog.ts, quick), or, in
 * sql/duckdb_views.sql, by DuckDB itself (slower: it lists every per-event file, and reads the
 * time of each). Paths are relative to the archive's root (the folder holding {prefix}/), which
 * DuckDB finds through `SET file_search_path`.
 */

export interface ViewOptions {
  prefix: string;
  /** Inclusive YYYY-MM-DD bounds on the dt partition. */
  from?: string | undefined;
  to?: string | undefined;
}

/** What each view reads: files and glob patterns, relative to the archive's root. */
export interface ArchiveFiles {
  eventsJson: string[];
  eventsParquet: string[];
  errors: string[];
  raw: string[];
}

/** A string literal of SQL. */
export const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The file name is the same for every delivery of one event (or one bad payload). */
const FILE_NAME = "regexp_extract(filename, '[^/]+$')";
const PARTITION = (path: string) => `regexp_extract(${path}, 'event_type=[^/]+/dt=[^/]+')`;

/** The partition columns as the views type them: dt a DATE, hour the text of the key ("07"). */
const PARTITION_TYPES = { event_type: 'VARCHAR', dt: 'DATE', hour: 'VARCHAR' };

/** Conditions that keep the days asked for, on the day of a file's path. */
function days({ from, to }: ViewOptions, path: string): string[] {
  const dt = `regexp_extract(${path}, 'dt=([^/]+)', 1)`;
  return [from && `${dt} >= ${quote(from)}`, to && `${dt} <= ${quote(to)}`].filter((b): b is string => Boolean(b));
}

const where = (conditions: string[]) => (conditions.length > 0 ? `  WHERE ${conditions.join(' AND ')}` : '');
const lines = (...parts: string[]) => parts.filter(Boolean).join('\n');
const struct = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')}}`;
const typed = (column: Column): [string, string] => [column.name, duckdbType(column.type)];
const variable = (name: string, list: string) => lines(`SET VARIABLE ${name} = (`, list, ');');
const literal = (name: string, files: string[]) => `SET VARIABLE ${name} = [${files.map(quote).join(', ')}]::VARCHAR[];`;

/** The variables, listed by DuckDB: every file under the patterns, the compacted days' JSON only when late. */
function discovered(options: ViewOptions): string {
  const root = `${options.prefix}/compacted/normalized`;
  // Each complete manifest's partition, and since when its per-event objects are read too.
  const compacted = `(
    SELECT ${PARTITION('filename')} AS partition, (content::JSON->>'listed_at')::TIMESTAMPTZ - INTERVAL ${LATE_MARGIN_MS / 1000} SECOND AS since
    FROM read_text(${quote(`${root}/*/*/${MANIFEST_FILE}`)})
    WHERE content::JSON->>'status' = 'complete'
  ) c`;
  const globbed = (name: string, area: string) =>
    variable(name, lines('  SELECT coalesce(list(file ORDER BY file), []::VARCHAR[])', `  FROM glob(${quote(`${options.prefix}/${area}/*/*/*/*.json`)})`, where(days(options, 'file'))));
  return [
    variable(
      'mps_events_json',
      lines(
        '  SELECT coalesce(list(f.filename ORDER BY f.filename), []::VARCHAR[])',
        `  FROM read_blob(${quote(`${options.prefix}/normalized/*/*/*/*.json`)}) f`,
        `  LEFT JOIN ${compacted} ON ${PARTITION('f.filename')} = c.partition`,
        where(['(c.partition IS NULL OR f.last_modified >= c.since)', ...days(options, 'f.filename')]),
      ),
    ),
    variable(
      'mps_events_parquet',
      lines('  SELECT coalesce(list(p.file ORDER BY p.file), []::VARCHAR[])', `  FROM glob(${quote(`${root}/*/*/*.parquet`)}) p`, `  JOIN ${compacted} ON ${PARTITION('p.file')} = c.partition`, where(days(options, 'p.file'))),
    ),
    globbed('mps_errors', 'errors'),
    globbed('mps_raw', 'raw'),
  ].join('\n\n');
}

const listed = (files: ArchiveFiles) =>
  [literal('mps_events_json', files.eventsJson), literal('mps_events_parquet', files.eventsParquet), literal('mps_errors', files.errors), literal('mps_raw', files.raw)].join('\n');

/** An empty list is refused by read_json: the files are read through query(), or an empty row set of the same columns. */
const none = (columns: [string, string][]) => `SELECT ${columns.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE false`;
const either = (list: string, read: string, empty: string) => `query(CASE WHEN len(getvariable(${quote(list)})) = 0 THEN ${quote(empty)} ELSE ${quote(read)} END)`;

function view(name: string, select: string, source: string, firstOf: string, order = 'dt, hour'): string {
  return `CREATE OR REPLACE VIEW ${name} AS
SELECT ${select}
FROM ${source}
QUALIFY row_number() OVER (PARTITION BY ${firstOf} ORDER BY ${order}) = 1;
`;
}

/** The JSON and the Parquet, one row per event; on a tie (a replay rewrites a record in its own hour) the JSON, the newer, wins. */
function eventsView(): string {
  const record = recordColumns();
  const readJson = `SELECT * FROM read_json(getvariable('mps_events_json'), columns = ${struct(record.map(typed))}, hive_partitioning = true, hive_types = ${struct(Object.entries(PARTITION_TYPES))})`;
  const readParquet = `SELECT * FROM read_parquet(getvariable('mps_events_parquet'), union_by_name = true, hive_partitioning = true, hive_types = ${struct([['event_type', PARTITION_TYPES.event_type], ['dt', PARTITION_TYPES.dt]])})`;
  const empty = none([...record.map(typed), ...Object.entries(PARTITION_TYPES)]);
  const source = `(
  SELECT *, 0 AS mps_source FROM ${either('mps_events_json', readJson, empty)}
  UNION ALL BY NAME
  SELECT *, 1 AS mps_source FROM ${either('mps_events_parquet', readParquet, empty)}
)`;
  return view('events', [...record.map((c) => `"${c.name}"`), 'dt', HOUR_COLUMN.name].join(', '), source, 'event_id', 'dt, hour, mps_source');
}

/** The views over the archive; `files` when the caller has listed them, else DuckDB lists them. */
export function duckdbViews(options: ViewOptions, files?: ArchiveFiles): string {
  const hiveTypes = (first: string) => struct([[first, 'VARCHAR'], ['dt', PARTITION_TYPES.dt], ['hour', PARTITION_TYPES.hour]]);
  const readErrors = `SELECT * FROM read_json(getvariable('mps_errors'), hive_partitioning = true, hive_types = ${hiveTypes('error_type')}, union_by_name = true, filename = true)`;
  const errorColumns: [string, string][] = [...columnsOf(ErrorRecordSchema).map(typed), ['dt', 'DATE'], ['hour', 'VARCHAR'], ['filename', 'VARCHAR']];
  const readRaw = `SELECT * FROM read_json_objects(getvariable('mps_raw'), hive_partitioning = true, hive_types = ${hiveTypes('event_type')}, filename = true)`;
  const rawColumns: [string, string][] = [['json', 'JSON'], ['event_type', 'VARCHAR'], ['dt', 'DATE'], ['hour', 'VARCHAR'], ['filename', 'VARCHAR']];
  return [
    files ? listed(files) : discovered(options),
    '',
    eventsView(),
    view('errors', '* EXCLUDE (filename)', either('mps_errors', readErrors, none(errorColumns)), `error_type, ${FILE_NAME}`),
    view('raw', `json AS event, event_type, dt, hour, regexp_extract(filename, ${quote(`${options.prefix}/raw/.*$`)}) AS key`, either('mps_raw', readRaw, none(rawColumns)), FILE_NAME),
  ].join('\n');
}
