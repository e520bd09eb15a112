import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { columnType, duckdbType, hiveType, recordColumns, type ColumnType } from '../src/record-columns';
import { NormalizedRecordSchema, NormalizedRecordV1Schema } from '../src/record';

describe('recordColumns', () => {
  it('has a column per field of the record, in its order', () => {
    expect(recordColumns().map((c) => c.name)).toEqual(Object.keys(NormalizedRecordSchema.shape));
  });

  it('types each as the schema does: whole numbers, numbers, text, lists of structs, structs', () => {
    const byName = Object.fromEntries(recordColumns().map((c) => [c.name, c.type]));
    expect(byName.schema_version).toEqual({ kind: 'int32' });
    expect(byName.err_code).toEqual({ kind: 'int64' });
    expect(byName.outcome).toEqual({ kind: 'string' });
    expect(byName.media).toMatchObject({ kind: 'struct', fields: expect.arrayContaining([{ name: 'duration', type: { kind: 'double' } }]) });
    expect(byName.outputs).toMatchObject({ kind: 'list', item: { kind: 'struct' } });
  });

  it('follows a field added to a schema, so a new version of the record needs no other list of columns', () => {
    const next = NormalizedRecordSchema.extend({ schema_version: z.union([z.literal(1), z.literal(2)]), err_code_ext: z.string().nullable(), flags: z.array(z.boolean()) });
    const json = z.toJSONSchema(next, { target: 'draft-2020-12' }) as { properties: Record<string, object> };
    expect(columnType(json.properties.schema_version!)).toEqual({ kind: 'int32' });
    expect(columnType(json.properties.err_code_ext!)).toEqual({ kind: 'string' });
    expect(columnType(json.properties.flags!)).toEqual({ kind: 'list', item: { kind: 'boolean' } });
  });
});

describe('recordColumns, over every version of the record', () => {
  const byName = () => Object.fromEntries(recordColumns().map((c) => [c.name, c.type]));

  it("has version 1's fields too, where version 2 lacks them: the struct of both, version 2's fields first", () => {
    const outputs = byName().outputs;
    if (outputs?.kind !== 'list' || outputs.item.kind !== 'struct') throw new Error('outputs is not a list of structs');
    expect(outputs.item.fields.map((f) => f.name)).toEqual([...Object.keys(NormalizedRecordSchema.shape.outputs.element.shape), 'paths']);
    expect(outputs.item.fields.at(-1)).toEqual({ name: 'paths', type: { kind: 'list', item: { kind: 'string' } } });
    const v1 = new Set(Object.keys(NormalizedRecordV1Schema.shape));
    expect(recordColumns().filter((c) => v1.has(c.name)).map((c) => c.name)).toEqual([...v1].filter((f) => f in NormalizedRecordSchema.shape));
  });

  it('types the schema version, a literal in each version, a 32-bit integer', () => {
    expect(byName().schema_version).toEqual({ kind: 'int32' });
  });

  it('refuses a field typed one way in one version and another in the other', () => {
    const a = z.object({ x: z.literal(1), f: z.string() });
    const b = z.object({ x: z.literal(2), f: z.number() });
    expect(() => columnType(z.toJSONSchema(z.discriminatedUnion('x', [a, b])) as object)).toThrow('A field is string in one shape and double in another');
  });
});

describe('hiveType and duckdbType', () => {
  const type: ColumnType = { kind: 'list', item: { kind: 'struct', fields: [{ name: 'type', type: { kind: 'string' } }, { name: 'size', type: { kind: 'int64' } }, { name: 'paths', type: { kind: 'list', item: { kind: 'string' } } }] } };
  it('write the same type in each engine’s words', () => {
    expect(hiveType(type)).toBe('ARRAY<STRUCT<`type`: STRING, `size`: BIGINT, `paths`: ARRAY<STRING>>>');
    expect(duckdbType(type)).toBe('STRUCT("type" VARCHAR, "size" BIGINT, "paths" VARCHAR[])[]');
    expect([hiveType({ kind: 'int32' }), duckdbType({ kind: 'int32' }), hiveType({ kind: 'double' }), duckdbType({ kind: 'double' })]).toEqual(['INT', 'INTEGER', 'DOUBLE', 'DOUBLE']);
  });
});
