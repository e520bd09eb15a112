import { describe, expect, it } from 'vitest';
import { worstEvents } from '../../../scripts/bench/worst-events';
import { ASYNC_EVENT_LIMIT } from '../../../src/forward/payload';
import { toJson } from '../../../src/json';
import { OVERSIZE_BYTES } from '../../../src/oversize';
import { plan } from '../../../src/plan';

describe('worstEvents', () => {
  it.each([ASYNC_EVENT_LIMIT, OVERSIZE_BYTES])('are events the function archives in full, each within %d bytes, the largest near it', (limit) => {
    const events = worstEvents(limit);
    const sizes = events.map((e) => Buffer.byteLength(toJson(e.event)));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(limit);
    expect(Math.max(...sizes)).toBeGreaterThan(limit * 0.95);
    const invocation = { requestId: 'r', functionName: 'f', receivedAt: new Date(0), deadline: Infinity };
    for (const { event } of events) {
      const p = plan(event, invocation, { prefix: 'p', timeZone: 'UTC' });
      if (p.kind !== 'archive') throw new Error('rejected');
      expect(p.record.oversize).toBeNull();
    }
  });

  it('nest as deep as the size allows: 65,000 levels and more at 128 KB', () => {
    expect(worstEvents(ASYNC_EVENT_LIMIT).map((e) => e.name)).toContain('nested 65,467 deep');
  });
});
