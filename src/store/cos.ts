import COS from 'cos-nodejs-sdk-v5';
import type { Config, Credentials } from '../config';
import { BackupError, StorageError } from '../errors';
import { retry, type RetryPolicy } from '../retry';
import { crc64 } from './crc64';
import type { ObjectStore, PutOptions, StoredObject } from './store';

/** What the store uses of a COS client: putObject, and the options it reads as a request leaves. */
export interface CosClient {
  options: { Timeout?: number | undefined; Domain?: string | undefined; SystemClockOffset?: number | undefined };
  putObject(params: COS.PutObjectParams): Promise<COS.PutObjectResult>;
}
export type CosClientFactory = (options: COS.COSOptions) => CosClient;

export interface CosStoreOptions {
  /** Reads the execution role's current keys; called for every request, since they rotate. */
  credentials: () => Credentials;
  newClient?: CosClientFactory;
  retryPolicy?: RetryPolicy;
}

const CODES_WORTH_A_RETRY = new Set(['BadDigest', 'RequestTimeout', 'RequestTimeTooSkewed']);
/** COS's backup domain, which the SDK itself falls back to when its default domain gives no answer. */
const BACKUP_DOMAIN = '{Bucket}.cos.{Region}.tencentcos.cn';
/** Attempts in a row that got no answer from the default domain before the rest go to the backup one. */
const SILENT_ATTEMPTS_BEFORE_BACKUP = 2;

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
  // The SDK has corrected its clock from such an answer, so the next attempt is signed in time.
  const expired = code === 'AccessDenied' && e.message === 'Request has expired';
  // The SDK gives a fault of the connection the status of an answer it cut short (a 200 reset or
  // timed out mid-body), and such a fault is worth a retry whatever that status was.
  const transport = /^E[A-Z0-9_]+$/.test(code);
  const retryable =
    statusCode === undefined || statusCode >= 500 || statusCode === 429 || transport || CODES_WORTH_A_RETRY.has(code) || expired;
  // In parentheses, not after a colon: `SignatureDoesNotMatch: The …` reads as a named value, and
  // masking would take the answer's first word.
  const detail = typeof e.message === 'string' && e.message !== '' ? ` (${e.message})` : '';
  return new StorageError(`COS ${operation} ${key} failed with ${statusCode ?? 'no response'} ${code}${detail}`, {
    key,
    retryable,
    code,
    statusCode,
    requestId,
  });
}

/**
 * A 200 means stored only when COS's answer shows the bytes that were sent. With every simple PUT
 * COS gives the CRC-64 of what it stored (x-cos-hash-crc64ecma, COS docs 436/34078), which COS's
 * own Go SDK checks on every upload. Its ETag is their MD5 only for an object it does not encrypt
 * ("the value will be different if the uploaded object is encrypted", 436/7729). So the CRC-64
 * decides where the answer has one, the ETag where the object is not encrypted, and an encrypted
 * object's answer with neither is not taken for stored.
 */
