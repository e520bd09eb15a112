import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import {
  DEFAULT_ASYNC_CONFIG,
  FUNCTION_NAME,
  isMemorySize,
  MEMORY_SIZE_RULE,
  MPS_EVENT_TYPES,
  NODE_RUNTIMES,
  ZIP_LIMIT_BYTES,
  mpsTriggerMark,
  type AsyncTriggerConfig,
  type BindTriggerRequest,
  type BindTriggerResponse,
  type DeadLetterConfig,
  type FunctionConfig,
  type ScfAction,
  type ScfRequest,
  type ScfResponse,
} from '../tencent-api';
import { cronProblem } from '../scf-cron';
import { runFunction } from './runtime';

/*
 * One account as the SCF API (2018-04-16) and MPS's BindTrigger (2019-06-12) see it: functions
 * with their configuration, code, status, async retries and timer triggers, and the account-wide
 * MPS triggers.
 * Each action checks what the API is documented to check and answers in its shapes. What SCF does
 * in the background (creating, updating) shows as SCF shows it: the next GetFunction answers
 * Creating or Updating, the one after it Active (or CreateFailed / UpdateFailed when told to
 * fail). A synchronous Invoke runs the function's code (runtime.ts); an asynchronous one is only
 * accepted, as the forwarding tests need.
 */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Status = 'Creating' | 'Active' | 'CreateFailed' | 'Updating' | 'UpdateFailed';
type StatusReason = { ErrorCode: string; ErrorMessage: string };

interface StoredFunction {
  region: string;
  namespace: string;
  name: string;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  role: string;
  description: string;
  type: string;
  environment: { Key: string; Value: string }[];
  deadLetter: DeadLetterConfig | undefined;
  /** The zip, base64, as it was sent. */
  zip: string;
  status: Status;
  statusReasons: StatusReason[];
  /** What the next GetFunction turns the status into, after answering the current one. */
  settlesTo: { status: Status; reasons: StatusReason[] } | undefined;
  asyncConfig: AsyncTriggerConfig;
  /** By name, unique in the function. Absent from a state file written before timers were kept. */
  timers?: Record<string, StoredTimer>;
}

interface StoredTimer {
  name: string;
  qualifier: string;
  cron: string;
  enable: boolean;
  customArgument: string;
  description: string;
  addTime: string;
  modTime: string;
}

interface MpsTrigger {
  eventType: string;
  region: string;
  namespace: string;
  functionName: string;
  qualifier: string;
  resourceId: string;
}

interface AccountState {
  functions: Record<string, StoredFunction>;
  /** By event type: MPS binds each to one function per account. */
  mpsTriggers: Record<string, MpsTrigger>;
}

export interface AccountOptions {
  /** Kept there between runs (`npm run deploy -- --local`); in memory only when absent. */
  stateFile?: string | undefined;
  /** Functions that exist without code anywhere (forwarding targets): invoked, never run. */
  stubs?: string[];
  /**
   * What SCF's runtime adds to every function's environment besides its own variables: the
   * execution role's keys, and here also COS_ENDPOINT, pointing the function at the local COS.
   */
  runtimeEnv?: Record<string, string>;
  /** Where unpacked code is kept while the account is open. */
  workDir: string;
}

/** The account's own numbers, as SCF gives them to its functions; the APPID is the local bucket's. */
const uin = '100000000001';
const appId = '1250000000';
const ASYNC_EVENT_LIMIT = 128 * 1024;
const SYNC_EVENT_LIMIT = 6 * 2 ** 20;

const missing = (what: string) => new ApiError('MissingParameter', `The request is missing ${what}.`);
/** The time a trigger was added or changed, as the API gives it: "2021-06-09 16:07:18". */
const apiTime = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
/** A timer's name, by CreateTrigger's documentation (583/18589): up to 100 letters, digits, "-" and "_"; and from a letter (583/9708). */
const TIMER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;
const notFound = (name: string) => new ApiError('ResourceNotFound.Function', `Function ${name} does not exist.`);

