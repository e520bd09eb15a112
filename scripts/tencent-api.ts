import type { scf } from 'tencentcloud-sdk-nodejs-scf';

/*
 * The Tencent Cloud API calls that `npm run deploy` makes and the local stand-in answers. SCF's
 * shapes come from its SDK, so that tsc checks every parameter name on both sides. MPS's
 * BindTrigger is in no public SDK or document: its shape is the one the Serverless toolkit sends
 * (serverless-tencent/tencent-component-toolkit, src/modules/triggers/mps.ts).
 */

export const SCF_VERSION = '2018-04-16';
export const MPS_VERSION = '2019-06-12';

type ScfClient = InstanceType<typeof scf.v20180416.Client>;
export type ScfAction =
  | 'GetFunction'
  | 'CreateFunction'
  | 'UpdateFunctionCode'
  | 'UpdateFunctionConfiguration'
  | 'GetFunctionEventInvokeConfig'
  | 'UpdateFunctionEventInvokeConfig'
  | 'ListTriggers'
  | 'CreateTrigger'
  | 'UpdateTrigger'
  | 'Invoke';
export type ScfRequest<A extends ScfAction> = Parameters<ScfClient[A]>[0];
export type ScfResponse<A extends ScfAction> = Awaited<ReturnType<ScfClient[A]>>;
/** One SCF call, its request and answer typed by the SDK's models. */
export type ScfCall = <A extends ScfAction>(action: A, request: ScfRequest<A>) => Promise<ScfResponse<A>>;
export type FunctionConfig = ScfResponse<'GetFunction'>;
export type AsyncTriggerConfig = ScfResponse<'GetFunctionEventInvokeConfig'>['AsyncTriggerConfig'];
export type DeadLetterConfig = NonNullable<ScfRequest<'CreateFunction'>['DeadLetterConfig']>;

export const MPS_EVENT_TYPES = ['WorkflowTask', 'EditMediaTask'] as const;
export type MpsEventType = (typeof MPS_EVENT_TYPES)[number];

export interface BindTriggerRequest {
  /** The function's region: the trigger itself is account-wide. */
  ScfRegion: string;
  EventType: MpsEventType;
  Qualifier: string;
  FunctionName: string;
  Namespace: string;
}
export interface BindTriggerResponse {
  ResourceId?: string;
  RequestId?: string;
}
export interface MpsApi {
  BindTrigger(request: BindTriggerRequest): Promise<BindTriggerResponse>;
}

/** What the ResourceId of a bound MPS trigger holds, in SCF's ListTriggers (the toolkit matches on it). */
export const mpsTriggerMark = (eventType: string) => `TriggerType/${eventType}Event`;

/** Whether ListTriggers' answer shows the MPS trigger of this event type bound, and not switched off. */
export const mpsTriggerBound = (triggers: ScfResponse<'ListTriggers'>['Triggers'], eventType: string) =>
  (triggers ?? []).some((t) => t.ResourceId?.includes(mpsTriggerMark(eventType)) && t.BindStatus !== 'off');

/**
 * A timer trigger's cron as ListTriggers answers it. CreateTrigger and UpdateTrigger take the cron
 * itself as TriggerDesc (SCF docs 583/39901), and ListTriggers gives it back as {"cron": "..."}
 * (the Serverless toolkit reads both: serverless-tencent/tencent-component-toolkit,
 * src/modules/triggers/timer.ts); the stand-in answers as the API does.
 */
export function timerCron(triggerDesc: string | undefined): string | undefined {
  try {
    const cron = (JSON.parse(triggerDesc ?? '') as { cron?: unknown } | null)?.cron;
    return typeof cron === 'string' ? cron : undefined;
  } catch {
    return triggerDesc;
  }
}

/** A trigger's switch: sent as OPEN or CLOSE, answered as 1 or 0 (the toolkit's TRIGGER_STATUS_MAP). */
export const triggerEnable = (enable: boolean) => (enable ? 'OPEN' : 'CLOSE');

/** SCF's rule for a function's name: 2 to 60 letters, digits, "-" and "_", from a letter to a letter or digit. */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

/** A Node.js function's handler, "index.main_handler": the file index.js at the zip's root, and its export main_handler. */
export function handlerOf(handler: string): [file: string, exported: string] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) throw new Error(`Handler ${JSON.stringify(handler)} is not file.export`);
  return [`${handler.slice(0, dot)}.js`, handler.slice(dot + 1)];
}

/** SCF's memory sizes, in MB: 64, or 128 to 3072 in steps of 128. */
export const isMemorySize = (mb: number) => mb === 64 || (mb >= 128 && mb <= 3072 && mb % 128 === 0);
export const MEMORY_SIZE_RULE = '64 or a multiple of 128 from 128 to 3072';

/** The zip the API takes inline (Code.ZipFile, before base64): 50 MB to create, 20 MB to update. */
export const ZIP_LIMIT_BYTES = { CreateFunction: 50 * 2 ** 20, UpdateFunctionCode: 20 * 2 ** 20 } as const;

/** Runtimes of SCF's Node.js family; Nodejs18.15 is the newest confirmed one. */
export const NODE_RUNTIMES = ['Nodejs10.15', 'Nodejs12.16', 'Nodejs14.18', 'Nodejs16.13', 'Nodejs18.15'];

/** The function's async retries when none were ever set (what the toolkit also assumes). */
export const DEFAULT_ASYNC_CONFIG = { RetryConfig: [{ RetryNum: 2 }], MsgTTL: 21600 };
