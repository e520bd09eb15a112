import { describe, expect, it } from 'vitest';
import { applyPlan, waitUntilActive } from '../../../scripts/deploy/apply';
import { planDeploy, specConfig, type Account } from '../../../scripts/deploy/plan';
import type { MpsApi, ScfCall } from '../../../scripts/tencent-api';
import { functionSpec } from '../../support/function-spec';

const spec = functionSpec();
const code = { zip: new Uint8Array([1, 2, 3]), sha256: 'ab'.repeat(32), source: 'dist/function' };

/** An SCF that answers GetFunction with the statuses given, in turn, and records every call. */
function fakeScf(statuses: { Status: string; StatusReasons?: { ErrorCode: string; ErrorMessage: string }[] }[]) {
  const calls: [string, Record<string, unknown>][] = [];
  let next = 0;
  const call = (async (action: string, request: Record<string, unknown>) => {
    calls.push([action, request]);
    if (action === 'GetFunction') return statuses[Math.min(next++, statuses.length - 1)];
    return {};
  }) as ScfCall;
  return { call, calls };
}
const noMps: MpsApi = { BindTrigger: () => Promise.reject(new Error('not called')) };

describe('waitUntilActive', () => {
  it('polls GetFunction until SCF says Active', async () => {
    const scf = fakeScf([{ Status: 'Creating' }, { Status: 'Creating' }, { Status: 'Active' }]);
    expect(await waitUntilActive(scf.call, spec, { say: () => undefined, pollMs: 1 })).toEqual({ Status: 'Active' });
    expect(scf.calls.map((c) => c[0])).toEqual(['GetFunction', 'GetFunction', 'GetFunction']);
  });

  it("ends with SCF's reasons when the function fails to settle", async () => {
    const scf = fakeScf([{ Status: 'Updating' }, { Status: 'UpdateFailed', StatusReasons: [{ ErrorCode: 'InternalError', ErrorMessage: 'no space' }] }]);
    await expect(waitUntilActive(scf.call, spec, { say: () => undefined, pollMs: 1 })).rejects.toThrow('Function archive is UpdateFailed: InternalError: no space');
  });

  it('gives up after the time allowed', async () => {
    const scf = fakeScf([{ Status: 'Creating' }]);
    await expect(waitUntilActive(scf.call, spec, { say: () => undefined, pollMs: 5, waitMs: 30 })).rejects.toThrow('Function archive is still Creating after 0 s: see the SCF console');
  });
});

describe('applyPlan', () => {
  const account = (more: Record<string, unknown>): Account => ({ fn: { ...specConfig(spec), Status: 'Active', ...more }, asyncConfig: undefined, bound: new Set(), timers: [] });

  it("sends a changed handler with the code, and the configuration only when something else changed", async () => {
    const handlerOnly = account({ Handler: 'old.main_handler' });
    const scf = fakeScf([{ Status: 'Active' }]);
    const lines: string[] = [];
    await applyPlan({ scf: scf.call, mps: noMps }, spec, handlerOnly, planDeploy(spec, handlerOnly, code), code, { say: (l) => lines.push(l), pollMs: 1 });
    expect(scf.calls.filter((c) => c[0] !== 'GetFunction')).toEqual([['UpdateFunctionCode', { FunctionName: 'archive', Namespace: 'default', Handler: 'index.main_handler', ZipFile: 'AQID' }]]);
    expect(lines).toEqual([
      'updated the code of default/archive in ap-guangzhou from dist/function, 0.0 KB zipped, sha256 abababababab',
      'changed Handler: old.main_handler → index.main_handler',
    ]);

    const memory = account({ MemorySize: 256 });
    const again = fakeScf([{ Status: 'Active' }]);
    await applyPlan({ scf: again.call, mps: noMps }, spec, memory, planDeploy(spec, memory, code), code, { say: () => undefined, pollMs: 1 });
    expect(again.calls.filter((c) => c[0] === 'UpdateFunctionConfiguration')).toEqual([
      ['UpdateFunctionConfiguration', { FunctionName: 'archive', Namespace: 'default', MemorySize: 128, Timeout: 30, Role: 'archive-role', Description: '', Environment: { Variables: [{ Key: 'COS_BUCKET', Value: 'a-1250000000' }] } }],
    ]);
  });

  it('waits for a function still busy with another update before updating it', async () => {
    const busy = account({ Status: 'Updating' });
    const scf = fakeScf([{ Status: 'Updating' }, { Status: 'Active' }]);
    await applyPlan({ scf: scf.call, mps: noMps }, spec, busy, planDeploy(spec, busy, code), code, { say: () => undefined, pollMs: 1 });
    expect(scf.calls.map((c) => c[0])).toEqual(['GetFunction', 'GetFunction', 'UpdateFunctionCode', 'GetFunction']);
  });

  it('mends a function whose last update failed, without waiting for it to become Active first', async () => {
    const failed = account({ Status: 'UpdateFailed' });
    const scf = fakeScf([{ Status: 'Active' }]);
    await applyPlan({ scf: scf.call, mps: noMps }, spec, failed, planDeploy(spec, failed, code), code, { say: () => undefined, pollMs: 1 });
    expect(scf.calls.map((c) => c[0])).toEqual(['UpdateFunctionCode', 'GetFunction']);
  });
});
