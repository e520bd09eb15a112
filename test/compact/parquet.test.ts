import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ParquetWriter } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compactedColumns } from '../../src/compact/compact';
import { columnValue, parquetSchema, PartWriter, UnconvertibleValue } from '../../src/compact/parquet';
import { duckdbType, type Column } from '../../src/record-columns';
import { normalizedRecord } from '../support/fixtures';

const columns = compactedColumns();
const row = (record: Record<string, unknown>) => columns.map((c) => columnValue(c.type, record[c.name], c.name));

describe('parquetSchema', () => {
  it('writes a list of structs as the three-level LIST, a struct as a group, every column optional', () => {
    const list: Column = { name: 'outputs', type: { kind: 'list', item: { kind: 'struct', fields: [{ name: 'size', type: { kind: 'int64' } }] } } };
    expect(parquetSchema([list, { name: 'v', type: { kind: 'int32' } }])).toEqual([
      { name: 'root', num_children: 2 },
      { name: 'outputs', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'OPTIONAL', num_children: 1 },
      { name: 'size', repetition_type: 'OPTIONAL', type: 'INT64' },
      { name: 'v', repetition_type: 'OPTIONAL', type: 'INT32' },
    ]);
  });
});

describe('columnValue', () => {
  const int64: Column['type'] = { kind: 'int64' };
  it('gives 64-bit integers as bigints, absent as null, and structs with every field', () => {
    expect(columnValue(int64, 7, 'x')).toBe(7n);
    expect(columnValue(int64, undefined, 'x')).toBeNull();
    const struct: Column['type'] = { kind: 'struct', fields: [{ name: 'a', type: { kind: 'string' } }, { name: 'b', type: int64 }] };
    expect(columnValue({ kind: 'list', item: struct }, [{ a: 'x' }, null], 'l')).toEqual([{ a: 'x', b: null }, null]);
    expect(columnValue({ kind: 'json' }, { any: ['shape', 1] }, 'payload')).toBe('{"any":["shape",1]}');
  });

  it.each([
    [{ kind: 'string' }, 5, 'o[1].path: expected a string, got number 5'],
    [{ kind: 'int64' }, 1.5, 'o[1].path: expected a whole number within ±2^53, got number 1.5'],
    [{ kind: 'int64' }, 2 ** 60, 'o[1].path: expected a whole number within ±2^53'],
    [{ kind: 'int32' }, 2 ** 31, 'o[1].path: expected a 32-bit whole number'],
    [{ kind: 'double' }, '1', 'o[1].path: expected a number, got string'],
    [{ kind: 'list', item: { kind: 'string' } }, {}, 'o[1].path: expected a list, got object'],
    [{ kind: 'struct', fields: [] }, [], 'o[1].path: expected an object, got a list'],
  ] as [Column['type'], unknown, string][])('refuses %j holding %j, naming where', (type, value, message) => {
    expect(() => columnValue(type, value, 'o[1].path')).toThrow(UnconvertibleValue);
    expect(() => columnValue(type, value, 'o[1].path')).toThrow(message);
  });
});

describe('PartWriter', () => {
  let dir: string;
  let db: DuckDBConnection;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parquet-'));
    db = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(async () => {
    db.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  const read = async (bytes: Buffer, sql: string) => {
    const file = join(dir, `${Math.random()}.parquet`);
    await writeFile(file, bytes);
    return (await db.runAndReadAll(sql.replace('$file', `'${file}'`))).getRowObjectsJson();
  };

  it("writes rows that DuckDB reads back with the record's types, over several row groups", async () => {
    const record = normalizedRecord();
    const writer = new PartWriter(columns);
    writer.write([row({ ...record, hour: '07' })]);
    writer.write([row({ ...record, event_id: 'b', outputs: [], media: null, hour: '08' }), row({ ...record, event_id: 'c', hour: '09' })]);
    expect(writer.rows).toBe(3);
    const bytes = writer.finish();
    const describe = (from: string) => `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${from})`;
    const typed = columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS "${c.name}"`).join(', ');
    expect(await read(bytes, describe('read_parquet($file)'))).toEqual(await read(bytes, describe(`(SELECT ${typed})`)));
    const rows = await read(bytes, 'SELECT event_id, hour, len(outputs)::INTEGER AS outputs, outputs[1].path AS path, media.width AS width FROM read_parquet($file) ORDER BY event_id');
    expect(rows.map((r) => r.event_id)).toEqual([record.event_id, 'b', 'c'].sort());
    const first = rows.find((r) => r.event_id === record.event_id)!;
    expect(first).toMatchObject({ hour: '07', outputs: record.outputs.length, path: record.outputs[0]!.path });
    expect(String(first.width)).toBe(String(record.media!.width));
    expect(rows.find((r) => r.event_id === 'b')).toMatchObject({ outputs: 0, width: null });
  });

  it('gives the same bytes for the same rows', () => {
    const bytes = () => {
      const writer = new PartWriter(columns);
      writer.write([row({ ...normalizedRecord(), hour: '01' })]);
      return writer.finish();
    };
    expect(bytes().equals(bytes())).toBe(true);
  });

  it('takes back a row group the writer fails on, and keeps all its rows but the one it refuses', async () => {
    const original = ParquetWriter.prototype.write;
    const spy = vi.spyOn(ParquetWriter.prototype, 'write').mockImplementation(function (this: ParquetWriter, options) {
      const ids = options.columnData.find((c) => c.name === 'event_id')!.data as unknown[];
      if (!ids.includes('bad')) return original.call(this, options);
      // Fails once every column of the group is in the buffer, the worst place to fail.
      const flush = this.writer.flush;
      this.writer.flush = () => {
        throw new Error('cannot encode');
      };
      try {
        return original.call(this, options);
      } finally {
        this.writer.flush = flush!;
      }
    });
    try {
      const writer = new PartWriter(columns);
      const ids = ['a', 'b', 'bad', 'c', 'd'];
      const refused = writer.write(ids.map((id) => row({ ...normalizedRecord(), event_id: id })));
      expect(refused).toEqual([{ index: 2, error: new Error('cannot encode') }]);
      expect(writer.rows).toBe(4);
      const rows = await read(writer.finish(), 'SELECT event_id FROM read_parquet($file) ORDER BY 1');
      expect(rows.map((r) => r.event_id)).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      spy.mockRestore();
    }
  });
});
