import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archiveKeys, dayKeys, errorKey, MANIFEST_FILE, partitions, segment } from '../src/keys';

const layout = { prefix: 'mps-events', timeZone: 'UTC' };
const at = new Date('2026-11-22T23:30:00Z');
const event = {
  eventType: 'WorkflowTask',
  taskId: '2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7',
  status: 'FINISH',
  eventId: 'f70e474d6df5b0ec6759e7d48ef6a6c0d6769eb403278a3df6e3166ce42cc2b5',
};

/** What every key must satisfy, whatever went into it. */
function expectClean(key: string, prefix: string) {
  expect(key.startsWith(`${prefix}/`)).toBe(true);
  expect(Buffer.byteLength(key)).toBeLessThanOrEqual(850);
  for (const part of key.split('/')) {
    expect(part).not.toBe('');
    expect(part).not.toBe('.');
    expect(part).not.toBe('..');
  }
  expect(key).not.toContain('..');
  expect(key).not.toMatch(/[\u0000-\u001f\u007f\\]/);
}

describe('archiveKeys', () => {
  it('lays out raw and normalized keys by event type, day and hour', () => {
    expect(archiveKeys(layout, event, at)).toEqual({
      raw: 'mps-events/raw/event_type=WorkflowTask/dt=2026-11-22/hour=23/2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7_FINISH_f70e474d6df5b0ec.json',
      normalized:
        'mps-events/normalized/event_type=WorkflowTask/dt=2026-11-22/hour=23/2600010949-WorkflowTask-764a7f3ca6f6eb13cda2048cfb034025tt7_FINISH_f70e474d6df5b0ec.json',
    });
  });

  it('partitions in the configured time zone', () => {
    const keys = archiveKeys({ ...layout, timeZone: 'Asia/Shanghai' }, event, at);
    expect(keys.raw).toContain('/dt=2026-11-23/hour=07/');
  });

  it('gives two events of one task different keys', () => {
    const processing = archiveKeys(layout, { ...event, status: 'PROCESSING', eventId: 'aa'.repeat(32) }, at);
    expect(processing.raw).not.toBe(archiveKeys(layout, event, at).raw);
  });

  it('makes a hostile task id safe but keeps it recognisable', () => {
    const { raw } = archiveKeys(layout, { ...event, taskId: '../../etc/passwd\u0000\\x' }, at);
    expectClean(raw, 'mps-events');
    expect(raw).toContain('/._._etc_passwd__x_FINISH_');
  });

  it('keeps any task id, status and prefix inside its limits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 2000 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        // Any prefix that loadConfig accepts.
        fc
          .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._=-]{0,49}(\/[A-Za-z0-9][A-Za-z0-9._=-]{0,49}){0,3}$/)
          .filter((p) => !p.includes('..')),
        fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('2999-12-31') }),
        (taskId, status, prefix, time) => {
          const keys = archiveKeys({ prefix, timeZone: 'UTC' }, { ...event, taskId, status }, time);
          expectClean(keys.raw, `${prefix}/raw`);
          expectClean(keys.normalized, `${prefix}/normalized`);
          expect(archiveKeys({ prefix, timeZone: 'UTC' }, { ...event, taskId, status }, time)).toEqual(keys);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('stays within 850 bytes with the longest prefix config allows', () => {
    const prefix = `${'p'.repeat(99)}/${'q'.repeat(100)}`;
    const keys = archiveKeys({ prefix, timeZone: 'UTC' }, { ...event, taskId: '界'.repeat(5000), status: 'S'.repeat(5000) }, at);
    expectClean(keys.raw, prefix);
  });
});

describe('errorKey', () => {
  it('partitions error records by error type', () => {
    expect(errorKey(layout, 'invalid_task', 'abcdef0123456789abcdef', at)).toBe(
      'mps-events/errors/error_type=invalid_task/dt=2026-11-22/hour=23/abcdef0123456789.json',
    );
  });

  it('stays clean for any error type and id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (kind, id) => {
        expectClean(errorKey(layout, kind, id, at), 'mps-events/errors');
      }),
    );
  });
});

describe('segment', () => {
  it.each([
    ['abc-DEF_1.2', 'abc-DEF_1.2'],
    ['', '_'],
    ['.', '_'],
    ['..', '_'],
    ['a/b', 'a_b'],
    ['a..b', 'a.b'],
    ['中文', '__'],
    ['tab\there', 'tab_here'],
  ])('%j → %j', (input, output) => {
    expect(segment(input, 64)).toBe(output);
  });

  it('cuts to the byte limit', () => {
    expect(segment('x'.repeat(100), 10)).toBe('x'.repeat(10));
  });

  it('is what replacing, collapsing and cutting by patterns gives', () => {
    const byPatterns = (value: string, max: number) => {
      const safe = value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.{2,}/g, '.').slice(0, max);
      return safe === '' || safe === '.' ? '_' : safe;
    };
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '9', '.', '-', '_', '/', ' ', '中', '\ud83d', '\u0000') });
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 20 }), (value, max) => {
        expect(segment(value, max)).toBe(byPatterns(value, max));
      }),
    );
  });
});

describe('partitions', () => {
  it('gives the same answer for UTC without Intl as Intl gives for Etc/UTC', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('9999-12-31') }), (time) => {
        expect(partitions(time, 'UTC')).toEqual(partitions(time, 'Etc/UTC'));
      }),
    );
  });

  it('uses a 24-hour clock with two digits', () => {
    expect(partitions(new Date('2026-01-05T00:15:00Z'), 'UTC')).toEqual({ dt: '2026-01-05', hour: '00' });
    expect(partitions(new Date('2026-01-05T09:15:00Z'), 'UTC')).toEqual({ dt: '2026-01-05', hour: '09' });
  });
});

describe('dayKeys', () => {
  it("gives a day's per-event prefix and, beside it under compacted/, its parts and its manifest", () => {
    const keys = dayKeys('mps-events', 'WorkflowTask', '2026-12-06');
    expect(keys).toMatchObject({
      normalized: 'mps-events/normalized/event_type=WorkflowTask/dt=2026-12-06/',
      compacted: 'mps-events/compacted/normalized/event_type=WorkflowTask/dt=2026-12-06/',
      manifest: `mps-events/compacted/normalized/event_type=WorkflowTask/dt=2026-12-06/${MANIFEST_FILE}`,
    });
    expect([0, 12].map(keys.part)).toEqual(['part-00000', 'part-00012'].map((p) => `${keys.compacted}${p}.parquet`));
    // Hidden from Spark, Hive and Presto, which read the folder as a Parquet table.
    expect(MANIFEST_FILE.startsWith('_')).toBe(true);
  });
});
