import { describe, expect, it, vi } from 'vitest';
import { retry, type RetryPolicy } from '../src/retry';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, minAttemptMs: 50 };

/** A clock that only moves when the code under test sleeps or an attempt takes time. */
function fakeClock(start = 0) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    sleep: vi.fn(async (ms: number) => {
      t += ms;
    }),
  };
}

const transient = Object.assign(new Error('503'), { transient: true });
const permanent = new Error('403');
const isRetryable = (e: unknown) => (e as { transient?: boolean }).transient === true;

describe('retry', () => {
  it('returns the first success, giving each attempt the configured timeout', async () => {
    const clock = fakeClock();
    const attempt = vi.fn().mockRejectedValueOnce(transient).mockResolvedValueOnce('stored');
    await expect(retry(attempt, { deadline: 10_000, timeoutMs: 2_000, isRetryable, policy, ...clock, random: () => 1 })).resolves.toBe('stored');
    expect(attempt).toHaveBeenCalledTimes(2);
    expect(attempt).toHaveBeenNthCalledWith(1, 2_000);
    expect(clock.sleep).toHaveBeenCalledWith(100);
  });

  it('backs off exponentially, capped, with jitter', async () => {
    const clock = fakeClock();
    const attempt = vi.fn().mockRejectedValue(transient);
    const onRetry = vi.fn();
    await expect(
      retry(attempt, { deadline: 60_000, timeoutMs: 1_000, isRetryable, onRetry, policy: { ...policy, maxAttempts: 6 }, ...clock, random: () => 0.5 }),
    ).rejects.toThrow('503');
    expect(attempt).toHaveBeenCalledTimes(6);
    expect(clock.sleep.mock.calls.map(([ms]) => ms)).toEqual([50, 100, 200, 400, 500]);
    expect(onRetry).toHaveBeenCalledTimes(5);
    expect(onRetry).toHaveBeenNthCalledWith(1, transient, 1, 50);
  });

  it('does not retry an error that a retry cannot fix', async () => {
    const clock = fakeClock();
    const attempt = vi.fn().mockRejectedValue(permanent);
    await expect(retry(attempt, { deadline: 60_000, timeoutMs: 1_000, isRetryable, policy, ...clock })).rejects.toThrow('403');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(clock.sleep).not.toHaveBeenCalled();
  });

  it('gives each attempt no more than the time left before the deadline', async () => {
    const clock = fakeClock();
    const attempt = vi.fn(async (timeoutMs: number) => {
      clock.advance(timeoutMs);
      throw transient;
    });
    await expect(retry(attempt, { deadline: 2_500, timeoutMs: 1_000, isRetryable, policy, ...clock, random: () => 1 })).rejects.toThrow('503');
    const timeouts = attempt.mock.calls.map(([ms]) => ms);
    expect(timeouts[0]).toBe(1_000);
    expect(timeouts.at(-1)).toBeLessThan(1_000);
    expect(clock.now()).toBeLessThanOrEqual(2_500);
  });

  it('gives up rather than start an attempt that could not finish before the deadline', async () => {
    const clock = fakeClock();
    const attempt = vi.fn(async () => {
      clock.advance(960);
      throw transient;
    });
    await expect(retry(attempt, { deadline: 1_000, timeoutMs: 1_000, isRetryable, policy, ...clock, random: () => 1 })).rejects.toThrow('503');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('makes one attempt even when the deadline has already passed', async () => {
    const clock = fakeClock(5_000);
    const attempt = vi.fn().mockResolvedValue('ok');
    await expect(retry(attempt, { deadline: 1_000, timeoutMs: 1_000, isRetryable, policy, ...clock })).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledWith(policy.minAttemptMs);
  });
});
