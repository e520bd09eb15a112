import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Column, ColumnType } from '../record-columns';

/*
 * Parquet of the record's columns, written with hyparquet-writer (pure JavaScript, about 60 KB
 * bundled): lists of structs as Parquet's three-level LIST, structs as groups, every column
 * optional. Nothing in the bytes depends on the time or the machine, so the same rows give the
 * same file.
 */

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];
type Repetition = 'OPTIONAL' | 'REPEATED' | 'REQUIRED';

const PRIMITIVES: Record<string, Omit<SchemaElement, 'name'>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  int32: { type: 'INT32' },
  int64: { type: 'INT64' },
  double: { type: 'DOUBLE' },
  boolean: { type: 'BOOLEAN' },
  json: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
};

function elements(name: string, type: ColumnType, repetition: Repetition = 'OPTIONAL'): SchemaElement[] {
  if (type.kind === 'list') {
    return [
      { name, repetition_type: repetition, converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      ...elements('element', type.item),
    ];
  }
  if (type.kind === 'struct') {
    return [{ name, repetition_type: repetition, num_children: type.fields.length }, ...type.fields.flatMap((f) => elements(f.name, f.type))];
  }
  return [{ name, repetition_type: repetition, ...PRIMITIVES[type.kind] }];
}

/** The Parquet schema of the columns, depth first, as the format lists it. */
export function parquetSchema(columns: Column[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => elements(c.name, c.type))];
}

/** A value of a record that its column cannot hold; the message names where it is. */
export class UnconvertibleValue extends Error {}

const describe = (value: unknown) => (Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value);

/**
 * A record's value as the writer takes it (64-bit integers as bigints), or UnconvertibleValue.
 * Absent is null: a record written before a field existed has none.
 */
export function columnValue(type: ColumnType, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return null;
  const fail = (expected: string): never => {
    throw new UnconvertibleValue(`${path}: expected ${expected}, got ${describe(value)}${typeof value === 'number' ? ` ${value}` : ''}`);
  };
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'double':
      return typeof value === 'number' ? value : fail('a number');
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('a boolean');
    case 'json':
      return JSON.stringify(value);
    case 'int64':
      // Past 2^53 JSON.parse has already rounded the number: the record no longer says which it was.
      return Number.isSafeInteger(value) ? BigInt(value as number) : fail('a whole number within ±2^53');
    case 'int32':
      return Number.isInteger(value) && Math.abs(value as number) < 2 ** 31 ? value : fail('a 32-bit whole number');
    case 'list':
      return Array.isArray(value) ? value.map((item, i) => columnValue(type.item, item, `${path}[${i}]`)) : fail('a list');
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('an object');
      const fields: Record<string, unknown> = {};
      for (const f of type.fields) fields[f.name] = columnValue(f.type, (value as Record<string, unknown>)[f.name], `${path}.${f.name}`);
      return fields;
    }
  }
}

/** A row that the writer refused, by its place in the rows given, with the writer's error. */
export interface RefusedRow {
  index: number;
  error: unknown;
}

/** The writer's bytes, moved out at the end of each row group (the writer calls flush then). */
class ChunkedBytes extends ByteWriter {
  readonly chunks: Uint8Array[] = [];

  flush(): void {
    this.chunks.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/**
 * One Parquet file written a row group at a time. Each row group's bytes leave the writer's
 * buffer as it ends, so that the buffer holds one row group, not the file.
 */
export class PartWriter {
  private readonly bytes = new ChunkedBytes();
  private readonly parquet: ParquetWriter;
  rows = 0;

  constructor(private readonly columns: Column[]) {
    this.parquet = new ParquetWriter({ writer: this.bytes, schema: parquetSchema(columns), createdBy: 'mps-cos-backup' });
  }

  /** Bytes written so far. */
  get size(): number {
    return this.bytes.offset;
  }

  /**
   * Writes the rows (each the columns' values in order) as one row group. Should the writer
   * fail, the group is taken back and written in halves, down to the rows it refuses, which are
   * returned: one bad row costs itself, not its row group.
   */
  write(rows: unknown[][]): RefusedRow[] {
    if (rows.length === 0) return [];
    try {
      this.writeGroup(rows);
      this.rows += rows.length;
      return [];
    } catch (error) {
      if (rows.length === 1) return [{ index: 0, error }];
      const half = Math.ceil(rows.length / 2);
      return [...this.write(rows.slice(0, half)), ...this.write(rows.slice(half)).map((r) => ({ ...r, index: r.index + half }))];
    }
  }

  /** The writer appends a row group column by column; one that fails part way is cut off again. */
  private writeGroup(rows: unknown[][]): void {
    const { bytes, parquet } = this;
    const before = { index: bytes.index, offset: bytes.offset, groups: parquet.row_groups.length, indexes: parquet.pendingIndexes.length, rows: parquet.num_rows };
    try {
      void parquet.write({ columnData: this.columns.map((c, i) => ({ name: c.name, data: rows.map((r) => r[i]) })), rowGroupSize: rows.length });
    } catch (error) {
      bytes.index = before.index;
      bytes.offset = before.offset;
      parquet.row_groups.length = before.groups;
      parquet.pendingIndexes.length = before.indexes;
      parquet.num_rows = before.rows;
      throw error;
    }
  }

  /** The whole file. */
  finish(): Buffer {
    void this.parquet.finish();
    return Buffer.concat(this.bytes.chunks);
  }
}
