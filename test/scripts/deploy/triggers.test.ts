import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../scripts/deploy/api';
import type { Plan } from '../../../scripts/deploy/plan';
import type { FunctionSpec } from '../../../scripts/deploy/spec';
import { bindTriggers } from '../../../scripts/deploy/triggers';
import type { BindTriggerRequest, ScfCall } from '../../../scripts/tencent-api';

const spec = { name: 'archive', namespace: 'default', region: 'ap-shanghai' } as FunctionSpec;
const plan = (toBind: Plan['toBind'], alreadyBound: Plan['alreadyBound'] = []) => ({ toBind, alreadyBound }) as Plan;
const listing = (...types: string[]) => (async () => ({ Triggers: types.map((t) => ({ Type: 'mps', ResourceId: `qcs::mps:ap-shanghai:uin/1:TriggerType/${t}Event` })) })) as unknown as ScfCall;

describe('bindTriggers', () => {
  it("binds each trigger the plan names with MPS's BindTrigger, and finds it in ListTriggers", async () => {
    const bound: BindTriggerRequest[] = [];
    const lines: string[] = [];
    await bindTriggers(
      { scf: listing('WorkflowTask', 'EditMediaTask'), mps: { BindTrigger: async (r) => (bound.push(r), { ResourceId: 'x' }) } },
      spec,
      plan([{ eventType: 'EditMediaTask', qualifier: '$DEFAULT' }], [{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }]),
      (l) => lines.push(l),
    );
    expect(bound).toEqual([{ ScfRegion: 'ap-shanghai', EventType: 'EditMediaTask', Qualifier: '$DEFAULT', FunctionName: 'archive', Namespace: 'default' }]);
    expect(lines).toEqual(['MPS trigger WorkflowTask already bound, left as it is', 'bound MPS trigger EditMediaTask → default/archive ($DEFAULT)']);
  });

  it('fails when ListTriggers does not show a binding MPS accepted', async () => {
    const apis = { scf: listing(), mps: { BindTrigger: async () => ({ ResourceId: 'x' }) } };
    await expect(bindTriggers(apis, spec, plan([{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }]), () => undefined)).rejects.toThrow(
      "MPS accepted the WorkflowTask trigger, but SCF's ListTriggers does not show it on default/archive",
    );
  });

  it('takes a binding MPS refused for one a deploy running meanwhile made, when ListTriggers shows it on the function', async () => {
    const exists = new ApiCallError('BindTrigger', 'FailedOperation', 'BindTrigger: FailedOperation: the trigger exists');
    const lines: string[] = [];
    const apis = { scf: listing('WorkflowTask'), mps: { BindTrigger: () => Promise.reject(exists) } };
    await bindTriggers(apis, spec, plan([{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }]), (l) => lines.push(l));
    expect(lines).toEqual(['MPS trigger WorkflowTask already bound, left as it is']);
  });

  it('says what to do, service roles first, when MPS refuses', async () => {
    const refused = new ApiCallError('BindTrigger', 'UnauthorizedOperation', 'BindTrigger: not allowed');
    const apis = { scf: listing(), mps: { BindTrigger: () => Promise.reject(refused) } };
    const error = await bindTriggers(apis, spec, plan([{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }]), () => undefined).catch((e: Error) => e);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('MPS refused to bind the WorkflowTask trigger to default/archive: BindTrigger: not allowed');
    expect(lines.join('\n')).toMatch(/SCF_QcsRole and MPS_QcsRole[\s\S]*region ap-shanghai[\s\S]*one function per account[\s\S]*npm run deploy again/);
  });
});