function checkMemory(memory: number | undefined): void {
  if (memory === undefined || isMemorySize(memory)) return;
  throw new ApiError('InvalidParameterValue.MemorySize', `MemorySize ${memory} is not ${MEMORY_SIZE_RULE}.`);
}

function checkTimeout(timeout: number | undefined): void {
  if (timeout === undefined || (Number.isInteger(timeout) && timeout >= 1 && timeout <= 900)) return;
  throw new ApiError('InvalidParameterValue.Timeout', `Timeout ${timeout} is not a whole number of seconds from 1 to 900.`);
}

/**
 * The zip's bytes, refused as the API refuses them: too large, or not a zip; and one with an
 * entry outside its own folder (an absolute path, a ".." segment), which unpacked for an Invoke
 * would write elsewhere on this machine.
 */
function checkZip(base64: string | undefined, action: keyof typeof ZIP_LIMIT_BYTES): Buffer {
  if (!base64) throw missing('Code.ZipFile');
  const zip = Buffer.from(base64, 'base64');
  if (zip.length > ZIP_LIMIT_BYTES[action]) {
    throw new ApiError('InvalidParameterValue.ZipFile', `The zip is ${zip.length} bytes, over the ${ZIP_LIMIT_BYTES[action] / 2 ** 20} MB that ${action} takes inline.`);
  }
  let names: string[];
  try {
    names = Object.keys(unzipSync(zip));
  } catch {
    throw new ApiError('InvalidParameterValue.ZipFile', 'ZipFile is not a zip file.');
  }
  const outside = names.find((name) => /^[\\/]|^[A-Za-z]:|(^|[\\/])\.\.([\\/]|$)/.test(name));
  if (outside) throw new ApiError('InvalidParameterValue.ZipFile', `The zip's entry ${JSON.stringify(outside)} is outside the zip's folder.`);
  return zip;
}

/** The stand-in creates and changes timer triggers only: MPS triggers are bound with MPS's BindTrigger. */
function checkTimerType(type: string | undefined): void {
  if (type !== 'timer') throw new ApiError('InvalidParameterValue.Type', `Type ${JSON.stringify(type)} is not one the local SCF API creates or updates: timer.`);
}

function checkCron(cron: string | undefined): string {
  const problem = cronProblem(cron ?? '');
  if (problem) throw new ApiError('InvalidParameterValue.TriggerDesc', `TriggerDesc ${problem}.`);
  return cron!;
}

function checkEnable(enable: string | undefined): boolean | undefined {
  if (enable === undefined) return undefined;
  if (enable !== 'OPEN' && enable !== 'CLOSE') throw new ApiError('InvalidParameterValue.Enable', `Enable ${JSON.stringify(enable)} is not OPEN or CLOSE.`);
  return enable === 'OPEN';
}

/** A timer as ListTriggers and CreateTrigger answer it: the cron as {"cron": ...}, the switch as 1 or 0. */
const timerInfo = (t: StoredTimer) => ({
  Type: 'timer',
  TriggerName: t.name,
  Qualifier: t.qualifier,
  TriggerDesc: JSON.stringify({ cron: t.cron }),
  Enable: t.enable ? 1 : 0,
  CustomArgument: t.customArgument,
  Description: t.description,
  AddTime: t.addTime,
  ModTime: t.modTime,
  AvailableStatus: 'Available',
});

export interface Account {
  scf<A extends ScfAction>(action: A, region: string, request: ScfRequest<A>, options: { failWith?: string | undefined; requestId: string }): Promise<ScfResponse<A>>;
  bindTrigger(region: string, request: BindTriggerRequest): BindTriggerResponse;
}

function readState(file: string | undefined): AccountState {
  if (!file || !existsSync(file)) return { functions: {}, mpsTriggers: {} };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as AccountState;
  } catch {
    throw new Error(`${file} is not the local account's state: delete it to start with an empty account`);
  }
}

