/*
 * The archive as three DuckDB views, one row per event in each, whatever was delivered twice: a
 * redelivery that arrives in a later hour is stored again under that hour (same file name, same
 * event id), so a plain read of the files counts it twice.
 *   events   the normalized records of every schema version, each field a column of the type
 *            columns.ts declares (null where a record lacks it), partition columns event_type,
 *            dt, hour included; per event_id, the earliest receipt
 *   errors   the error records, with error_type, dt, hour; per payload, the earliest receipt
 *   raw      each raw event as JSON (column `event`), with event_type, dt, hour and its key
 * Paths are relative to the archive's root (the folder holding {prefix}/), which DuckDB finds
 * through `SET file_search_path`.
 */

export interface ViewOptions {
  prefix: string;
  /** Inclusive YYYY-MM-DD bounds on the dt partition. */
  from?: string | undefined;
  to?: string | undefined;
}

import { duckdbType, recordColumns } from './columns';

/** A string literal of SQL. */
export const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The file name is the same for every delivery of one event (or one bad payload). */
const FILE_NAME = "regexp_extract(filename, '[^/]+$')";

function days({ from, to }: ViewOptions): string {
  const bounds = [from && `dt >= DATE ${quote(from)}`, to && `dt <= DATE ${quote(to)}`].filter(Boolean);
  return bounds.length > 0 ? `WHERE ${bounds.join(' AND ')}\n` : '';
}

function view(name: string, source: string, select: string, firstOf: string, options: ViewOptions): string {
  return `CREATE OR REPLACE VIEW ${name} AS
SELECT ${select}
FROM ${source}
${days(options)}QUALIFY row_number() OVER (PARTITION BY ${firstOf} ORDER BY dt, hour) = 1;
`;
}

/** The record's columns as read_json takes them. */
const columns = () => `{${recordColumns().map(([name, column]) => `${quote(name)}: ${quote(duckdbType(column))}`).join(', ')}}`;

export function duckdbViews(options: ViewOptions): string {
  const files = (area: string) => quote(`${options.prefix}/${area}/**/*.json`);
  const records = (area: string, typed = '') => `read_json(${files(area)}, ${typed}hive_partitioning = true, union_by_name = true, filename = true)`;
  return [
    view('events', records('normalized', `columns = ${columns()},\n  `), '* EXCLUDE (filename)', 'event_id', options),
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
