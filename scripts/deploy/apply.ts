import type { FunctionConfig, MpsApi, ScfCall } from '../tencent-api';
import { describeCode, type Code } from './code';
import { describeAsync, shown, specConfig, type Account, type Plan } from './plan';
import type { FunctionSpec } from './spec';
import { applyTimers } from './timers';
import { bindTriggers } from './triggers';

/*
 * A plan carried out: the function created from the zip, or its code then its configuration
 * updated, each followed by polling GetFunction until SCF says Active; then the async retries, the
 * MPS triggers and the timers. One line is reported per change.
 */

export interface ApplyOptions {
  say: (line: string) => void;
  /** Between two polls of GetFunction, at first; it doubles up to 5 s. */
  pollMs?: number;
  /** How long SCF may take to settle a create or an update. */
  waitMs?: number;
}

const BUSY = new Set(['Creating', 'Updating', 'Publishing']);

/** Polls GetFunction until the function is Active; a failed create or update ends the deploy with SCF's reasons. */
export async function waitUntilActive(scf: ScfCall, spec: FunctionSpec, options: ApplyOptions): Promise<FunctionConfig> {
  const until = Date.now() + (options.waitMs ?? 300_000);
  for (let pause = options.pollMs ?? 500; ; pause = Math.min(pause * 2, 5_000)) {
    const fn = await scf('GetFunction', { FunctionName: spec.name, Namespace: spec.namespace });
    if (fn.Status === 'Active') return fn;
    if (!BUSY.has(fn.Status ?? '')) {
      const reasons = (fn.StatusReasons ?? []).map((r) => [r.ErrorCode, r.ErrorMessage].filter(Boolean).join(': ')).join('; ');
      throw new Error(`Function ${spec.name} is ${fn.Status}: ${reasons || fn.StatusDesc || 'SCF gave no reason'}`);
    }
    if (Date.now() + pause > until) throw new Error(`Function ${spec.name} is still ${fn.Status} after ${Math.round((options.waitMs ?? 300_000) / 1000)} s: see the SCF console`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

export async function applyPlan(apis: { scf: ScfCall; mps: MpsApi }, spec: FunctionSpec, account: Account, plan: Plan, code: Code, options: ApplyOptions): Promise<void> {
  const { scf } = apis;
  const { say } = options;
  const where = { FunctionName: spec.name, Namespace: spec.namespace };
  const ZipFile = Buffer.from(code.zip).toString('base64');

  if (plan.action === 'create') {
    await scf('CreateFunction', { ...where, ...specConfig(spec), Type: 'Event', Code: { ZipFile } });
    await waitUntilActive(scf, spec, options);
    say(`created function ${spec.namespace}/${spec.name} in ${spec.region} from ${describeCode(code)}`);
    for (const c of plan.changes) say(`  ${c.setting}: ${shown(c.to)}`);
  } else {
    // Another deploy may still be at work; a failed update is one this one can mend.
    if (BUSY.has(account.fn?.Status ?? '')) await waitUntilActive(scf, spec, options);
    await scf('UpdateFunctionCode', { ...where, Handler: spec.handler, ZipFile });
    await waitUntilActive(scf, spec, options);
    say(`updated the code of ${spec.namespace}/${spec.name} in ${spec.region} from ${describeCode(code)}`);
    const { Runtime: _runtime, Handler: _handler, ...configuration } = specConfig(spec);
    if (plan.changes.some((c) => c.setting !== 'Handler')) {
      await scf('UpdateFunctionConfiguration', { ...where, ...configuration });
      await waitUntilActive(scf, spec, options);
    }
    for (const c of plan.changes) say(`changed ${c.setting}: ${shown(c.from)} → ${shown(c.to)}`);
    if (plan.changes.length === 0) say('configuration unchanged');
  }

  if (plan.asyncConfig) {
    await scf('UpdateFunctionEventInvokeConfig', { ...where, AsyncTriggerConfig: plan.asyncConfig.to });
    say(`set async retries: ${describeAsync(plan.asyncConfig.from)} → ${describeAsync(plan.asyncConfig.to)}`);
  }
  await bindTriggers(apis, spec, plan, say);
  await applyTimers(scf, spec, plan.timers, say);
}
