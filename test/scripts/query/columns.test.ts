import { describe, expect, it } from 'vitest';
import { duckdbType, hiveType, PARTITIONS, recordColumns, type Column } from '../../../scripts/query/columns';
import { NormalizedRecordSchema, NormalizedRecordV1Schema } from '../../../src/record';

const column = (name: string): Column => recordColumns().find(([n]) => n === name)![1];

describe('the columns of the normalized records', () => {
  it('are the fields of every version, version 2 first, the partitions aside', () => {
    const names = recordColumns().map(([name]) => name);
    const fields = [...Object.keys(NormalizedRecordSchema.shape), ...Object.keys(NormalizedRecordV1Schema.shape)];
    expect(new Set(names)).toEqual(new Set(fields.filter((f) => !PARTITIONS.includes(f))));
    expect(names.slice(0, 4)).toEqual(['schema_version', 'event_id', 'task_id', 'status']);
  });

  it('merge the structs of both versions: a field of either, in the order version 2 then version 1 gives them', () => {
    const outputs = column('outputs');
    if (outputs.kind !== 'list' || outputs.of.kind !== 'struct') throw new Error('outputs is not a list of structs');
    const names = outputs.of.fields.map(([name]) => name);
    expect(names).toEqual([...Object.keys(NormalizedRecordSchema.shape.outputs.element.shape), 'paths']);
    expect(outputs.of.fields.find(([name]) => name === 'paths')![1]).toEqual({ kind: 'list', of: { kind: 'string' } });
  });

  it('type every field as both engines name it', () => {
    expect([hiveType(column('schema_version')), duckdbType(column('schema_version'))]).toEqual(['INT', 'INTEGER']);
    expect([hiveType(column('err_code')), duckdbType(column('err_code'))]).toEqual(['BIGINT', 'BIGINT']);
    expect(hiveType(column('truncated'))).toBe('STRUCT<`inputs`: BIGINT, `outputs`: BIGINT, `ai_results`: BIGINT, `labels`: BIGINT, `strings`: BIGINT>');
    expect(duckdbType(column('truncated'))).toBe('STRUCT("inputs" BIGINT, "outputs" BIGINT, "ai_results" BIGINT, "labels" BIGINT, "strings" BIGINT)');
    expect(duckdbType(column('ai_results'))).toContain('"no_audio" BOOLEAN, "no_video" BOOLEAN, "issue_types" VARCHAR[], "labels" STRUCT("label" VARCHAR, "confidence" DOUBLE)[]');
  });
});
