import { describe, expect, it } from 'vitest';
import { parseEvent } from '../src/event/parse';
import { withoutNulls } from '../src/json';
import { normalize } from '../src/normalize';
import { ArchivedRecordSchema, NormalizedRecordSchema, NormalizedRecordV1Schema } from '../src/record';
import { archiveV1, fixture, fixtureNames } from './support/fixtures';

const meta = { eventId: 'e', rawKey: 'k', receivedAt: new Date('2026-11-22T10:00:00Z'), requestId: 'r', functionName: 'f' };
const v1Records = () => archiveV1().filter((o) => o.key.includes('/normalized/')).map((o) => JSON.parse(o.body.toString()) as unknown);

describe('the record schemas', () => {
  it('read every record version 1 wrote, as version 1', () => {
    expect(v1Records().length).toBeGreaterThan(0);
    for (const record of v1Records()) {
      expect(NormalizedRecordV1Schema.strict().parse(record)).toEqual(record);
      expect(ArchivedRecordSchema.parse(record)).toMatchObject({ schema_version: 1 });
      expect(NormalizedRecordSchema.safeParse(record).success).toBe(false);
    }
  });

  it.each(fixtureNames('events'))('read the record of %s as stored, without its null fields, as version 2', (name) => {
    const stored = JSON.parse(JSON.stringify(withoutNulls(normalize(parseEvent(fixture(name)), meta))));
    expect(NormalizedRecordSchema.strict().parse(stored)).toEqual(stored);
    expect(ArchivedRecordSchema.parse(stored)).toMatchObject({ schema_version: 2 });
    expect(NormalizedRecordV1Schema.safeParse(stored).success).toBe(false);
  });

  it('accept a version 1 record written before truncated and replayed_at existed', () => {
    const { truncated, replayed_at, ...older } = v1Records()[0] as Record<string, unknown>;
    expect([truncated, replayed_at]).toEqual([null, null]);
    expect(NormalizedRecordV1Schema.strict().parse(older)).toEqual(older);
  });
});
