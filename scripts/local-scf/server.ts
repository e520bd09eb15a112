import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenOnLoopback } from '../loopback';
import { MPS_VERSION, SCF_VERSION, type ScfAction } from '../tencent-api';
import { ApiError, openAccount, type AccountOptions } from './account';
import { PARAMETERS } from './parameters';
import { verifyTc3, type ApiKeys } from './tc3';

/*
 * A local stand-in for the Tencent Cloud API of one account: the SCF actions that forwarding and
 * `npm run deploy` call (timer triggers included), and MPS's BindTrigger (account.ts keeps the
 * state). It checks the TC3 signature, refuses a parameter the action does not take (parameters.ts), and answers as the API
 * does: HTTP 200 with {"Response": {...}} or {"Response": {"Error": {...}}}. The SDKs take the signature's service from the endpoint's host,
 * which for 127.0.0.1 is "127", so SCF and MPS are told apart by X-TC-Version, as the one
 * endpoint serves both.
 */

export type ScfFault =
  | { kind: 'error'; code: string; message?: string }
  | { kind: 'http'; status: number }
  | { kind: 'reset' }
  | { kind: 'hang' }
  /** The write is accepted, then the function ends CreateFailed or UpdateFailed with this reason. */
  | { kind: 'failed'; message: string };

/** Every Invoke that reached the server, rejected ones included. */
export interface RecordedInvocation {
  functionName: string;
  namespace: string;
  qualifier: string;
  invocationType: string;
  clientContext: string;
  requestId: string;
  /** The answer's error code (or the injected fault), undefined when the function was invoked. */
  error?: string;
}

/** Every request that reached the server, by action. */
export interface RecordedCall {
  action: string;
  version: string;
  params: Record<string, unknown>;
  error?: string;
}

export interface LocalScf {
  endpoint: string;
  invocations: RecordedInvocation[];
  calls: RecordedCall[];
  inject(fault: ScfFault, rule?: { times?: number; functionName?: string; action?: string }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** Regions where SCF is offered, as far as the stand-in knows: another answers UnsupportedRegion. */
const REGIONS = new Set([
  'ap-guangzhou',
  'ap-shanghai',
  'ap-beijing',
  'ap-chengdu',
  'ap-chongqing',
  'ap-nanjing',
  'ap-hongkong',
  'ap-singapore',
  'ap-bangkok',
  'ap-jakarta',
  'ap-mumbai',
  'ap-seoul',
  'ap-tokyo',
  'na-siliconvalley',
  'na-ashburn',
  'eu-frankfurt',
  'sa-saopaulo',
]);

const SCF_ACTIONS = new Set<string>([
  'GetFunction',
  'CreateFunction',
  'UpdateFunctionCode',
  'UpdateFunctionConfiguration',
  'GetFunctionEventInvokeConfig',
  'UpdateFunctionEventInvokeConfig',
  'ListTriggers',
  'CreateTrigger',
  'UpdateTrigger',
  'Invoke',
] satisfies ScfAction[]);

export interface LocalScfOptions extends Omit<AccountOptions, 'workDir' | 'stubs'> {
  keys: ApiKeys;
  /** Functions that exist without code, e.g. forwarding targets: `name` or `namespace/name`. */
  functions?: string[];
  port?: number;
}

export async function startLocalScf(options: LocalScfOptions): Promise<LocalScf> {
  const rules: { fault: ScfFault; times: number; functionName?: string | undefined; action?: string | undefined }[] = [];
  const invocations: RecordedInvocation[] = [];
  const calls: RecordedCall[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'local-scf-'));
  const account = openAccount({ ...options, stubs: options.functions ?? [], workDir });

  function answer(res: ServerResponse, requestId: string, body: Record<string, unknown>) {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Response: { ...body, RequestId: requestId } }));
  }
  const apiError = (code: string, message: string) => ({ Error: { Code: code, Message: message } });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://local');
    const action = String(req.headers['x-tc-action'] ?? '');
    const version = String(req.headers['x-tc-version'] ?? '');
    const region = String(req.headers['x-tc-region'] ?? '');

    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
    } catch {
      return answer(res, requestId, apiError('InvalidParameter.PayloadError', 'The request body is not JSON.'));
    }
    const call: RecordedCall = { action, version, params };
    calls.push(call);
    const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
    let invocation: RecordedInvocation | undefined;
    if (action === 'Invoke') {
      invocation = {
        functionName: text('FunctionName') ?? '',
        namespace: text('Namespace') ?? 'default',
        qualifier: text('Qualifier') ?? '$LATEST',
        invocationType: text('InvocationType') ?? 'RequestResponse',
        clientContext: text('ClientContext') ?? '',
        requestId,
      };
      invocations.push(invocation);
    }
    const failed = (code: string) => {
      call.error = code;
      if (invocation) invocation.error = code;
    };
    const fail = (code: string, message: string) => {
      failed(code);
      answer(res, requestId, apiError(code, message));
    };

    const denied = verifyTc3({ method: req.method ?? 'POST', url, headers: req.headers, body }, options.keys, Math.floor(Date.now() / 1000));
    if (denied) return fail(denied.code, denied.message);
    const known = version === SCF_VERSION ? SCF_ACTIONS.has(action) : version === MPS_VERSION && action === 'BindTrigger';
    if (!known) return fail('InvalidAction', `${action} (version ${version}) is not supported here.`);
    const unknown = Object.keys(params).find((name) => !Object.hasOwn(PARAMETERS[action as keyof typeof PARAMETERS], name));
    if (unknown) return fail('UnknownParameter', `The parameter ${unknown} is not one ${action} takes.`);
    if (!REGIONS.has(region)) return fail('UnsupportedRegion', `The region ${JSON.stringify(region)} is not supported.`);

    const rule = rules.find((r) => r.times > 0 && (!r.functionName || r.functionName === text('FunctionName')) && (!r.action || r.action === action));
    if (rule) rule.times -= 1;
    const fault = rule?.fault;
    if (fault && fault.kind !== 'failed') {
      if (fault.kind === 'error') return fail(fault.code, fault.message ?? `Injected ${fault.code}`);
      failed(fault.kind);
      if (fault.kind === 'reset') return req.socket.destroy();
      if (fault.kind === 'hang') return;
      return res.writeHead(fault.status).end();
    }

    try {
      const result =
        version === MPS_VERSION
          ? account.bindTrigger(region, params as never)
          : await account.scf(action as ScfAction, region, params as never, { failWith: fault?.message, requestId });
      answer(res, requestId, result as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      fail(error.code, error.message);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  const { endpoint, close } = await listenOnLoopback(server, options.port);

  return {
    endpoint,
    invocations,
    calls,
    inject(fault, rule = {}) {
      rules.push({ fault, times: rule.times ?? Infinity, functionName: rule.functionName, action: rule.action });
    },
    clearFaults() {
      rules.length = 0;
    },
    async close() {
      await close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
