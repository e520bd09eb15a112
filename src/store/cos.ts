import { PassThrough } from 'node:stream';
import COS from 'cos-nodejs-sdk-v5';
import type { Config, Credentials } from '../config';
import { StorageError } from '../errors';
import { retry, type RetryPolicy } from '../retry';
import type { ObjectStore, StoredObject } from './store';

export type CosClient = Pick<COS, 'putObject'>;
export type CosClientFactory = (options: COS.COSOptions) => CosClient;

export interface CosStoreOptions {
  /** Reads the execution role's current keys; called for every attempt, since they rotate. */
  credentials: () => Credentials;
  newClient?: CosClientFactory;
  retryPolicy?: RetryPolicy;
}

const CODES_WORTH_A_RETRY = new Set(['BadDigest', 'RequestTimeout', 'RequestTimeTooSkewed']);

/** The SDK rejects with Errors for server answers and plain objects for network faults. */
export function toStorageError(error: unknown, key: string, operation = 'PutObject'): StorageError {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    RequestId?: unknown;
    headers?: Record<string, unknown>;
  };
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : 'UnknownError';
  const requestId = typeof e.RequestId === 'string' ? e.RequestId : (e.headers?.['x-cos-request-id'] as string | undefined);
  const retryable =
    statusCode === undefined || statusCode >= 500 || statusCode === 429 || CODES_WORTH_A_RETRY.has(code);
  const detail = typeof e.message === 'string' && e.message !== '' ? `: ${e.message}` : '';
  return new StorageError(`COS ${operation} ${key} failed with ${statusCode ?? 'no response'} ${code}${detail}`, {
    key,
    retryable,
    code,
    statusCode,
    requestId,
  });
}

export function createCosStore(config: Config, options: CosStoreOptions): ObjectStore {
  const newClient = options.newClient ?? ((o: COS.COSOptions) => new COS(o));
  const endpoint = config.endpoint ? { Ip: config.endpoint.host, Protocol: config.endpoint.protocol } : {};

  async function attempt(object: StoredObject, timeoutMs: number): Promise<void> {
    const { secretId, secretKey, sessionToken } = options.credentials();
    const client = newClient({
      SecretId: secretId,
      SecretKey: secretKey,
      ...(sessionToken ? { SecurityToken: sessionToken } : {}),
      // A client per attempt, because the SDK reads Timeout from its options, not per call.
      Timeout: timeoutMs,
      ...endpoint,
    });
    // A stream body is the SDK's only switch that turns off its own immediate retries
    // (up to 4, without delay); retry() does them with backoff and within the deadline.
    const body = new PassThrough().end(object.body);
    try {
      await client.putObject({
        Bucket: config.bucket,
        Region: config.region,
        Key: object.key,
        Body: body,
        ContentLength: object.body.length,
        // Without it the SDK sends no Content-Type at all.
        ContentType: 'application/json',
        StorageClass: config.storageClass as COS.StorageClass,
        Headers: { 'Content-MD5': object.md5 },
        // Not in the typings: a plain PUT, not a task in the SDK's upload queue, which formats
        // its whole list of past tasks on every update and runs three uploads at a time.
        SkipTask: true,
      } as COS.PutObjectParams);
    } catch (error) {
      throw toStorageError(error, object.key);
    }
  }

  return {
    async put(object, { deadline, onRetry }) {
      await retry((timeoutMs) => attempt(object, timeoutMs), {
        deadline,
        timeoutMs: config.timeoutMs,
        isRetryable: (e) => e instanceof StorageError && e.retryable,
        // Only StorageErrors are retryable, so only they reach onRetry.
        ...(onRetry && { onRetry: (e: unknown, n: number, delay: number) => onRetry(e as StorageError, n, delay) }),
        ...(options.retryPolicy && { policy: options.retryPolicy }),
      });
    },
  };
}
