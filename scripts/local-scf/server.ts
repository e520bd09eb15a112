import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../loopback';
import { verifyTc3, type ApiKeys } from './tc3';

/*
 * A local stand-in for the SCF API's Invoke action (2018-04-16), for tests and `npm run invoke`:
 * checks the TC3 signature, knows a list of functions, records every invocation, and answers
 * as the API does: HTTP 200 with {"Response": {...}} or {"Response": {"Error": {...}}}.
 */

export type ScfFault = { kind: 'error'; code: string; message?: string } | { kind: 'http'; status: number } | { kind: 'reset' } | { kind: 'hang' };

/** Every request that reached the server, rejected ones included. */
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

export interface LocalScf {
  endpoint: string;
  invocations: RecordedInvocation[];
  inject(fault: ScfFault, rule?: { times?: number; functionName?: string }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const ASYNC_EVENT_LIMIT = 128 * 1024;

export async function startLocalScf(options: { keys: ApiKeys; functions: string[]; port?: number }): Promise<LocalScf> {
  const rules: { fault: ScfFault; times: number; functionName?: string | undefined }[] = [];
  const invocations: RecordedInvocation[] = [];
  const known = new Set(options.functions.map((f) => (f.includes('/') ? f : `default/${f}`)));

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

    let params: Record<string, string | undefined> = {};
    try {
      params = JSON.parse(body.toString() || '{}');
    } catch {
      return answer(res, requestId, apiError('InvalidParameter.PayloadError', 'The request body is not JSON.'));
    }
    const invocation: RecordedInvocation = {
      functionName: params.FunctionName ?? '',
      namespace: params.Namespace ?? 'default',
      qualifier: params.Qualifier ?? '$LATEST',
      invocationType: params.InvocationType ?? 'RequestResponse',
      clientContext: params.ClientContext ?? '',
      requestId,
    };
    invocations.push(invocation);
    const fail = (code: string, message: string) => {
      invocation.error = code;
      answer(res, requestId, apiError(code, message));
    };

    const denied = verifyTc3({ method: req.method ?? 'POST', url, headers: req.headers, body }, options.keys, Math.floor(Date.now() / 1000));
    if (denied) return fail(denied.code, denied.message);
    if (req.headers['x-tc-action'] !== 'Invoke') return fail('InvalidAction', `${req.headers['x-tc-action']} is not supported here.`);

    const rule = rules.find((r) => r.times > 0 && (!r.functionName || r.functionName === invocation.functionName));
    if (rule) {
      rule.times -= 1;
      const { fault } = rule;
      if (fault.kind === 'error') return fail(fault.code, fault.message ?? `Injected ${fault.code}`);
      invocation.error = fault.kind;
      if (fault.kind === 'reset') return req.socket.destroy();
      if (fault.kind === 'hang') return;
      return res.writeHead(fault.status).end();
    }
    if (!known.has(`${invocation.namespace}/${invocation.functionName}`)) return fail('ResourceNotFound.Function', `Function ${invocation.functionName} does not exist.`);
    if (invocation.invocationType === 'Event' && Buffer.byteLength(invocation.clientContext) > ASYNC_EVENT_LIMIT) {
      return fail('InvalidParameterValue.ClientContext', 'ClientContext is larger than 128 KB, the limit of an asynchronous invocation.');
    }
    answer(res, requestId, { Result: { FunctionRequestId: randomUUID(), InvokeResult: 0, RetMsg: '', ErrMsg: '', Log: '', Duration: 0, BillDuration: 0, MemUsage: 0 } });
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
    inject(fault, rule = {}) {
      rules.push({ fault, times: rule.times ?? Infinity, functionName: rule.functionName });
    },
    clearFaults() {
      rules.length = 0;
    },
    close,
  };
}
