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

  it('state the schema version the function writes', () => {
    const schema = JSON.parse(readFileSync(join(PROJECT, 'schemas', 'normalized-record.schema.json'), 'utf8'));
    expect(schema.properties.schema_version).toEqual({ type: 'number', const: SCHEMA_VERSION });
    expect(schema.required).toContain('event_id');
    expect(schema.additionalProperties).toBe(false);
  });

  it('define a table with a column per record field, partitioned by event type, day and hour', () => {
    const sql = publishedFiles()['sql/normalized_events.sql']!;
    const schema = JSON.parse(publishedFiles()['schemas/normalized-record.schema.json']!);
    for (const field of Object.keys(schema.properties).filter((f) => f !== 'event_type')) expect(sql).toContain(`\`${field}\` `);
    expect(sql).toContain('PARTITIONED BY (`event_type` STRING, `dt` STRING, `hour` STRING)');
    expect(sql).toMatch(/`err_code` BIGINT,/);
    expect(sql).toMatch(/`outputs` ARRAY<STRUCT<`task_type`: STRING, .*`paths`: ARRAY<STRING>, .*`size`: BIGINT, `duration`: DOUBLE/);
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
