// Server-side rate limits per endpoint class (kite-connect.md §4): token buckets refilled continuously on a
// monotonic time source (real time: the limits protect the server whatever the simulated clock says).

/** Kite's endpoint classes for rate limiting. */
export type RateClass = 'quote' | 'historical' | 'orders' | 'other';

/** Requests per second of each class (§4). */
export const KITE_RATE_LIMITS: Readonly<Record<RateClass, number>> = {
  quote: 1,
  historical: 3,
  orders: 10,
  other: 10,
};

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Token buckets of capacity N refilled at N per second, one per class. */
export class RateLimiter {
  readonly #limits: Readonly<Record<RateClass, number>>;
  readonly #now: () => number;
  readonly #buckets = new Map<RateClass, Bucket>();

  /** Creates the limiter with per-class limits and a monotonic ms time source. */
  constructor(limits: Readonly<Record<RateClass, number>>, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Takes one token of a class; returns false when the class is over its limit. */
  tryTake(rateClass: RateClass): boolean {
    const limit = this.#limits[rateClass];
    const now = this.#now();
    const bucket = this.#buckets.get(rateClass) ?? { tokens: limit, atMs: now };
    bucket.tokens = Math.min(limit, bucket.tokens + ((now - bucket.atMs) * limit) / 1000);
    bucket.atMs = now;
    this.#buckets.set(rateClass, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
