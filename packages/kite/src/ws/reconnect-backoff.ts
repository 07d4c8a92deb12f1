/** How reconnect delays grow. */
export interface ReconnectBackoff {
  /** The delay before the first reconnect attempt. */
  readonly initialDelayMs: number;
  /** The largest delay, reached by doubling. */
  readonly maxDelayMs: number;
  /** The share of each delay that is randomised away (0 = none, 0.5 = the delay lies in [d/2, d]). */
  readonly jitterRatio: number;
}

/** The default backoff: 1 s doubling to 30 s, half of it jittered (the official client waits up to 60 s). */
export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  jitterRatio: 0.5,
};

/**
 * Returns the delay before reconnect attempt `attempt` (1 for the first): `initialDelayMs · 2^(attempt−1)`
 * capped at `maxDelayMs`, reduced by up to `jitterRatio` of itself using `random()` in [0, 1), so that
 * many clients dropped together do not reconnect in lockstep.
 */
export function reconnectDelayMs(attempt: number, backoff: ReconnectBackoff, random: () => number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`reconnect attempt ${attempt} must be a positive integer`);
  }
  // Capping the exponent keeps 2^n finite for very long outages.
  const exponential = backoff.initialDelayMs * 2 ** Math.min(attempt - 1, 40);
  const capped = Math.min(backoff.maxDelayMs, exponential);
  return Math.round(capped * (1 - backoff.jitterRatio * random()));
}