function checkStored(result: Pick<COS.PutObjectResult, 'ETag' | 'headers' | 'statusCode'>, object: StoredObject): void {
  const headers = (result.headers ?? {}) as Record<string, unknown>;
  const unstored = (code: string, what: string) =>
    new StorageError(`COS PutObject ${object.key} answered ${result.statusCode ?? 'success'} ${what}`, {
      key: object.key,
      retryable: true,
      code,
      statusCode: result.statusCode,
      requestId: headers['x-cos-request-id'] as string | undefined,
    });
  const crc = headers['x-cos-hash-crc64ecma'];
  if (typeof crc === 'string' && crc !== '') {
    const expected = crc64(object.body);
    if (crc === expected) return;
    throw unstored('CRC64Mismatch', `with CRC-64 ${JSON.stringify(crc.slice(0, 32))}, not that of the body sent (${expected})`);
  }
  if (headers['x-cos-server-side-encryption'] || headers['x-cos-server-side-encryption-customer-algorithm']) {
    throw unstored('Unverified', 'for an encrypted object without the CRC-64 of what it stored');
  }
  const expected = Buffer.from(object.md5, 'base64').toString('hex');
  const etag = typeof result.ETag === 'string' ? result.ETag.replace(/"/g, '').toLowerCase() : '';
  if (etag === expected) return;
  throw unstored('ETagMismatch', `with ETag ${JSON.stringify(etag.slice(0, 64))}, not the MD5 of the body sent (${expected})`);
}

/** No status and no request id: the request never reached COS, or COS never answered. */
const gotNoAnswer = (e: unknown) => e instanceof StorageError && e.statusCode === undefined && e.requestId === undefined;

/**
 * One client per instance: the SDK learns the clock's offset from a RequestTimeTooSkewed answer
 * and keeps it on the client, so a client made per attempt would fail the same way every time.
 * Credentials still rotate, so the client asks for them at every request (getAuthorization).
 */
export function createCosStore(config: Config, options: CosStoreOptions): ObjectStore {
  const newClient = options.newClient ?? ((o: COS.COSOptions) => new COS(o) as unknown as CosClient);
  const endpoint = config.endpoint ? { Ip: config.endpoint.host, Protocol: config.endpoint.protocol } : {};
  const client = newClient({
    ...endpoint,
    getAuthorization(request, done) {
      const { secretId, secretKey, sessionToken } = options.credentials();
      const Authorization = COS.getAuthorization({
        SecretId: secretId,
        SecretKey: secretKey,
        Method: request.Method,
        Pathname: request.Pathname,
        Query: request.Query,
        Headers: request.Headers,
        SystemClockOffset: request.SystemClockOffset,
      });
      // The SDK's typings know a bare signature or whole temporary keys; it also takes a
      // signature with its session token, which is what temporary keys signed here need.
      done({ Authorization, SecurityToken: sessionToken ?? '' } as unknown as COS.Credentials);
    },
  });

  async function attempt(object: StoredObject, timeoutMs: number, backup: boolean, onClockCorrected: PutOptions['onClockCorrected']): Promise<void> {
    // The SDK reads these options synchronously while putObject sends its request, so set
    // just before the call they apply to this request alone, even with others in flight.
    client.options.Timeout = timeoutMs;
    client.options.Domain = backup ? BACKUP_DOMAIN : '';
    const clockOffset = client.options.SystemClockOffset;
    let result: COS.PutObjectResult;
    // The SDK's Timeout bounds only the wait for a connection and each silence after it: an answer
    // that keeps coming a byte at a time would hold the attempt past the deadline. The request
    // left behind ends on its own; its outcome is dropped.
    let timer: NodeJS.Timeout | undefined;
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject({ code: 'ETIMEDOUT', message: `no whole answer in ${timeoutMs} ms` }), timeoutMs);
    });
    try {
      const put = client.putObject({
        Bucket: config.bucket,
        Region: config.region,
        Key: object.key,
        // A Buffer: the SDK as patched (patches/) makes one attempt per call, so that retry()
        // makes them all, with backoff and within the deadline.
        Body: object.body,
        ContentLength: object.body.length,
        // Without it the SDK sends no Content-Type at all.
        ContentType: object.contentType ?? 'application/json',
        StorageClass: config.storageClass as COS.StorageClass,
        ...(config.encryption && { ServerSideEncryption: config.encryption.algorithm }),
        ...(config.encryption?.algorithm === 'cos/kms' && config.encryption.kmsKeyId && { SSEKMSKeyId: config.encryption.kmsKeyId }),
        Headers: { 'Content-MD5': object.md5 },
        // Not in the typings: a plain PUT, not a task in the SDK's upload queue, which formats
        // its whole list of past tasks on every update and runs three uploads at a time.
        SkipTask: true,
      } as COS.PutObjectParams);
      result = await Promise.race([put, overtime]);
    } catch (error) {
      // The SDK has learnt COS's clock from the answer (RequestTimeTooSkewed), and says so on
      // stderr in a line of its own: this is that news as a line of the function's log.
      if (client.options.SystemClockOffset !== clockOffset) onClockCorrected?.(client.options.SystemClockOffset ?? 0);
      // Missing credentials (a ConfigError from getAuthorization) stay what they are.
      if (error instanceof BackupError) throw error;
      throw toStorageError(error, object.key);
    } finally {
      clearTimeout(timer);
    }
    checkStored(result, object);
  }

  return {
    async put(object, { deadline, onRetry, onClockCorrected }) {
      let silent = 0;
      let backup = false;
      await retry(
        (timeoutMs) =>
          attempt(object, timeoutMs, backup, onClockCorrected).catch((error: unknown) => {
            silent = gotNoAnswer(error) ? silent + 1 : 0;
            backup ||= silent >= SILENT_ATTEMPTS_BEFORE_BACKUP;
            throw error;
          }),
        {
          deadline,
          timeoutMs: config.timeoutMs,
          isRetryable: (e) => e instanceof StorageError && e.retryable,
          // Only StorageErrors are retryable, so only they reach onRetry.
          ...(onRetry && { onRetry: (e: unknown, n: number, delay: number) => onRetry(e as StorageError, n, delay, backup) }),
          ...(options.retryPolicy && { policy: options.retryPolicy }),
        },
      );
    },
  };
}
