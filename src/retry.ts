/**
 * Retries a call with capped exponential backoff and full jitter, inside a deadline: every
 * attempt gets at most what is left of the invocation, and no attempt starts that could not
 * get `minAttemptMs`. SCF retries a failed event only about a minute later, so a transient
 * fault is best absorbed here; a lasting one is thrown in time for SCF to see it.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  minAttemptMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  minAttemptMs: 250,
};

export interface RetryOptions {
  /** Epoch ms by which the last attempt must have ended. */
  deadline: number;
  /** The longest one attempt may take when time allows. */
  timeoutMs: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  policy?: RetryPolicy;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retry<T>(attempt: (timeoutMs: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { deadline, timeoutMs, isRetryable, onRetry } = options;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? wait;
  const random = options.random ?? Math.random;

  for (let n = 1; ; n++) {
    const left = deadline - now();
    try {
      return await attempt(Math.max(policy.minAttemptMs, Math.min(timeoutMs, left)));
    } catch (error) {
      if (n >= policy.maxAttempts || !isRetryable(error)) throw error;
      const delay = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)));
      if (now() + delay + policy.minAttemptMs > deadline) throw error;
      onRetry?.(error, n, delay);
      await sleep(delay);
    }
  }
}
