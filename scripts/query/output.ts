/*
 * Query results for a person: a table, one line per row. The values are DuckDB's JSON-safe ones,
 * as the --json lines print them: big integers as strings, nested values as objects and arrays.
 */

type Value = unknown;

/** A cell as it reads in a table: nested values as JSON, long ones cut, one line. */
function cell(value: Value, width: number): string {
  const text = value === null ? 'NULL' : typeof value === 'string' ? value : JSON.stringify(value);
  const line = text.replace(/\s+/g, ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export function table(columns: string[], rows: Value[][], maxWidth = 60): string {
  const cells = rows.map((row) => row.map((v) => cell(v, maxWidth)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (parts: string[]) => parts.map((p, i) => p.padEnd(widths[i]!)).join(' │ ').trimEnd();
  return [
    line(columns),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}
