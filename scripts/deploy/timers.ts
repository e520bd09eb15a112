import { timerCron, triggerEnable, type ScfCall, type ScfResponse } from '../tencent-api';
import { ApiCallError } from './api';
import type { FunctionSpec, Timer } from './spec';

/*
 * The timer triggers: SCF's CreateTrigger with Type "timer", the cron as TriggerDesc (SCF docs
 * 583/18589, 583/39901), and UpdateTrigger to change one's cron or switch, which the API offers for
 * timers ("目前只支持timer、ckafka、http"), so the function is never left without its timer as
 * a delete then create would leave it. A timer is known by its name, unique in the function; the
 * plan creates only those ListTriggers does not show, so that none is created twice, and each
 * write is looked for in ListTriggers after it. Timers the yml does not name are left as they are.
 */

const TIMER = 'timer';

/** The function's timers in ListTriggers' answer. */
export function listedTimers(triggers: ScfResponse<'ListTriggers'>['Triggers']): Timer[] {
  return (triggers ?? [])
    .filter((t) => t.Type === TIMER && t.TriggerName)
    .map((t) => ({ name: t.TriggerName!, cron: timerCron(t.TriggerDesc) ?? '', enable: t.Enable === 1, qualifier: t.Qualifier ?? '$LATEST' }));
}

/** A timer of the yml, and the one of that name the function has (none: to create). */
export interface TimerStep {
  timer: Timer;
  from: Timer | undefined;
}

export const describeTimer = (t: Timer) => `${t.cron}${t.enable ? '' : ', disabled'}`;
export const sameTimer = (a: Timer, b: Timer) => a.cron === b.cron && a.enable === b.enable;

export function planTimers(spec: FunctionSpec, existing: Timer[]): TimerStep[] {
  return spec.timers.map((timer) => {
    const from = existing.find((t) => t.name === timer.name);
    if (from && from.qualifier !== timer.qualifier) {
      throw new Error(
        `The timer trigger ${timer.name} of ${spec.namespace}/${spec.name} invokes ${from.qualifier}, not ${timer.qualifier}, and SCF cannot change that: delete the trigger in the SCF console (function → Triggers), then deploy again`,
      );
    }
    return { timer, from };
  });
}

/** Creates or updates each timer the plan names, unless it is as the yml says, and checks it in ListTriggers. */
export async function applyTimers(scf: ScfCall, spec: FunctionSpec, steps: TimerStep[], say: (line: string) => void): Promise<void> {
  const where = { FunctionName: spec.name, Namespace: spec.namespace };
  const listed = async (name: string) => listedTimers((await scf('ListTriggers', { ...where, Limit: 100 })).Triggers).find((t) => t.name === name);
  for (const { timer, from } of steps) {
    const request = { ...where, TriggerName: timer.name, Type: TIMER, TriggerDesc: timer.cron, Qualifier: timer.qualifier, Enable: triggerEnable(timer.enable) };
    let before = from;
    if (!before) {
      try {
        await scf('CreateTrigger', request);
      } catch (error) {
        // A deploy running meanwhile may have created it since this one read the account.
        before = error instanceof ApiCallError ? await listed(timer.name) : undefined;
        if (!before) throw error;
      }
    }
    if (before) {
      if (sameTimer(before, timer)) {
        say(`timer trigger ${timer.name} unchanged: ${describeTimer(timer)}`);
        continue;
      }
      await scf('UpdateTrigger', request);
    }
    const now = await listed(timer.name);
    if (!now || !sameTimer(now, timer)) {
      throw new Error(`SCF accepted the timer trigger ${timer.name}, but ListTriggers shows ${now ? describeTimer(now) : 'no such trigger'} on ${spec.namespace}/${spec.name}: see the function's triggers in the SCF console`);
    }
    say(before ? `changed timer trigger ${timer.name}: ${describeTimer(before)} → ${describeTimer(timer)}` : `created timer trigger ${timer.name} → ${spec.namespace}/${spec.name} (${timer.qualifier}): ${describeTimer(timer)}`);
  }
}
