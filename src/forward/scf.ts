import type { scf } from 'tencentcloud-sdk-nodejs-scf';
import { targetName, type Config, type Credentials, type ForwardTarget } from '../config';
import { ForwardError } from '../errors';
import type { Logger } from '../logger';
import { retry, type RetryPolicy } from '../retry';
import { forwardedEvent, type ArchivedEvent } from './payload';

type ClientOptions = ConstructorParameters<typeof scf.v20180416.Client>[0];
export type ScfClient = Pick<InstanceType<typeof scf.v20180416.Client>, 'Invoke'>;
export type ScfClientFactory = (options: ClientOptions) => Promise<ScfClient>;

export interface Forwarded {
  target: string;
  mode: 'full' | 'pointer';
  bytes: number;
  request_id: string | undefined;
}

export interface Forwarder {
  /** Invokes every target with the event, in parallel; throws a ForwardError if any was not invoked. */
  forward(event: ArchivedEvent, options: { deadline: number; log: Logger }): Promise<Forwarded[]>;
}

const ATTEMPT_TIMEOUT_MS = 5_000;
const RETRYABLE_CODES = /^(InternalError|LimitExceeded|RequestLimitExceeded|ResourceUnavailable|ResourceInsufficient)/;

/**
 * Loaded at the first forward, not at start: the SCF SDK costs more to load than the rest of
 * the function, and only a function with FORWARD_TO needs it. The bundle keeps it in a file of
 * its own, so that a function without targets never even parses it.
 */
let sdk: Promise<typeof import('tencentcloud-sdk-nodejs-scf')> | undefined;
const loadSdk = () => (sdk ??= import('tencentcloud-sdk-nodejs-scf'));
const defaultClient: ScfClientFactory = async (options) => new (await loadSdk()).scf.v20180416.Client(options);

/** The SDK throws one exception class: an API error has a code, an HTTP error an httpCode, a network fault neither. */
export function toForwardError(error: unknown, target: string): ForwardError {
  const e = (error ?? {}) as { code?: unknown; httpCode?: unknown; requestId?: unknown; message?: unknown };
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : typeof e.httpCode === 'number' ? `HTTP${e.httpCode}` : 'NetworkError';
  const httpCode = typeof e.httpCode === 'number' ? e.httpCode : undefined;
  const retryable = typeof e.code === 'string' && e.code !== '' ? RETRYABLE_CODES.test(e.code) : httpCode === undefined || httpCode >= 500 || httpCode === 429;
  const requestId = typeof e.requestId === 'string' && e.requestId !== '' ? e.requestId : undefined;
  // In parentheses, not after a colon: `AuthFailure.SignatureFailure: The …` reads as a named value, and
  // masking would take the answer's first word.
  const detail = typeof e.message === 'string' && e.message !== '' ? ` (${e.message})` : '';
  return new ForwardError(`Invoke ${target} failed with ${code}${detail}`, { target, retryable, code, requestId });
}

export function createScfForwarder(
  config: Pick<Config, 'forwardTo' | 'functionRegion' | 'scfEndpoint'>,
  options: { credentials: () => Credentials; newClient?: ScfClientFactory; retryPolicy?: RetryPolicy },
): Forwarder {
  const newClient = options.newClient ?? defaultClient;

  async function invoke(target: ForwardTarget, body: string, timeoutMs: number): Promise<string | undefined> {
    const { secretId, secretKey, sessionToken } = options.credentials();
    // Credentials passed explicitly: the SDK's own lookup reads TENCENTCLOUD_SECRET_ID, which SCF does not set.
    const client = await newClient({
      credential: { secretId, secretKey, ...(sessionToken ? { token: sessionToken } : {}) },
      region: config.functionRegion,
      profile: {
        httpProfile: {
          reqTimeout: timeoutMs / 1000,
          ...(config.scfEndpoint && { endpoint: config.scfEndpoint.host, protocol: config.scfEndpoint.protocol }),
        },
      },
    });
    const name = targetName(target);
    try {
      const answer = await client.Invoke({
        FunctionName: target.functionName,
        Namespace: target.namespace,
        Qualifier: target.qualifier,
        InvocationType: 'Event',
        ClientContext: body,
      });
      return answer.RequestId;
    } catch (error) {
      throw toForwardError(error, name);
    }
  }

  return {
    async forward(event, { deadline, log }) {
      const { body, mode } = forwardedEvent(event);
      const bytes = Buffer.byteLength(body);
      const results = await Promise.allSettled(
        config.forwardTo.map(async (target): Promise<Forwarded> => {
          const name = targetName(target);
          const started = Date.now();
          try {
            const requestId = await retry((timeoutMs) => invoke(target, body, timeoutMs), {
              deadline,
              timeoutMs: ATTEMPT_TIMEOUT_MS,
              isRetryable: (e) => e instanceof ForwardError && e.retryable,
              onRetry: (e, attempt, delay_ms) =>
                log.warn({ target: name, code: (e as ForwardError).code, attempt, delay_ms }, 'Forward failed, retrying'),
              ...(options.retryPolicy && { policy: options.retryPolicy }),
            });
            log.info({ target: name, invoke_request_id: requestId, bytes, mode, ms: Date.now() - started }, 'Event forwarded');
            return { target: name, mode, bytes, request_id: requestId };
          } catch (error) {
            const e = error instanceof ForwardError ? error : toForwardError(error, name);
            log.error(
              { target: name, code: e.code, invoke_request_id: e.requestId, retryable: e.retryable, ms: Date.now() - started },
              `Forward to ${name} failed: ${e.message}`,
            );
            throw e;
          }
        }),
      );
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      return results.map((r) => (r as PromiseFulfilledResult<Forwarded>).value);
    },
  };
}
