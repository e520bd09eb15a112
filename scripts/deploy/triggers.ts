import { mpsTriggerBound, type MpsApi, type ScfCall } from '../tencent-api';
import { ApiCallError } from './api';
import type { Plan } from './plan';
import type { FunctionSpec } from './spec';

/*
 * The MPS triggers. SCF's CreateTrigger has no MPS type: the trigger is bound with MPS's own
 * BindTrigger (2019-06-12) and shows in SCF's ListTriggers with a ResourceId holding
 * TriggerType/<EventType>Event, as the Serverless toolkit does it
 * (serverless-tencent/tencent-component-toolkit, src/modules/triggers/mps.ts). The plan binds
 * only the types not bound yet, so that no trigger is bound twice; each binding is then looked
 * for in ListTriggers, and so is one MPS refused, which a deploy running meanwhile may have made.
 */

/** What to do when MPS refuses a binding (SCF docs 583/39166 and MPS docs 1041/40337). */
export function refusedBinding(spec: FunctionSpec, eventType: string, reason: string): string {
  return [
    `MPS refused to bind the ${eventType} trigger to ${spec.namespace}/${spec.name}: ${reason}`,
    'The function itself is deployed. To bind the trigger:',
    '  1. The MPS trigger needs two service roles authorised once per account, SCF_QcsRole and MPS_QcsRole. In the SCF',
    `     console (region ${spec.region}), open Functions → ${spec.name} → Triggers → Create trigger, choose "MPS trigger":`,
    '     if the console reports a service role as abnormal, click SCF_QcsRole and MPS_QcsRole in its message and',
    '     authorise each (as the account owner, or a user allowed to manage CAM roles).',
    `  2. MPS binds each event type to one function per account, across regions: if another function holds ${eventType},`,
    '     delete that trigger first (SCF console → that function → Triggers).',
    '  3. The credentials that deploy need QcloudMPSFullAccess (or BindTrigger in a custom policy) besides SCF\'s.',
    '  Then run npm run deploy again: it binds only what is not bound yet.',
  ].join('\n');
}

export async function bindTriggers(apis: { scf: ScfCall; mps: MpsApi }, spec: FunctionSpec, plan: Plan, say: (line: string) => void): Promise<void> {
  const bound = async (eventType: string) => mpsTriggerBound((await apis.scf('ListTriggers', { FunctionName: spec.name, Namespace: spec.namespace, Limit: 100 })).Triggers, eventType);
  for (const { eventType } of plan.alreadyBound) say(`MPS trigger ${eventType} already bound, left as it is`);
  for (const { eventType, qualifier } of plan.toBind) {
    try {
      await apis.mps.BindTrigger({ ScfRegion: spec.region, EventType: eventType, Qualifier: qualifier, FunctionName: spec.name, Namespace: spec.namespace });
    } catch (error) {
      if (!(error instanceof ApiCallError)) throw error;
      // Another deploy may have bound it since this one read the account: then there is nothing to do.
      if (await bound(eventType)) {
        say(`MPS trigger ${eventType} already bound, left as it is`);
        continue;
      }
      throw new Error(refusedBinding(spec, eventType, error.message));
    }
    if (!(await bound(eventType))) {
      throw new Error(`MPS accepted the ${eventType} trigger, but SCF's ListTriggers does not show it on ${spec.namespace}/${spec.name}: see the function's triggers in the SCF console`);
    }
    say(`bound MPS trigger ${eventType} → ${spec.namespace}/${spec.name} (${qualifier})`);
  }
}
