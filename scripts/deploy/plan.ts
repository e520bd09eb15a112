import { maskText } from '../../src/mask/text';
import { DEFAULT_ASYNC_CONFIG, mpsTriggerBound, type AsyncTriggerConfig, type FunctionConfig, type ScfCall } from '../tencent-api';
import { ApiCallError } from './api';
import { checkZipSize, describeCode, type Code } from './code';
import type { FunctionSpec, Timer } from './spec';
import { describeTimer, listedTimers, planTimers, sameTimer, type TimerStep } from './timers';

/*
 * What a deploy would do, from what the account holds: create the function or update it, each
 * setting that changes (from → to), the async retries, the MPS triggers still to bind and the
 * timers to create or change. Only reads the account; `--dry-run` prints the plan, a deploy
 * applies it (apply.ts).
 */

export interface Account {
  /** Absent when the function does not exist. */
  fn: FunctionConfig | undefined;
  /** Read only when the yml names retryNum or msgTTL. */
  asyncConfig: AsyncTriggerConfig | undefined;
  /** The event types of the MPS triggers bound to the function. */
  bound: Set<string>;
  /** The function's timer triggers. */
  timers: Timer[];
}

export interface Change {
  setting: string;
  from: string | undefined;
  to: string | undefined;
}

export interface Plan {
  action: 'create' | 'update';
  /** Settings UpdateFunctionConfiguration changes (all of them, for a create). */
  changes: Change[];
  /** The new async retries, when the yml names them and they differ. */
  asyncConfig: { from: AsyncTriggerConfig | undefined; to: AsyncTriggerConfig } | undefined;
  toBind: FunctionSpec['mpsTriggers'];
  alreadyBound: FunctionSpec['mpsTriggers'];
  timers: TimerStep[];
}

const SCF_NOT_FOUND = new Set(['ResourceNotFound.Function', 'ResourceNotFound.FunctionName']);

export async function readAccount(scf: ScfCall, spec: FunctionSpec): Promise<Account> {
  const where = { FunctionName: spec.name, Namespace: spec.namespace };
  let fn: FunctionConfig;
  try {
    fn = await scf('GetFunction', where);
  } catch (error) {
    if (error instanceof ApiCallError && error.code && SCF_NOT_FOUND.has(error.code)) return { fn: undefined, asyncConfig: undefined, bound: new Set(), timers: [] };
    throw error;
  }
  // The async retries are read only when the yml names them: otherwise deploy leaves them alone.
  const named = spec.retryNum !== undefined || spec.msgTTL !== undefined;
  const [asyncConfig, { Triggers }] = await Promise.all([
    named ? scf('GetFunctionEventInvokeConfig', where).then((r) => r.AsyncTriggerConfig) : undefined,
    scf('ListTriggers', { ...where, Limit: 100 }),
  ]);
  const bound = spec.mpsTriggers.filter((t) => mpsTriggerBound(Triggers, t.eventType)).map((t) => t.eventType);
  return { fn, asyncConfig, bound: new Set(bound), timers: listedTimers(Triggers) };
}

