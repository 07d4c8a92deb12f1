/** Settings of exponential backoff for retryable reads. */
export interface BackoffOptions {
  /** Attempts in total, the first included (default 4). */
  readonly maxAttempts: number;
  /** Delay before the first retry's cap (default 250 ms); the cap doubles per retry. */
  readonly baseDelayMs: number;
  /** Largest delay (default 8 s). */
  readonly maxDelayMs: number;
}

/** The default backoff settings. */
export const DEFAULT_BACKOFF: BackoffOptions = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8000 };

/**
 * Returns the delay before retry number `retry` (1 for the first retry): "equal jitter", a uniform draw in
 * [cap/2, cap) with cap = min(maxDelayMs, baseDelayMs·2^(retry−1)) and `random` returning a number in [0, 1).
 * Half the cap is kept so that a retry never follows its failure at once; the other half spreads callers out.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(cap / 2 + random() * (cap / 2));
}
