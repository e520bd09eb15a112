import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../../scripts/build/bundle';
import { publishedFiles, staleFiles } from '../../scripts/schema';
import { SCHEMA_VERSION } from '../../src/schema-version';

describe('the published record schemas', () => {
  it('are up to date with src/record.ts (run `npm run schema` after changing it)', async () => {
    expect(await staleFiles()).toEqual([]);
  });

  const published = () => JSON.parse(readFileSync(join(PROJECT, 'schemas', 'normalized-record.schema.json'), 'utf8'));
  type Branch = { properties: Record<string, { const?: number }>; required: string[]; additionalProperties: boolean };

  it('read a record of every version, the one the function writes first', () => {
    const branches: Branch[] = published().oneOf;
    expect(branches.map((b) => b.properties.schema_version)).toEqual([
      { type: 'number', const: SCHEMA_VERSION },
      { type: 'number', const: 1 },
    ]);
    for (const branch of branches) {
      expect(branch.required).toContain('event_id');
      expect(branch.additionalProperties).toBe(false);
    }
    // Version 2 leaves out what MPS gave nothing for; version 1 has every field.
    expect(branches[0]!.required).not.toContain('task_id');
    expect(branches[1]!.required).toContain('task_id');
  });

  it('define a table with a column per field of every version, partitioned by event type, day and hour', () => {
    const sql = publishedFiles()['sql/normalized_events.sql']!;
    const fields = new Set((published().oneOf as Branch[]).flatMap((b) => Object.keys(b.properties)));
    for (const field of [...fields].filter((f) => f !== 'event_type')) expect(sql).toContain(`\`${field}\` `);
    expect(sql).toContain('PARTITIONED BY (`event_type` STRING, `dt` STRING, `hour` STRING)');
    expect(sql).toMatch(/`err_code` BIGINT,/);
    expect(sql).toMatch(/`err_code_ext` STRING,/);
    // One struct holds the outputs of both versions: version 2's fields, then version 1's paths.
    expect(sql).toMatch(/`outputs` ARRAY<STRUCT<`task_type`: STRING, `role`: STRING, .*`size`: BIGINT, `duration`: DOUBLE, .*`duration_ms`: BIGINT, `paths`: ARRAY<STRING>>>/);
    expect(sql).toMatch(/`ai_results` ARRAY<STRUCT<.*`no_audio`: BOOLEAN, .*`labels`: ARRAY<STRUCT<`label`: STRING, `confidence`: DOUBLE>>/);
    expect(sql).toMatch(/`media` STRUCT<`duration`: DOUBLE, `width`: BIGINT/);
  });

  it('define a Parquet table over the compacted days with the same columns, the hour one of them, partitioned by event type and day', () => {
    const sql = publishedFiles()['sql/normalized_events.sql']!;
    const columns = (table: string) => new RegExp(`CREATE EXTERNAL TABLE IF NOT EXISTS ${table} \\(\\n([\\s\\S]*?)\\n\\)`).exec(sql)![1]!.split(',\n').map((c) => c.trim());
    expect(columns('mps_events_compacted')).toEqual([...columns('mps_events_normalized'), '`hour` STRING']);
    expect(sql).toContain("PARTITIONED BY (`event_type` STRING, `dt` STRING)\nSTORED AS PARQUET\nLOCATION 'cosn://mps-archive-1250000000/mps-events/compacted/normalized/'");
    expect(sql).toMatch(/CREATE OR REPLACE VIEW mps_events AS[\s\S]*FROM mps_events_normalized\n\s+UNION ALL\n[\s\S]*FROM mps_events_compacted/);
    const iceberg = publishedFiles()['sql/compacted_to_iceberg.sql']!;
    expect(iceberg).toMatch(/MERGE INTO mps_events_iceberg t\nUSING \(SELECT \* FROM mps_events_compacted WHERE [^)]*\) s\nON t.event_id = s.event_id\n/);
  });

  it.each(['--help', '-h'])('prints its usage for %s, writing nothing', (flag) => {
    const result = spawnSync(join(PROJECT, 'node_modules', '.bin', 'tsx'), ['scripts/schema.ts', flag], { cwd: PROJECT, encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout).toContain('npm run schema');
    expect(result.stdout).not.toContain('wrote');
    expect(result.status).toBe(0);
  });
});
