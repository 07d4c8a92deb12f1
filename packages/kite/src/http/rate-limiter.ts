// Client-side limits per endpoint class (kite-connect.md §4, market-rules.md §5.2). Each limit is a bucket of
// `capacity` tokens where a token taken at t returns at t + periodMs + marginMs: never more than `capacity` requests
// in any window of `periodMs`, so neither a fixed-window nor a sliding-window server counter can be exceeded. The
// margin absorbs the difference in network delay between two requests (the server counts arrivals, we count sends).
import { istDate, type Clock } from '@kitepilot/core';
import { KiteRateLimitError } from '../errors.ts';
import { uniqueTimerName } from './clock-sleep.ts';
import { ENDPOINT_CLASSES, type EndpointClass } from './endpoint-class.ts';

/** One limit: at most `capacity` requests in any `periodMs`. */
export interface RateLimit {
  readonly capacity: number;
  readonly periodMs: number;
}

/** The limits of each class, plus a daily cap on order requests. */
export interface RateLimits {
  readonly perClass: Readonly<Record<EndpointClass, readonly RateLimit[]>>;
  /** Order place/modify/cancel requests allowed per IST day (5000 per user/API key). */
  readonly ordersPerDay: number;
  /** Extra time before a token returns, for jitter in network delay (default 100 ms). */
  readonly marginMs?: number;
}

/** Kite's published limits: quote 1/s, historical 3/s, orders 10/s and 400/min (and 5000/day), others 10/s; 100 ms margin. */
export const KITE_RATE_LIMITS: RateLimits = {
  perClass: {
    quote: [{ capacity: 1, periodMs: 1000 }],
    historical: [{ capacity: 3, periodMs: 1000 }],
    orders: [
      { capacity: 10, periodMs: 1000 },
      { capacity: 400, periodMs: 60_000 },
    ],
    other: [{ capacity: 10, periodMs: 1000 }],
  },
  ordersPerDay: 5000,
  marginMs: 100,
};

/** A bucket of `capacity` tokens; a token taken at t returns at t + periodMs. */
export class TokenBucket {
  readonly limit: RateLimit;
  /** When each taken token returns, oldest first. */
  readonly #returns: number[] = [];

  readonly #marginMs: number;

  /** Creates a full bucket. */
  constructor(limit: RateLimit, marginMs = 0) {
    if (!Number.isSafeInteger(limit.capacity) || limit.capacity < 1 || limit.periodMs <= 0) {
      throw new RangeError(`rate limit ${limit.capacity} per ${limit.periodMs} ms is not positive`);
    }
    this.limit = limit;
    this.#marginMs = marginMs;
  }

  /** Returns how many ms from `nowMs` until a token is available (0 when one is). */
  waitMs(nowMs: number): number {
    while (this.#returns.length > 0 && (this.#returns[0] ?? 0) <= nowMs) this.#returns.shift();
    if (this.#returns.length < this.limit.capacity) return 0;
    return (this.#returns[0] ?? nowMs) - nowMs;
  }

  /** Takes a token at `nowMs`; the caller has checked waitMs() is 0. */
  take(nowMs: number): void {
    this.#returns.push(nowMs + this.limit.periodMs + this.#marginMs);
  }
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The shared limiter of one Kite client (or of several clients of one API key): `acquire(class)` resolves when a
 * request of that class may be sent, first come first served, driven by the injected Clock.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #limits: RateLimits;
  readonly #buckets: Record<EndpointClass, TokenBucket[]>;
  readonly #queues: Record<EndpointClass, Waiter[]>;
  readonly #timers: Record<EndpointClass, string | null>;
  #orderDay = '';
  #ordersToday = 0;

  /** Creates a limiter with `limits` (default: Kite's published limits). */
  constructor(clock: Clock, limits: RateLimits = KITE_RATE_LIMITS) {
    this.#clock = clock;
    this.#limits = limits;
    const make = <T>(f: (c: EndpointClass) => T): Record<EndpointClass, T> =>
      Object.fromEntries(ENDPOINT_CLASSES.map((c) => [c, f(c)])) as Record<EndpointClass, T>;
    this.#buckets = make((c) => limits.perClass[c].map((l) => new TokenBucket(l, limits.marginMs ?? 0)));
    this.#queues = make(() => []);
    this.#timers = make(() => null);
  }

  /** Returns how many requests of `cls` wait for a token. */
  queued(cls: EndpointClass): number {
    return this.#queues[cls].length;
  }

  /**
   * Resolves when a request of `cls` may be sent and counts it; rejects with KiteRateLimitError when the daily
   * order cap is reached (waiting until the next IST day would not help the caller).
   */
  acquire(cls: EndpointClass): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queues[cls].push({ resolve, reject });
      this.#pump(cls);
    });
  }

  #pump(cls: EndpointClass): void {
    const queue = this.#queues[cls];
    while (queue.length > 0) {
      const now = this.#clock.now();
      const wait = Math.max(...this.#buckets[cls].map((b) => b.waitMs(now)), 0);
      if (wait > 0) {
        if (this.#timers[cls] === null) {
          const name = uniqueTimerName(`kite-rate-${cls}`);
          this.#timers[cls] = name;
          this.#clock.setTimer(name, now + wait, () => {
            this.#timers[cls] = null;
            this.#pump(cls);
          });
        }
        return;
      }
      const waiter = queue.shift() as Waiter;
      if (cls === 'orders' && !this.#countOrder(now)) {
        waiter.reject(
          new KiteRateLimitError({
            request: null,
            status: null,
            brokerMessage: `daily cap of ${this.#limits.ordersPerDay} order requests reached for ${this.#orderDay} (IST)`,
          }),
        );
        continue;
      }
      for (const b of this.#buckets[cls]) b.take(now);
      waiter.resolve();
    }
  }

  #countOrder(now: number): boolean {
    const day = istDate(now);
    if (day !== this.#orderDay) {
      this.#orderDay = day;
      this.#ordersToday = 0;
    }
    if (this.#ordersToday >= this.#limits.ordersPerDay) return false;
    this.#ordersToday++;
    return true;
  }
}
