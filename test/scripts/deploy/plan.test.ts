import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../scripts/deploy/api';
import { describePlan, planDeploy, readAccount, specConfig, type Account } from '../../../scripts/deploy/plan';
import type { ScfCall } from '../../../scripts/tencent-api';
import { functionSpec } from '../../support/function-spec';

const spec = functionSpec({
  description: 'Archives',
  environment: { COS_BUCKET: 'a-1250000000', COS_ENDPOINT: 'http://user:hunter2@proxy.example:8080' },
  mpsTriggers: [
    { eventType: 'WorkflowTask', qualifier: '$DEFAULT' },
    { eventType: 'EditMediaTask', qualifier: '$DEFAULT' },
  ],
});
const code = { zip: new Uint8Array(1024), sha256: 'ab'.repeat(32), source: 'dist/function' };
const absent: Account = { fn: undefined, asyncConfig: undefined, bound: new Set(), timers: [] };
const deployed = (more: Record<string, unknown> = {}): Account => ({
  fn: { ...specConfig(spec), Status: 'Active', ...more },
  asyncConfig: { RetryConfig: [{ RetryNum: 2 }], MsgTTL: 21600 },
  bound: new Set(['WorkflowTask']),
  timers: [],
});

describe('planDeploy', () => {
  it('creates a function that does not exist, with every setting, and binds every trigger', () => {
    const plan = planDeploy(spec, absent, code);
    expect(plan.action).toBe('create');
    expect(plan.changes.map((c) => [c.setting, c.from, c.to])).toEqual([
      ['Runtime', undefined, 'Nodejs18.15'],
      ['Handler', undefined, 'index.main_handler'],
      ['MemorySize', undefined, '128 MB'],
      ['Timeout', undefined, '30 s'],
      ['Role', undefined, 'archive-role'],
      ['Description', undefined, 'Archives'],
      ['Environment COS_BUCKET', undefined, 'a-1250000000'],
      ['Environment COS_ENDPOINT', undefined, 'http://user:hunter2@proxy.example:8080'],
    ]);
    expect(plan.toBind.map((t) => t.eventType)).toEqual(['WorkflowTask', 'EditMediaTask']);
    expect(plan.asyncConfig).toBeUndefined();
  });

  it('updates an existing function with only what differs, variables it no longer has included, and binds only what is not bound', () => {
    const plan = planDeploy(spec, deployed({ MemorySize: 256, Environment: { Variables: [{ Key: 'COS_BUCKET', Value: 'a-1250000000' }, { Key: 'OLD', Value: 'x' }] } }), code);
    expect(plan.action).toBe('update');
    expect(plan.changes).toEqual([
      { setting: 'MemorySize', from: '256 MB', to: '128 MB' },
      { setting: 'Environment COS_ENDPOINT', from: undefined, to: 'http://user:hunter2@proxy.example:8080' },
      { setting: 'Environment OLD', from: 'x', to: undefined },
    ]);
    expect(plan.toBind).toEqual([{ eventType: 'EditMediaTask', qualifier: '$DEFAULT' }]);
    expect(plan.alreadyBound).toEqual([{ eventType: 'WorkflowTask', qualifier: '$DEFAULT' }]);
  });

  it('leaves a dead-letter queue the yml does not name as it is, and sets one it names', () => {
    const withQueue = deployed({ DeadLetterConfig: { Type: 'queue', Name: 'console-set' } });
    expect(planDeploy(spec, withQueue, code).changes).toEqual([]);
    expect(planDeploy({ ...spec, deadLetter: { Type: 'topic', Name: 'dlq', FilterType: 'tag' } }, withQueue, code).changes).toEqual([
      { setting: 'DeadLetterConfig', from: 'queue console-set', to: 'topic dlq tag' },
    ]);
  });

  it("sets the async retries the yml names, keeping the account's value of the one it does not, and only when they differ", () => {
    expect(planDeploy({ ...spec, retryNum: 0 }, deployed(), code).asyncConfig).toEqual({
      from: { RetryConfig: [{ RetryNum: 2 }], MsgTTL: 21600 },
      to: { RetryConfig: [{ RetryNum: 0 }], MsgTTL: 21600 },
    });
    expect(planDeploy({ ...spec, retryNum: 2, msgTTL: 21600 }, deployed(), code).asyncConfig).toBeUndefined();
    expect(planDeploy({ ...spec, msgTTL: 600 }, absent, code).asyncConfig).toEqual({ from: undefined, to: { RetryConfig: [{ RetryNum: 2 }], MsgTTL: 600 } });
  });

  it.each<[string, Account, typeof code, RegExp]>([
    ['another runtime', deployed({ Runtime: 'Nodejs16.13' }), code, /^Function archive runs Nodejs16\.13, and SCF cannot change a function's runtime to Nodejs18\.15/],
    ['a function whose creation failed', deployed({ Status: 'CreateFailed', StatusReasons: [{ ErrorMessage: 'no role' }] }), code, /exists but its creation failed \(no role\).*delete it in the SCF console/],
    ['a zip over the update limit', deployed(), { ...code, zip: new Uint8Array(20 * 2 ** 20 + 1) }, /over the 20\.0 MB that UpdateFunctionCode takes inline/],
    ['a zip over the create limit', absent, { ...code, zip: new Uint8Array(50 * 2 ** 20 + 1) }, /over the 50\.0 MB that CreateFunction takes inline/],
  ])('refuses %s', (_name, account, zip, message) => {
    expect(() => planDeploy(spec, account, zip)).toThrow(message);
  });
});

describe('describePlan', () => {
  it('says from → to for each change, masking what a variable may hold', () => {
    const account = deployed({ MemorySize: 256 });
    const lines = describePlan(spec, account, planDeploy(spec, account, code), code);
    expect(lines).toEqual([
      'Would update function default/archive in ap-guangzhou (now Active)',
      '  code: dist/function, 1.0 KB zipped, sha256 abababababab',
      '  MemorySize: 256 MB → 128 MB',
      '  bind MPS trigger EditMediaTask ($DEFAULT)',
      '  MPS trigger WorkflowTask: already bound',
    ]);
    const created = describePlan(spec, absent, planDeploy(spec, absent, code), code).join('\n');
    expect(created).toContain('Environment COS_ENDPOINT: (none) → http://******@proxy.example:8080');
    expect(created).not.toContain('hunter2');
  });
});

describe('the timers of a plan', () => {
  const timers = [
    { name: 'daily', cron: '0 30 9 * * * *', enable: true, qualifier: '$DEFAULT' },
    { name: 'hourly', cron: '0 0 * * * * *', enable: false, qualifier: '$DEFAULT' },
    { name: 'weekly', cron: '0 0 0 * * SUN *', enable: true, qualifier: '$DEFAULT' },
  ];
  const withTimers = { ...spec, timers };

  it('creates a timer the function lacks, changes one whose cron or switch differs, and says so', () => {
    const account = { ...deployed(), timers: [{ ...timers[0]!, cron: '0 30 1 * * * *' }, timers[2]!, { name: 'console-made', cron: '0 0 3 * * * *', enable: true, qualifier: '$LATEST' }] };
    const plan = planDeploy(withTimers, account, code);
    expect(plan.timers).toEqual([
      { timer: timers[0], from: { ...timers[0], cron: '0 30 1 * * * *' } },
      { timer: timers[1], from: undefined },
      { timer: timers[2], from: timers[2] },
    ]);
    expect(describePlan(withTimers, account, plan, code).slice(-3)).toEqual([
      '  timer trigger daily: 0 30 1 * * * * → 0 30 9 * * * *',
      '  create timer trigger hourly ($DEFAULT): 0 0 * * * * *, disabled',
      '  timer trigger weekly: unchanged, 0 0 0 * * SUN *',
    ]);
  });

  it('refuses a timer of the same name on another qualifier, which SCF cannot change', () => {
    const account = { ...deployed(), timers: [{ ...timers[0]!, qualifier: '$LATEST' }] };
    expect(() => planDeploy(withTimers, account, code)).toThrow('The timer trigger daily of default/archive invokes $LATEST, not $DEFAULT, and SCF cannot change that: delete the trigger');
  });
});

describe('readAccount', () => {
  /** An SCF whose answers are given per action, recording what it was asked. */
  const fakeScf = (answers: Record<string, () => unknown>) => {
    const asked: [string, unknown][] = [];
    const call = (async (action: string, request: unknown) => {
      asked.push([action, request]);
      return answers[action]!();
    }) as ScfCall;
    return { call, asked };
  };

  it('says a function that GetFunction does not find is absent, and asks nothing more', async () => {
    const scf = fakeScf({
      GetFunction: () => {
        throw new ApiCallError('GetFunction', 'ResourceNotFound.FunctionName', 'GetFunction: not found');
      },
    });
    expect(await readAccount(scf.call, spec)).toEqual(absent);
    expect(scf.asked).toEqual([['GetFunction', { FunctionName: 'archive', Namespace: 'default' }]]);
  });

  it('reads which MPS triggers are bound, an unbound one (BindStatus off) not counting, and the async retries when the yml names them', async () => {
    const scf = fakeScf({
      GetFunction: () => ({ Status: 'Active' }),
      GetFunctionEventInvokeConfig: () => ({ AsyncTriggerConfig: { RetryConfig: [{ RetryNum: 1 }], MsgTTL: 60 } }),
      ListTriggers: () => ({
        Triggers: [
          { Type: 'mps', ResourceId: 'qcs::mps:ap-guangzhou:uin/1:TriggerType/WorkflowTaskEvent', BindStatus: 'on' },
          { Type: 'mps', ResourceId: 'qcs::mps:ap-guangzhou:uin/1:TriggerType/EditMediaTaskEvent', BindStatus: 'off' },
          // A timer as the API lists it: the cron it was given as {"cron": ...}, its switch as 1 or 0.
          { Type: 'timer', TriggerName: 'daily', TriggerDesc: '{"cron":"0 30 9 * * * *"}', Enable: 0, Qualifier: '$DEFAULT' },
        ],
      }),
    });
    expect(await readAccount(scf.call, { ...spec, msgTTL: 600 })).toEqual({
      fn: { Status: 'Active' },
      asyncConfig: { RetryConfig: [{ RetryNum: 1 }], MsgTTL: 60 },
      bound: new Set(['WorkflowTask']),
      timers: [{ name: 'daily', cron: '0 30 9 * * * *', enable: false, qualifier: '$DEFAULT' }],
    });
    // Without retryNum or msgTTL in the yml, the retries are neither read nor changed.
    expect((await readAccount(scf.call, spec)).asyncConfig).toBeUndefined();
    expect(scf.asked.map((a) => a[0])).toEqual(['GetFunction', 'GetFunctionEventInvokeConfig', 'ListTriggers', 'GetFunction', 'ListTriggers']);
  });

  it('lets any other failure through', async () => {
    const scf = fakeScf({
      GetFunction: () => {
        throw new ApiCallError('GetFunction', 'AuthFailure.SignatureFailure', 'GetFunction: refused');
      },
    });
    await expect(readAccount(scf.call, spec)).rejects.toThrow('GetFunction: refused');
  });
});
