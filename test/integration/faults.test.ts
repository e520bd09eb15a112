import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../scripts/local-cos/server';
import { StorageError } from '../../src/errors';
import type { Summary } from '../../src/handler';
import { context } from '../support/doubles';
import { fixture } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';

/*
 * Every case holds the handler to one invariant: if it resolved, every object it planned is
 * stored and reads back as built; if not, it rejected, so that SCF retries the event.
 */

const TIME_LIMIT_MS = 3_000;
const event = fixture('events/workflow-task-docs-sample.json');

let world: LocalWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function invoke(w: LocalWorld): Promise<{ summary?: Summary; error?: unknown; ms: number }> {
  const started = Date.now();
  try {
    const summary = await w.handler(event, { ...context, time_limit_in_ms: TIME_LIMIT_MS });
    return { summary, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

async function expectInvariant(w: LocalWorld, outcome: Awaited<ReturnType<typeof invoke>>) {
  expect(outcome.ms).toBeLessThan(TIME_LIMIT_MS);
  if (outcome.summary) {
    expect(outcome.summary.result).toBe('archived');
    for (const key of w.built.keys()) expect(await w.getObject(key)).toEqual(w.built.get(key));
  } else {
    expect(outcome.error).toBeInstanceOf(StorageError);
  }
}

const puts = (w: LocalWorld) => w.cos.requests.filter((r) => r.method === 'PUT');

describe('COS faults', () => {
  it.each<[string, Fault, number]>([
    ['500 once', { kind: 'status', status: 500, code: 'InternalError' }, 1],
    ['503 twice', { kind: 'status', status: 503, code: 'ServiceUnavailable' }, 2],
    ['429 once', { kind: 'status', status: 429, code: 'SlowDown' }, 1],
    ['a connection reset', { kind: 'reset' }, 1],
    ['a body corrupted in transit', { kind: 'corrupt' }, 1],
    ['a slow answer', { kind: 'delay', ms: 300 }, 2],
    ['a 200 whose connection drops mid-body', { kind: 'cut' }, 1],
  ])('recovers from %s and stores everything', async (_name, fault, times) => {
    world = await startLocalWorld();
    world.cos.inject(fault, { times, method: 'PUT', keyIncludes: '/normalized/' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.summary?.result).toBe('archived');
    expect(puts(world).filter((r) => r.key.includes('/normalized/'))).toHaveLength(fault.kind === 'delay' ? 1 : times + 1);
  });

  it.each<[string, Fault, RegExp, number]>([
    ['503 always', { kind: 'status', status: 503, code: 'ServiceUnavailable' }, /503 ServiceUnavailable/, 4],
    ['429 always', { kind: 'status', status: 429, code: 'SlowDown' }, /429 SlowDown/, 4],
    ['403', { kind: 'status', status: 403, code: 'AccessDenied' }, /403 AccessDenied/, 1],
    ['resets always', { kind: 'reset' }, /no response ECONNRESET|socket hang up/, 4],
    ['corruption always', { kind: 'corrupt' }, /400 BadDigest/, 4],
  ])('gives up on %s after a bounded retry, and rejects', async (_name, fault, message, attempts) => {
    world = await startLocalWorld();
    world.cos.inject(fault, { method: 'PUT', keyIncludes: '/raw/' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(String(outcome.error)).toMatch(message);
    expect(puts(world).filter((r) => r.key.includes('/raw/'))).toHaveLength(attempts);
    expect(world.logs.lines().find((l) => l.level === 'error')).toMatchObject({ msg: expect.stringContaining('Event not stored') });
  });

  it('ends a hung request with the timeout, within the invocation time budget', async () => {
    world = await startLocalWorld({ config: { timeoutMs: 400 } });
    world.cos.inject({ kind: 'hang' }, { method: 'PUT' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toMatchObject({ retryable: true, code: expect.stringMatching(/TIMEDOUT/) });
    expect(puts(world).length).toBeGreaterThanOrEqual(2);
  });

  it('ends a hang even when the per-attempt timeout is longer than the invocation', async () => {
    world = await startLocalWorld({ config: { timeoutMs: 60_000 } });
    world.cos.inject({ kind: 'hang' }, { method: 'PUT' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toBeInstanceOf(StorageError);
  });

  it('ends an answer that trickles in forever, within the invocation time budget', async () => {
    world = await startLocalWorld({ config: { timeoutMs: 400 } });
    world.cos.inject({ kind: 'trickle', everyMs: 50 }, { method: 'PUT' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toMatchObject({ retryable: true });
  });

  it("learns COS's clock from a RequestTimeTooSkewed answer, and keeps it for the instance's next events", async () => {
    world = await startLocalWorld({ cos: { clockOffsetMs: 20 * 60_000 } });
    const first = await invoke(world);
    await expectInvariant(world, first);
    expect(first.summary?.result).toBe('archived');
    expect(puts(world).map((r) => r.status).sort()).toEqual([200, 200, 403, 403]);
    // The SDK says so on stderr in a line of its own; the function, in its log.
    const corrected = world.logs.lines().filter((l) => l.clock_offset_ms !== undefined);
    expect(corrected.length).toBeGreaterThan(0);
    for (const line of corrected) {
      expect(line).toMatchObject({ level: 'warn', msg: "COS's clock is apart from the instance's: requests are signed with COS's time from now on" });
      expect(Math.abs((line.clock_offset_ms as number) - 20 * 60_000)).toBeLessThan(5_000);
    }
    const before = puts(world).length;
    const second = await world.handler({ ...(event as object), SessionId: 'second' }, { ...context, time_limit_in_ms: TIME_LIMIT_MS });
    expect(second.result).toBe('archived');
    expect(puts(world).slice(before).map((r) => r.status)).toEqual([200, 200]);
  });

  it("moves to COS's backup domain when the default one gives no answer, and logs it", async () => {
    world = await startLocalWorld();
    world.cos.inject({ kind: 'reset' }, { method: 'PUT', hostIncludes: '.myqcloud.com' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.summary?.result).toBe('archived');
    expect(puts(world).filter((r) => r.status === 200)).toHaveLength(2);
    const warnings = world.logs.lines().filter((l) => l.level === 'warn');
    expect(warnings).toContainEqual(expect.objectContaining({ backup_domain: true, msg: "COS write failed, retrying on COS's backup domain" }));
  });

  it('does not take a 200 without the body\'s ETag for stored: it writes again', async () => {
    world = await startLocalWorld();
    world.cos.inject({ kind: 'lose' }, { times: 1, method: 'PUT', keyIncludes: '/raw/' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.summary?.result).toBe('archived');
    expect(puts(world).filter((r) => r.key.includes('/raw/'))).toHaveLength(2);
  });

  it('rejects when COS keeps answering 200 with another ETag, so that SCF retries the event', async () => {
    world = await startLocalWorld();
    world.cos.inject({ kind: 'lose', headers: { ETag: '"d41d8cd98f00b204e9800998ecf8427e"' } }, { method: 'PUT', keyIncludes: '/raw/' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toMatchObject({ code: 'ETagMismatch', retryable: true });
    await expect(world.listKeys('mps-events/raw/')).resolves.toEqual([]);
  });

  it.each([
    ['another CRC-64', { 'x-cos-hash-crc64ecma': '1', 'x-cos-server-side-encryption': 'AES256' }, 'CRC64Mismatch'],
    ['no CRC-64 for an encrypted object', { ETag: '"d41d8cd98f00b204e9800998ecf8427e"', 'x-cos-server-side-encryption': 'AES256' }, 'Unverified'],
  ])('rejects when COS keeps answering 200 with %s, so that SCF retries the event', async (_name, headers, code) => {
    world = await startLocalWorld();
    world.cos.inject({ kind: 'lose', headers }, { method: 'PUT', keyIncludes: '/raw/' });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toMatchObject({ code, retryable: true });
    await expect(world.listKeys('mps-events/raw/')).resolves.toEqual([]);
  });

  it('rejects a wrong secret key (SignatureDoesNotMatch) without retrying it', async () => {
    world = await startLocalWorld({ credentials: { secretKey: 'not-the-key' } });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toMatchObject({ statusCode: 403, code: 'SignatureDoesNotMatch', retryable: false });
    expect(puts(world)).toHaveLength(2);
  });

  it('rejects a bucket that does not exist', async () => {
    world = await startLocalWorld({ config: { bucket: 'missing-1250000000' } });
    const outcome = await invoke(world);
    await expectInvariant(world, outcome);
    expect(outcome.error).toMatchObject({ statusCode: 404, code: 'NoSuchBucket' });
  });

  it('writes nothing it reports as stored when only the error record fails', async () => {
    world = await startLocalWorld();
    world.cos.inject({ kind: 'status', status: 503, code: 'ServiceUnavailable' }, { keyIncludes: '/errors/' });
    const started = Date.now();
    await expect(world.handler(fixture('invalid/missing-task.json'), { ...context, time_limit_in_ms: TIME_LIMIT_MS })).rejects.toThrow(StorageError);
    expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS);
  });
});
