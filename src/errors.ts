import { maskText } from './mask/text';

/**
 * Every failure the function knows how to name. `retryable` answers one question:
 * may the same event succeed if it is tried again later? Each class spells out its `name`,
 * which is what SCF's logs show: the minified bundle renames the classes themselves. Its message
 * is masked: it can quote what a server answered, and SCF logs a thrown error as it is.
 */
export abstract class BackupError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;

  constructor(message: string) {
    super(maskText(message));
  }
}

/** A bad environment variable. Raised at cold start, so the function never runs half-configured. */
export class ConfigError extends BackupError {
  override readonly name = 'ConfigError';
  readonly retryable = false;
}

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** The payload is not an MPS event this function archives. Recorded under `errors/`, never retried. */
export class InvalidEventError extends BackupError {
  override readonly name = 'InvalidEventError';
  readonly retryable = false;

  constructor(
    readonly kind: string,
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * COS did not store an object. Always thrown out of the handler: there is nowhere else to
 * record it, and SCF's retries and dead-letter queue are what keep the event. `retryable`
 * only decides whether this invocation tries again before giving up.
 */
export class StorageError extends BackupError {
  override readonly name = 'StorageError';
  readonly retryable: boolean;
  readonly key: string;
  readonly statusCode: number | undefined;
  readonly code: string;
  readonly requestId: string | undefined;

  constructor(
    message: string,
    details: {
      key: string;
      retryable: boolean;
      code: string;
      statusCode?: number | undefined;
      requestId?: string | undefined;
    },
  ) {
    super(message);
    this.key = details.key;
    this.retryable = details.retryable;
    this.code = details.code;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
  }
}

/**
 * A target function was not invoked. Thrown out of the handler, like a StorageError, so that
 * SCF retries the whole event; `retryable` decides whether this invocation tries again first.
 */
export class ForwardError extends BackupError {
  override readonly name = 'ForwardError';
  readonly retryable: boolean;
  readonly target: string;
  readonly code: string;
  readonly requestId: string | undefined;

  constructor(message: string, details: { target: string; retryable: boolean; code: string; requestId?: string | undefined }) {
    super(message);
    this.target = details.target;
    this.retryable = details.retryable;
    this.code = details.code;
    this.requestId = details.requestId;
  }
}