/** A function's settings as text, one entry per setting and per environment variable. */
function settings(fn: Pick<FunctionConfig, 'Runtime' | 'Handler' | 'MemorySize' | 'Timeout' | 'Role' | 'Description' | 'Environment' | 'DeadLetterConfig'>): Map<string, string> {
  const entries: [string, string | undefined][] = [
    ['Runtime', fn.Runtime],
    ['Handler', fn.Handler],
    ['MemorySize', fn.MemorySize === undefined ? undefined : `${fn.MemorySize} MB`],
    ['Timeout', fn.Timeout === undefined ? undefined : `${fn.Timeout} s`],
    ['Role', fn.Role],
    ['Description', fn.Description],
    ...(fn.Environment?.Variables ?? []).map((v): [string, string | undefined] => [`Environment ${v.Key}`, v.Value]),
    ['DeadLetterConfig', fn.DeadLetterConfig && [fn.DeadLetterConfig.Type, fn.DeadLetterConfig.Name, fn.DeadLetterConfig.FilterType].filter(Boolean).join(' ')],
  ];
  return new Map(entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** The function as the yml describes it, in GetFunction's shape. */
export function specConfig(spec: FunctionSpec) {
  return {
    Runtime: spec.runtime,
    Handler: spec.handler,
    MemorySize: spec.memorySize,
    Timeout: spec.timeout,
    Role: spec.role,
    Description: spec.description,
    Environment: { Variables: Object.entries(spec.environment).map(([Key, Value]) => ({ Key, Value })) },
    ...(spec.deadLetter && { DeadLetterConfig: spec.deadLetter }),
  };
}

const sameAsync = (a: AsyncTriggerConfig, b: AsyncTriggerConfig) => a.MsgTTL === b.MsgTTL && a.RetryConfig[0]?.RetryNum === b.RetryConfig[0]?.RetryNum;

export function planDeploy(spec: FunctionSpec, account: Account, code: Code): Plan {
  const { fn } = account;
  if (fn?.Status === 'CreateFailed') {
    const reasons = (fn.StatusReasons ?? []).map((r) => r.ErrorMessage).join('; ');
    throw new Error(`Function ${spec.name} exists but its creation failed (${reasons || 'no reason given'}), and SCF cannot update it: delete it in the SCF console, then deploy again`);
  }
  if (fn && fn.Runtime !== spec.runtime) {
    throw new Error(`Function ${spec.name} runs ${fn.Runtime}, and SCF cannot change a function's runtime to ${spec.runtime}: delete the function, or deploy under another name`);
  }
  checkZipSize(code, fn ? 'UpdateFunctionCode' : 'CreateFunction');

  const want = settings(specConfig(spec));
  const have = fn ? settings(fn) : new Map<string, string>();
  const changes: Change[] = [];
  // Settings the yml does not name (a dead-letter queue set in the console) are left as they are.
  const named = (setting: string) => want.has(setting) || setting.startsWith('Environment ');
  for (const setting of new Set([...want.keys(), ...have.keys()])) {
    if (named(setting) && want.get(setting) !== have.get(setting)) changes.push({ setting, from: have.get(setting), to: want.get(setting) });
  }

  let asyncConfig: Plan['asyncConfig'];
  if (spec.retryNum !== undefined || spec.msgTTL !== undefined) {
    const from = account.asyncConfig;
    const base = from ?? DEFAULT_ASYNC_CONFIG;
    const to = { RetryConfig: [{ RetryNum: spec.retryNum ?? base.RetryConfig[0]?.RetryNum ?? 2 }], MsgTTL: spec.msgTTL ?? base.MsgTTL };
    if (!fn || !from || !sameAsync(from, to)) asyncConfig = { from, to };
  }

  return {
    action: fn ? 'update' : 'create',
    changes,
    asyncConfig,
    toBind: spec.mpsTriggers.filter((t) => !account.bound.has(t.eventType)),
    alreadyBound: spec.mpsTriggers.filter((t) => account.bound.has(t.eventType)),
    timers: planTimers(spec, account.timers),
  };
}

/** A value as it may be shown: environment values pass the function's own masking. */
export const shown = (value: string | undefined) => (value === undefined ? '(none)' : maskText(value));
export const describeAsync = (c: AsyncTriggerConfig | undefined) => (c ? `RetryNum ${c.RetryConfig[0]?.RetryNum}, MsgTTL ${c.MsgTTL} s` : '(SCF default)');

export function describePlan(spec: FunctionSpec, account: Account, plan: Plan, code: Code): string[] {
  const where = `${spec.namespace}/${spec.name} in ${spec.region}`;
  return [
    plan.action === 'create' ? `Would create function ${where}` : `Would update function ${where} (now ${account.fn?.Status})`,
    `  code: ${describeCode(code)}`,
    ...(plan.changes.length === 0 ? ['  configuration: unchanged'] : plan.changes.map((c) => `  ${c.setting}: ${shown(c.from)} → ${shown(c.to)}`)),
    ...(plan.asyncConfig ? [`  async retries: ${describeAsync(plan.asyncConfig.from)} → ${describeAsync(plan.asyncConfig.to)}`] : []),
    ...plan.toBind.map((t) => `  bind MPS trigger ${t.eventType} (${t.qualifier})`),
    ...plan.alreadyBound.map((t) => `  MPS trigger ${t.eventType}: already bound`),
    ...plan.timers.map(({ timer, from }) =>
      !from
        ? `  create timer trigger ${timer.name} (${timer.qualifier}): ${describeTimer(timer)}`
        : `  timer trigger ${timer.name}: ${sameTimer(from, timer) ? `unchanged, ${describeTimer(timer)}` : `${describeTimer(from)} → ${describeTimer(timer)}`}`,
    ),
  ];
}
