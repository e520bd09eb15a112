import { describe, expect, it } from 'vitest';
import { readInvocation } from '../src/context';

describe('readInvocation', () => {
  it('reads request id, function name and time limit from the SCF context', () => {
    const inv = readInvocation({ request_id: 'r', function_name: 'f', time_limit_in_ms: 30_000, memory_limit_in_mb: 128 }, 1_000, 'env-name');
    expect(inv).toEqual({ requestId: 'r', functionName: 'f', receivedAt: new Date(1_000), deadline: 1_000 + 30_000 - 1_000 });
  });

  it('keeps a tenth of a short time limit in reserve', () => {
    expect(readInvocation({ time_limit_in_ms: 3_000 }, 0, undefined).deadline).toBe(2_700);
    expect(readInvocation({ time_limit_in_ms: 500 }, 0, undefined).deadline).toBe(400);
  });

  it.each([undefined, null, 'text', { request_id: 7, function_name: '', time_limit_in_ms: -1 }])(
    'falls back to defaults for a context of %j',
    (ctx) => {
      expect(readInvocation(ctx, 0, 'env-name')).toEqual({
        requestId: 'unknown',
        functionName: 'env-name',
        receivedAt: new Date(0),
        deadline: 2_700,
      });
    },
  );

  it('takes the runtime\'s remaining time where the context has it, when it is the shorter', () => {
    const remaining = (ms: number) => ({ time_limit_in_ms: 30_000, getRemainingTimeInMillis: () => ms });
    expect(readInvocation(remaining(10_000), 0, undefined).deadline).toBe(9_000);
    expect(readInvocation(remaining(60_000), 0, undefined).deadline).toBe(29_000);
    expect(readInvocation({ getRemainingTimeInMillis: () => 2_000 }, 0, undefined).deadline).toBe(1_800);
  });

  it.each([
    ['throws', () => { throw new Error('no'); }],
    ['answers nothing useful', () => Number.NaN],
    ['answers a string', () => '5000'],
  ])('ignores a getRemainingTimeInMillis that %s', (_name, fn) => {
    expect(readInvocation({ time_limit_in_ms: 30_000, getRemainingTimeInMillis: fn }, 0, undefined).deadline).toBe(29_000);
  });

  it('keeps the first receipt of a replayed event, and says when it was replayed', () => {
    const inv = readInvocation({ replay_of: { received_at: '2026-11-01T23:59:00.000Z' } }, 5_000, undefined);
    expect(inv.receivedAt).toEqual(new Date('2026-11-01T23:59:00.000Z'));
    expect(inv.replayedAt).toEqual(new Date(5_000));
    expect(inv.deadline).toBe(5_000 + 2_700);
  });

  it('marks a replay whose first receipt is unknown as received now', () => {
    const inv = readInvocation({ replay_of: {} }, 5_000, undefined);
    expect(inv.receivedAt).toEqual(new Date(5_000));
    expect(inv.replayedAt).toEqual(new Date(5_000));
  });

  it.each([{ received_at: 'yesterday' }, { received_at: 7 }, 'x'])('ignores a replay_of of %j, as an ordinary receipt', (replayOf) => {
    const inv = readInvocation({ replay_of: replayOf }, 5_000, undefined);
    expect(inv.receivedAt).toEqual(new Date(5_000));
    expect(inv).not.toHaveProperty('replayedAt');
  });
});
