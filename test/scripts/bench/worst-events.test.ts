import { describe, expect, it } from 'vitest';
import { worstEvents } from '../../../scripts/bench/worst-events';
import { toJson } from '../../../src/json';
import { plan } from '../../../src/plan';

describe('worstEvents', () => {
  it('are events the function archives, each within SCF 128 KB async limit, the largest near it', () => {
    const events = worstEvents();
    const sizes = events.map((e) => Buffer.byteLength(toJson(e.event)));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(128 * 1024);
    expect(Math.max(...sizes)).toBeGreaterThan(120 * 1024);
    const invocation = { requestId: 'r', functionName: 'f', receivedAt: new Date(0), deadline: Infinity };
    for (const { event } of events) expect(plan(event, invocation, { prefix: 'p', timeZone: 'UTC' }).kind).toBe('archive');
  });
});