export function openAccount(options: AccountOptions): Account {
  const state = readState(options.stateFile);
  const stubs = new Set((options.stubs ?? []).map((f) => (f.includes('/') ? f : `default/${f}`)));

  // Written aside, then renamed over the state: a deploy stopped mid-write, or another deploy
  // reading the state meanwhile, finds the old state or the new, never part of one.
  const save = () => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const aside = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(state));
    renameSync(aside, options.stateFile);
  };
  const key = (region: string, namespace: string | undefined, name: string) => `${region}/${namespace || 'default'}/${name}`;
  const find = (region: string, request: { FunctionName?: string | undefined; Namespace?: string | undefined }) => {
    if (!request.FunctionName) throw missing('FunctionName');
    const fn = state.functions[key(region, request.Namespace, request.FunctionName)];
    if (!fn) throw notFound(request.FunctionName);
    return fn;
  };
  /** A write is refused while SCF is still busy with the last one. */
  const writable = (fn: StoredFunction) => {
    if (fn.status !== 'Active' && fn.status !== 'UpdateFailed') {
      throw new ApiError('FailedOperation.UpdateFunction', `Function ${fn.name} is ${fn.status}: wait until it is Active.`);
    }
  };
  const startUpdate = (fn: StoredFunction, failWith: string | undefined) => {
    fn.status = 'Updating';
    fn.statusReasons = [];
    fn.settlesTo = failWith ? { status: 'UpdateFailed', reasons: [{ ErrorCode: 'InternalError', ErrorMessage: failWith }] } : { status: 'Active', reasons: [] };
  };

  function getFunction(fn: StoredFunction): FunctionConfig {
    const answer: FunctionConfig = {
      FunctionName: fn.name,
      Namespace: fn.namespace,
      Runtime: fn.runtime,
      Handler: fn.handler,
      MemorySize: fn.memorySize,
      Timeout: fn.timeout,
      Role: fn.role,
      Description: fn.description,
      Type: fn.type,
      Environment: { Variables: fn.environment },
      CodeSize: Buffer.from(fn.zip, 'base64').length,
      Status: fn.status,
      StatusReasons: fn.statusReasons,
      Qualifier: '$LATEST',
      ...(fn.deadLetter && { DeadLetterConfig: fn.deadLetter }),
    };
    if (fn.settlesTo) {
      fn.status = fn.settlesTo.status;
      fn.statusReasons = fn.settlesTo.reasons;
      fn.settlesTo = undefined;
      save();
    }
    return answer;
  }

  const unpacked = new Map<string, Promise<string>>();
  /** The function's code unpacked once per zip, as SCF keeps it on its instances. */
  function unpack(zip: string): Promise<string> {
    const sha = createHash('sha256').update(zip).digest('hex');
    let dir = unpacked.get(sha);
    if (!dir) {
      const folder = join(options.workDir, sha);
      dir = (async () => {
        for (const [name, bytes] of Object.entries(unzipSync(Buffer.from(zip, 'base64')))) {
          if (name.endsWith('/')) continue;
          await mkdir(dirname(join(folder, name)), { recursive: true });
          await writeFile(join(folder, name), bytes);
        }
        return folder;
      })();
      unpacked.set(sha, dir);
    }
    return dir;
  }

  async function invoke(fn: StoredFunction, request: ScfRequest<'Invoke'>, requestId: string): Promise<NonNullable<ScfResponse<'Invoke'>['Result']>> {
    if (fn.runtime !== 'Nodejs18.15') throw new ApiError('UnsupportedOperation', `The local SCF API runs Nodejs18.15 functions only, not ${fn.runtime}.`);
    const context = {
      request_id: requestId,
      function_name: fn.name,
      function_version: '$LATEST',
      namespace: fn.namespace,
      memory_limit_in_mb: fn.memorySize,
      time_limit_in_ms: fn.timeout * 1000,
      tencentcloud_region: fn.region,
      tencentcloud_appid: appId,
      tencentcloud_uin: uin,
    };
    const env = {
      ...Object.fromEntries(fn.environment.map((v) => [v.Key, v.Value])),
      ...options.runtimeEnv,
      TENCENTCLOUD_REGION: fn.region,
      TENCENTCLOUD_APPID: appId,
      TENCENTCLOUD_UIN: uin,
      SCF_FUNCTIONNAME: fn.name,
      SCF_FUNCTIONVERSION: '$LATEST',
      SCF_NAMESPACE: fn.namespace,
      SCF_RUNTIME: fn.runtime,
      TENCENTCLOUD_RUNENV: 'SCF',
    };
    let event: unknown;
    try {
      event = JSON.parse(request.ClientContext || '{}');
    } catch {
      throw new ApiError('InvalidParameterValue.ClientContext', 'ClientContext is not JSON.');
    }
    const run = await runFunction({
      dir: await unpack(fn.zip),
      handler: fn.handler,
      env,
      invocations: [{ event, context }],
      timeoutMs: fn.timeout * 1000,
    });
    const [result] = run.results as [(typeof run.results)[number]];
    const log = run.stdout + run.stderr;
    const common = { FunctionRequestId: requestId, Log: log, Duration: result.ms, BillDuration: Math.max(1, result.ms), MemUsage: 0 };
    return result.ok
      ? { ...common, RetMsg: JSON.stringify(result.value ?? null), ErrMsg: '', InvokeResult: 0 }
      : { ...common, RetMsg: '', ErrMsg: JSON.stringify({ errorCode: -1, errorMessage: result.error.message, stackTrace: result.error.stack ?? '' }), InvokeResult: -1 };
  }

  type Handlers = { [A in ScfAction]: (region: string, request: ScfRequest<A>, options: { failWith?: string | undefined; requestId: string }) => Promise<ScfResponse<A>> };
  const handlers: Handlers = {
    async GetFunction(region, request) {
      return getFunction(find(region, request));
    },

    async CreateFunction(region, request, { failWith }) {
      if (!FUNCTION_NAME.test(request.FunctionName ?? '')) {
        throw new ApiError('InvalidParameterValue.FunctionName', `FunctionName ${JSON.stringify(request.FunctionName)} is not 2 to 60 letters, digits, "-" or "_", starting with a letter.`);
      }
      const id = key(region, request.Namespace, request.FunctionName);
      if (state.functions[id]) throw new ApiError('ResourceInUse.Function', `Function ${request.FunctionName} already exists.`);
      if (!NODE_RUNTIMES.includes(request.Runtime ?? '')) throw new ApiError('InvalidParameterValue.Runtime', `Runtime ${request.Runtime} is not one SCF offers.`);
      if (request.Type !== undefined && request.Type !== 'Event' && request.Type !== 'HTTP') throw new ApiError('InvalidParameterValue.Type', `Type ${request.Type} is not Event or HTTP.`);
      checkMemory(request.MemorySize);
      checkTimeout(request.Timeout);
      const zip = checkZip(request.Code?.ZipFile, 'CreateFunction');
      state.functions[id] = {
        region,
        namespace: request.Namespace || 'default',
        name: request.FunctionName,
        runtime: request.Runtime!,
        handler: request.Handler ?? 'index.main_handler',
        memorySize: request.MemorySize ?? 128,
        timeout: request.Timeout ?? 3,
        role: request.Role ?? '',
        description: request.Description ?? '',
        type: request.Type ?? 'Event',
        environment: (request.Environment?.Variables ?? []).map((v) => ({ Key: v.Key ?? '', Value: v.Value ?? '' })),
        deadLetter: request.DeadLetterConfig,
        zip: zip.toString('base64'),
        status: 'Creating',
        statusReasons: [],
        settlesTo: failWith ? { status: 'CreateFailed', reasons: [{ ErrorCode: 'InternalError', ErrorMessage: failWith }] } : { status: 'Active', reasons: [] },
        asyncConfig: DEFAULT_ASYNC_CONFIG,
      };
      save();
      return {};
    },

    async UpdateFunctionCode(region, request, { failWith }) {
      const fn = find(region, request);
      writable(fn);
      fn.zip = checkZip(request.ZipFile ?? request.Code?.ZipFile, 'UpdateFunctionCode').toString('base64');
      if (request.Handler) fn.handler = request.Handler;
      startUpdate(fn, failWith);
      save();
      return {};
    },

    async UpdateFunctionConfiguration(region, request, { failWith }) {
      const fn = find(region, request);
      writable(fn);
      if (request.Runtime !== undefined && request.Runtime !== fn.runtime) throw new ApiError('InvalidParameterValue.Runtime', 'The runtime of a function cannot be changed.');
      checkMemory(request.MemorySize);
      checkTimeout(request.Timeout);
      fn.memorySize = request.MemorySize ?? fn.memorySize;
      fn.timeout = request.Timeout ?? fn.timeout;
      fn.role = request.Role ?? fn.role;
      fn.description = request.Description ?? fn.description;
      if (request.Environment) fn.environment = (request.Environment.Variables ?? []).map((v) => ({ Key: v.Key ?? '', Value: v.Value ?? '' }));
      if (request.DeadLetterConfig) fn.deadLetter = request.DeadLetterConfig;
      startUpdate(fn, failWith);
      save();
      return {};
    },

    async GetFunctionEventInvokeConfig(region, request) {
      return { AsyncTriggerConfig: find(region, request).asyncConfig };
    },

    async UpdateFunctionEventInvokeConfig(region, request) {
      const fn = find(region, request);
      const { RetryConfig, MsgTTL } = request.AsyncTriggerConfig ?? {};
      if (!RetryConfig?.length || !Number.isInteger(RetryConfig[0]!.RetryNum) || !Number.isInteger(MsgTTL)) throw missing('AsyncTriggerConfig.RetryConfig[0].RetryNum and AsyncTriggerConfig.MsgTTL');
      fn.asyncConfig = { RetryConfig: [{ RetryNum: RetryConfig[0]!.RetryNum }], MsgTTL };
      save();
      return {};
    },

    async CreateTrigger(region, request) {
      const fn = find(region, request);
      checkTimerType(request.Type);
      if (!TIMER_NAME.test(request.TriggerName ?? '')) {
        throw new ApiError('InvalidParameterValue.TriggerName', `TriggerName ${JSON.stringify(request.TriggerName)} is not up to 100 letters, digits, "-" or "_", starting with a letter.`);
      }
      fn.timers ??= {};
      if (fn.timers[request.TriggerName]) throw new ApiError('ResourceInUse.Trigger', `The function already has a trigger named ${request.TriggerName}.`);
      const now = apiTime();
      const timer = (fn.timers[request.TriggerName] = {
        name: request.TriggerName,
        qualifier: request.Qualifier || '$LATEST',
        cron: checkCron(request.TriggerDesc),
        enable: checkEnable(request.Enable) ?? true,
        customArgument: request.CustomArgument ?? '',
        description: request.Description ?? '',
        addTime: now,
        modTime: now,
      });
      save();
      return { TriggerInfo: timerInfo(timer) };
    },

    async UpdateTrigger(region, request) {
      const fn = find(region, request);
      checkTimerType(request.Type);
      const timer = fn.timers?.[request.TriggerName];
      if (!timer || timer.qualifier !== (request.Qualifier || '$LATEST')) {
        throw new ApiError('ResourceNotFound.Trigger', `The function has no timer trigger ${request.TriggerName} on ${request.Qualifier || '$LATEST'}.`);
      }
      if (request.TriggerDesc !== undefined) timer.cron = checkCron(request.TriggerDesc);
      timer.enable = checkEnable(request.Enable) ?? timer.enable;
      timer.customArgument = request.CustomArgument ?? timer.customArgument;
      timer.description = request.Description ?? timer.description;
      timer.modTime = apiTime();
      save();
      return {};
    },

    async ListTriggers(region, request) {
      const fn = find(region, request);
      const mps = Object.values(state.mpsTriggers)
        .filter((t) => t.region === fn.region && t.namespace === fn.namespace && t.functionName === fn.name)
        .map((t) => ({
          Type: 'mps',
          Qualifier: t.qualifier,
          TriggerName: `mps-${t.eventType}`,
          TriggerDesc: JSON.stringify({ eventType: t.eventType }),
          ResourceId: t.resourceId,
          Enable: 1,
          BindStatus: 'on',
          AvailableStatus: 'Available',
        }));
      const triggers = [...mps, ...Object.values(fn.timers ?? {}).map(timerInfo)];
      return { Triggers: triggers, TotalCount: triggers.length };
    },

    async Invoke(region, request, { requestId }) {
      if (!request.FunctionName) throw missing('FunctionName');
      const async = (request.InvocationType ?? 'RequestResponse') === 'Event';
      const bytes = Buffer.byteLength(request.ClientContext ?? '');
      if (async && bytes > ASYNC_EVENT_LIMIT) {
        throw new ApiError('InvalidParameterValue.ClientContext', 'ClientContext is larger than 128 KB, the limit of an asynchronous invocation.');
      }
      if (!async && bytes > SYNC_EVENT_LIMIT) throw new ApiError('InvalidParameterValue.ClientContext', 'ClientContext is larger than 6 MB, the limit of a synchronous invocation.');
      const fn = state.functions[key(region, request.Namespace, request.FunctionName)];
      const accepted = { FunctionRequestId: randomUUID(), InvokeResult: 0, RetMsg: '', ErrMsg: '', Log: '', Duration: 0, BillDuration: 0, MemUsage: 0 };
      if (!fn) {
        if (!stubs.has(`${request.Namespace || 'default'}/${request.FunctionName}`)) throw notFound(request.FunctionName);
        return { Result: accepted };
      }
      if (fn.status !== 'Active') throw new ApiError('FailedOperation.FunctionStatusError', `Function ${fn.name} is ${fn.status}.`);
      return { Result: async ? accepted : await invoke(fn, request, requestId) };
    },
  };

  return {
    scf(action, region, request, options) {
      return (handlers[action] as Handlers[typeof action])(region, request, options) as Promise<ScfResponse<typeof action>>;
    },

    bindTrigger(region, request) {
      if (!MPS_EVENT_TYPES.includes(request.EventType)) throw new ApiError('InvalidParameterValue.EventType', `EventType ${request.EventType} is not ${MPS_EVENT_TYPES.join(' or ')}.`);
      for (const field of ['ScfRegion', 'FunctionName', 'Namespace', 'Qualifier'] as const) if (!request[field]) throw missing(field);
      if (!state.functions[key(request.ScfRegion, request.Namespace, request.FunctionName)]) throw notFound(request.FunctionName);
      const bound = state.mpsTriggers[request.EventType];
      if (bound) {
        throw new ApiError('FailedOperation.TriggerExists', `${request.EventType} is already bound to ${bound.namespace}/${bound.functionName} in ${bound.region}: each event type binds one function per account.`);
      }
      const resourceId = `qcs::mps:${region}:uin/${uin}:${mpsTriggerMark(request.EventType)}`;
      state.mpsTriggers[request.EventType] = {
        eventType: request.EventType,
        region: request.ScfRegion,
        namespace: request.Namespace,
        functionName: request.FunctionName,
        qualifier: request.Qualifier,
        resourceId,
      };
      save();
      return { ResourceId: resourceId };
    },
  };
}
