import type { Clock } from '@kitepilot/core';

/** How a history job retries a failed broker call. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  readonly maxRetries: number;
  /** Wait before retry n (1-based) is n × this, on the injected clock (default 2000; 0 = at once). */
  readonly delayMs: number;
}

/** The default retry policy of the history jobs. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, delayMs: 2000 };

/** The outcome of an attempt sequence: the value, or the last error; with the retries it took. */
export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly retries: number }
  | { readonly ok: false; readonly error: unknown; readonly retries: number };

/** Returns false for an error that says it will fail again (a broker rejection: `retryable === false`). */
export function isRetryable(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'retryable' in error) {
    return (error as { retryable: unknown }).retryable !== false;
  }
  return true;
}

/** Returns the message of an error for a job record. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let timerSeq = 0;

function sleep(clock: Clock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  const name = `history-retry-${++timerSeq}`;
  return new Promise((resolve) => clock.setTimer(name, clock.now() + ms, resolve));
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the retries are spent. */
export async function withRetries<T>(
  clock: Clock,
  policy: RetryPolicy,
  attempt: () => Promise<T>,
): Promise<RetryOutcome<T>> {
  for (let retries = 0; ; retries++) {
    try {
      return { ok: true, value: await attempt(), retries };
    } catch (error) {
      if (retries >= policy.maxRetries || !isRetryable(error)) return { ok: false, error, retries };
      await sleep(clock, policy.delayMs * (retries + 1));
    }
  }
}
