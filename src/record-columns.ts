import * as z from 'zod';
import { ArchivedRecordSchema } from './record';

/*
 * The normalized record as typed columns, derived from its zod schema (through its JSON Schema),
 * so that every reader and writer of the archive sees the same columns with the same types:
 * the Hive table for DLC (scripts/schema.ts), the DuckDB views (scripts/query/views.ts) and the
 * compacted Parquet (src/compact/parquet.ts). A field added to the record is a column everywhere.
 * The archive holds records of every schema_version it was written with: the columns are the
 * fields of all of them, merged, a field a version lacks reading as null.
 */

export type ColumnType =
  | { kind: 'string' | 'int32' | 'int64' | 'double' | 'boolean' }
  /** Any JSON: a field of no one type (an error record's payload). */
  | { kind: 'json' }
  | { kind: 'list'; item: ColumnType }
  | { kind: 'struct'; fields: Column[] };

export interface Column {
  name: string;
  type: ColumnType;
}

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The type of a JSON Schema node; every column may be null, as in Hive and Parquet here. */
export function columnType(node: JsonSchema): ColumnType {
  const branches = (node.oneOf ?? node.anyOf)?.filter((b) => b.type !== 'null') ?? [node];
  // Literals or enums of whole numbers (the schema version) are a small integer.
  const constants = branches.flatMap((b) => (b.const !== undefined ? [b.const] : (b.enum ?? [undefined])));
  if (constants.every((c) => Number.isInteger(c))) return { kind: 'int32' };
  // Objects of several shapes (the versions of the record) are one struct of the fields of all.
  if (branches.length > 1 && branches.every((b) => b.type === 'object')) return branches.map(columnType).reduce(merged);
  if (branches.length !== 1) return { kind: 'json' };
  const branch = branches[0]!;
  const type = (Array.isArray(branch.type) ? branch.type.filter((t) => t !== 'null') : [branch.type])[0];
  switch (type) {
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'int64' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'list', item: columnType(branch.items ?? {}) };
    case 'object':
      return { kind: 'struct', fields: fields(branch) };
    case undefined:
      return { kind: 'json' };
    default:
      throw new Error(`No column type for ${JSON.stringify(branch)}`);
  }
}

/** One column of two shapes of a field: a struct holds the fields of both, in the first's order then the second's. */
function merged(a: ColumnType, b: ColumnType): ColumnType {
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = a.fields.map((f) => {
      const other = b.fields.find((g) => g.name === f.name);
      return other ? { name: f.name, type: merged(f.type, other.type) } : f;
    });
    return { kind: 'struct', fields: [...fields, ...b.fields.filter((g) => !a.fields.some((f) => f.name === g.name))] };
  }
  if (a.kind === 'list' && b.kind === 'list') return { kind: 'list', item: merged(a.item, b.item) };
  if (a.kind !== b.kind) throw new Error(`A field is ${a.kind} in one shape and ${b.kind} in another`);
  return a;
}

const fields = (schema: JsonSchema): Column[] => Object.entries(schema.properties ?? {}).map(([name, node]) => ({ name, type: columnType(node) }));

/** A record's fields, in its order, each with its type. */
export const columnsOf = (schema: z.ZodType): Column[] => fields(z.toJSONSchema(schema, { target: 'draft-2020-12' }) as JsonSchema);

/** The normalized record's columns: the fields of every version of it. */
export function recordColumns(): Column[] {
  const record = columnType(z.toJSONSchema(ArchivedRecordSchema, { target: 'draft-2020-12' }) as JsonSchema);
  if (record.kind !== 'struct') throw new Error('The record is not an object');
  return record.fields;
}

/**
 * The hour of receipt (HH, as in the key), which the compacted Parquet holds as a column: its
 * files are partitioned by event type and day only.
 */
export const HOUR_COLUMN: Column = { name: 'hour', type: { kind: 'string' } };

const HIVE: Record<string, string> = { string: 'STRING', int32: 'INT', int64: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', json: 'STRING' };
const DUCKDB: Record<string, string> = { string: 'VARCHAR', int32: 'INTEGER', int64: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', json: 'JSON' };

export function hiveType(type: ColumnType): string {
  if (type.kind === 'list') return `ARRAY<${hiveType(type.item)}>`;
  if (type.kind === 'struct') return `STRUCT<${type.fields.map((f) => `\`${f.name}\`: ${hiveType(f.type)}`).join(', ')}>`;
  return HIVE[type.kind]!;
}

export function duckdbType(type: ColumnType): string {
  if (type.kind === 'list') return `${duckdbType(type.item)}[]`;
  if (type.kind === 'struct') return `STRUCT(${type.fields.map((f) => `"${f.name}" ${duckdbType(f.type)}`).join(', ')})`;
  return DUCKDB[type.kind]!;
}
