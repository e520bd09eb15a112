import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../scripts/deploy/api';
import { applyTimers, planTimers } from '../../../scripts/deploy/timers';
import type { Timer } from '../../../scripts/deploy/spec';
import type { ScfCall } from '../../../scripts/tencent-api';
import { functionSpec } from '../../support/function-spec';

const daily: Timer = { name: 'daily', cron: '0 30 9 * * * *', enable: true, qualifier: '$DEFAULT' };
const spec = functionSpec({ name: 'compact', timers: [daily] });

/**
 * An SCF that keeps the function's timers as the API lists them (TriggerDesc {"cron": ...},
 * Enable 1 or 0), records every call, and may refuse CreateTrigger or leave a write undone.
 */
function fakeScf(timers: Timer[], options: { refuseCreate?: ApiCallError; ignoreWrites?: boolean } = {}) {
  const calls: [string, Record<string, unknown>][] = [];
  const write = (r: Record<string, unknown>) => {
    if (options.ignoreWrites) return;
    const timer = { name: String(r.TriggerName), cron: String(r.TriggerDesc), enable: r.Enable === 'OPEN', qualifier: String(r.Qualifier) };
    timers = [...timers.filter((t) => t.name !== timer.name), timer];
  };
  const call = (async (action: string, request: Record<string, unknown>) => {
    calls.push([action, request]);
    if (action === 'ListTriggers') {
      return { Triggers: timers.map((t) => ({ Type: 'timer', TriggerName: t.name, TriggerDesc: JSON.stringify({ cron: t.cron }), Enable: t.enable ? 1 : 0, Qualifier: t.qualifier })) };
    }
    if (action === 'CreateTrigger' && options.refuseCreate) throw options.refuseCreate;
    write(request);
    return {};
  }) as ScfCall;
  return { call, calls, writes: () => calls.filter((c) => c[0] !== 'ListTriggers') };
}

const run = async (scf: ReturnType<typeof fakeScf>, existing: Timer[]) => {
  const lines: string[] = [];
  await applyTimers(scf.call, spec, planTimers(spec, existing), (l) => lines.push(l));
  return lines;
};

describe('applyTimers', () => {
  it('creates a timer the function lacks with CreateTrigger, the cron as TriggerDesc, and finds it in ListTriggers', async () => {
    const scf = fakeScf([]);
    expect(await run(scf, [])).toEqual(['created timer trigger daily → default/compact ($DEFAULT): 0 30 9 * * * *']);
    expect(scf.calls).toEqual([
      ['CreateTrigger', { FunctionName: 'compact', Namespace: 'default', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 30 9 * * * *', Qualifier: '$DEFAULT', Enable: 'OPEN' }],
      ['ListTriggers', { FunctionName: 'compact', Namespace: 'default', Limit: 100 }],
    ]);
  });

  it('changes a timer whose cron or switch differs with UpdateTrigger, and leaves one as the yml says alone', async () => {
    const old = { ...daily, cron: '0 30 1 * * * *', enable: false };
    const scf = fakeScf([old]);
    expect(await run(scf, [old])).toEqual(['changed timer trigger daily: 0 30 1 * * * *, disabled → 0 30 9 * * * *']);
    expect(scf.writes()).toEqual([['UpdateTrigger', { FunctionName: 'compact', Namespace: 'default', TriggerName: 'daily', Type: 'timer', TriggerDesc: '0 30 9 * * * *', Qualifier: '$DEFAULT', Enable: 'OPEN' }]]);

    const same = fakeScf([daily]);
    expect(await run(same, [daily])).toEqual(['timer trigger daily unchanged: 0 30 9 * * * *']);
    expect(same.calls).toEqual([]);
  });

  it('takes a timer SCF refused to create for one a deploy running meanwhile made, and updates it when it differs', async () => {
    const exists = new ApiCallError('CreateTrigger', 'ResourceInUse.Trigger', 'CreateTrigger: ResourceInUse.Trigger: exists');
    const same = fakeScf([daily], { refuseCreate: exists });
    expect(await run(same, [])).toEqual(['timer trigger daily unchanged: 0 30 9 * * * *']);
    const other = fakeScf([{ ...daily, cron: '0 0 1 * * * *' }], { refuseCreate: exists });
    expect(await run(other, [])).toEqual(['changed timer trigger daily: 0 0 1 * * * * → 0 30 9 * * * *']);
    expect(other.writes().map((c) => c[0])).toEqual(['CreateTrigger', 'UpdateTrigger']);
  });

  it('lets a refusal through when no such timer exists, and fails when ListTriggers does not show the write', async () => {
    const refused = new ApiCallError('CreateTrigger', 'InvalidParameterValue.TriggerDesc', 'CreateTrigger: InvalidParameterValue.TriggerDesc: bad cron');
    await expect(run(fakeScf([], { refuseCreate: refused }), [])).rejects.toThrow('CreateTrigger: InvalidParameterValue.TriggerDesc: bad cron');
    await expect(run(fakeScf([], { ignoreWrites: true }), [])).rejects.toThrow(
      "SCF accepted the timer trigger daily, but ListTriggers shows no such trigger on default/compact: see the function's triggers in the SCF console",
    );
  });
});
