// Sign-in attempts per client address over a sliding window, in memory: a second line of defence beside the
// per-user lockout, against guessing across many emails from one address. Memory is bounded by pruning.

/** What IpRateLimiter takes. */
export interface IpRateLimiterOptions {
  /** Attempts allowed per address within the window. */
  readonly maxAttempts: number;
  readonly windowMs: number;
  /** Addresses tracked at most; the oldest are dropped beyond it. */
  readonly maxAddresses?: number;
}

/** The outcome of one attempt: allowed, or refused with the seconds until the next one is allowed. */
export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Counts attempts per address in a sliding window. */
export class IpRateLimiter {
  readonly #options: Required<IpRateLimiterOptions>;
  readonly #attempts = new Map<string, number[]>();

  /** Creates a limiter; throws RangeError for a non-positive limit or window. */
  constructor(options: IpRateLimiterOptions) {
    if (!(options.maxAttempts >= 1) || !(options.windowMs >= 1)) {
      throw new RangeError(
        `a rate limit needs maxAttempts ≥ 1 and windowMs ≥ 1 (got ${options.maxAttempts}, ${options.windowMs})`,
      );
    }
    this.#options = { maxAddresses: 10_000, ...options };
  }

  /** Records an attempt from `address` at `nowMs` unless the address is over its limit. */
  attempt(address: string, nowMs: number): RateDecision {
    const since = nowMs - this.#options.windowMs;
    const recent = (this.#attempts.get(address) ?? []).filter((t) => t > since);
    if (recent.length >= this.#options.maxAttempts) {
      const oldest = recent[0] ?? nowMs;
      this.#attempts.set(address, recent);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest - since) / 1000)) };
    }
    recent.push(nowMs);
    // Re-inserting moves the address to the end: the map's first keys are the least recently seen.
    this.#attempts.delete(address);
    this.#attempts.set(address, recent);
    while (this.#attempts.size > this.#options.maxAddresses) {
      const first = this.#attempts.keys().next().value;
      if (first === undefined) break;
      this.#attempts.delete(first);
    }
    return { allowed: true };
  }
}
