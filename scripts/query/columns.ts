import * as z from 'zod';
import { ArchivedRecordSchema } from '../../src/record';

/*
 * The columns of the normalized records, for the engines that read them as a table: every field
 * of every version of the record (src/record.ts), merged, so that one table reads the archive
 * whichever versions it holds, a field a version lacks reading as null. DLC's table
 * (scripts/schema.ts) and DuckDB's view (views.ts) both declare them, rather than let the engine
 * guess them from the files, which gives a column no type where no file has it yet.
 */

/** A node of the JSON Schema zod writes of the records. */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The published JSON Schema of a normalized record: a record of any version. */
export const recordJsonSchema = (): JsonSchema => z.toJSONSchema(ArchivedRecordSchema, { target: 'draft-2020-12' }) as JsonSchema;

export type Column =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'version' }
  | { kind: 'list'; of: Column }
  | { kind: 'struct'; fields: [name: string, column: Column][] };

/** Columns that come from the key's partitions, not from the record. */
export const PARTITIONS = ['event_type', 'dt', 'hour'];

function columnOf(node: JsonSchema): Column {
  const branches = (node.oneOf ?? node.anyOf)?.filter((b) => b.type !== 'null');
  if (branches) return branches.map(columnOf).reduce(merge);
  const type = (Array.isArray(node.type) ? node.type.filter((t) => t !== 'null') : [node.type])[0];
  if (typeof node.const === 'number') return { kind: 'version' };
  switch (type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return { kind: type };
    case 'array':
      return { kind: 'list', of: columnOf(node.items ?? {}) };
    case 'object':
      return { kind: 'struct', fields: Object.entries(node.properties ?? {}).map(([name, child]) => [name, columnOf(child)]) };
    default:
      throw new Error(`No column type for ${JSON.stringify(node)}`);
  }
}

/** One column of two versions of a field: a struct holds the fields of both, in the first's order then the second's. */
function merge(a: Column, b: Column): Column {
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [name, column] of b.fields) fields.set(name, fields.has(name) ? merge(fields.get(name)!, column) : column);
    return { kind: 'struct', fields: [...fields] };
  }
  if (a.kind === 'list' && b.kind === 'list') return { kind: 'list', of: merge(a.of, b.of) };
  if (a.kind !== b.kind) throw new Error(`A field is ${a.kind} in one version of the record and ${b.kind} in another`);
  return a;
}

/** The record's columns, the partitions aside. */
export function recordColumns(): [name: string, column: Column][] {
  const record = columnOf(recordJsonSchema());
  if (record.kind !== 'struct') throw new Error('The record is not an object');
  return record.fields.filter(([name]) => !PARTITIONS.includes(name));
}

const HIVE = { string: 'STRING', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', version: 'INT' };
const DUCKDB = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', version: 'INTEGER' };

export function hiveType(column: Column): string {
  if (column.kind === 'list') return `ARRAY<${hiveType(column.of)}>`;
  if (column.kind === 'struct') return `STRUCT<${column.fields.map(([name, child]) => `\`${name}\`: ${hiveType(child)}`).join(', ')}>`;
  return HIVE[column.kind];
}

export function duckdbType(column: Column): string {
  if (column.kind === 'list') return `${duckdbType(column.of)}[]`;
  if (column.kind === 'struct') return `STRUCT(${column.fields.map(([name, child]) => `"${name}" ${duckdbType(child)}`).join(', ')})`;
  return DUCKDB[column.kind];
}
