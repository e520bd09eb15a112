import { describe, expect, it } from 'vitest';
import { childLogger, MAX_LOGGED_MESSAGE, MAX_LOGGED_VALUE } from '../src/logger';
import { captureLogs } from './support/doubles';

describe('createLogger', () => {
  it('writes one JSON line per call, with the level by name and the fields given', () => {
    const { logger, lines } = captureLogs();
    childLogger(logger, { request_id: 'r-1' }).info({ task_id: 't', bytes: 3 }, 'Event archived');
    expect(lines()).toEqual([{ level: 'info', time: expect.any(String), request_id: 'r-1', task_id: 't', bytes: 3, msg: 'Event archived' }]);
  });

  it('bounds every value, in lists and bindings too, and the message', () => {
    const { logger, lines, text } = captureLogs();
    const huge = 'x'.repeat(6_000_000);
    childLogger(logger, { request_id: huge }).error({ task_id: huge, keys: [huge, 'k'], n: 1 }, `Event not stored: ${huge}`);
    const [line] = lines();
    expect(text().length).toBeLessThan(4 * MAX_LOGGED_VALUE + MAX_LOGGED_MESSAGE + 1_000);
    expect(line!.task_id).toBe(`${'x'.repeat(MAX_LOGGED_VALUE)}…(${6_000_000 - MAX_LOGGED_VALUE} more characters)`);
    expect(line!.request_id).toMatch(/^x{1024}…/);
    expect(line!.keys).toEqual([expect.stringMatching(/^x{1024}…/), 'k']);
    expect(line!.n).toBe(1);
    expect(line!.msg).toMatch(/^Event not stored: x+…\(\d+ more characters\)$/);
  });

  it('masks credentials that a value or the message quotes', () => {
    const { logger, text } = captureLogs();
    logger.error({ url: 'https://b.example.com/k?q-ak=AKIDleak&q-signature=leak' }, 'GET https://user:leak@host.example.com/ failed');
    expect(text()).not.toContain('leak');
    expect(text()).toContain('https://b.example.com/k?q-ak=******&q-signature=******');
  });
});
