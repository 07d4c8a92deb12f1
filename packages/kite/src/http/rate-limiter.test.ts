// Invariant (property): whatever the arrival times, no window of `periodMs` ever holds more than `capacity`
// granted requests of a class, and requests are granted in arrival order.
import { TestClock } from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KiteRateLimitError } from '../errors.ts';
import { KITE_RATE_LIMITS, RateLimiter } from './rate-limiter.ts';

const START = Date.UTC(2026, 10, 23, 4, 0, 0);
/** Kite's limits without the jitter margin, so that the expected times read as the published limits. */
const EXACT = { ...KITE_RATE_LIMITS, marginMs: 0 };

function grantTimes(
  clock: TestClock,
  limiter: RateLimiter,
  cls: 'quote' | 'orders' | 'historical' | 'other',
  n: number,
): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) void limiter.acquire(cls).then(() => times.push(clock.now()));
  return times;
}

async function settle(clock: TestClock, untilMs: number): Promise<void> {
  for (;;) {
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    const next = clock.pendingTimers()[0];
    if (next === undefined || next.atMs > untilMs) break;
    clock.advanceTo(next.atMs);
  }
}

describe('RateLimiter', () => {
  it('grants quote requests one per second', async () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(clock, EXACT);
    const times = grantTimes(clock, limiter, 'quote', 3);
    await settle(clock, START + 10_000);
    expect(times.map((t) => t - START)).toEqual([0, 1000, 2000]);
  });

  it('grants historical requests three per second', async () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(clock, EXACT);
    const times = grantTimes(clock, limiter, 'historical', 7);
    await settle(clock, START + 10_000);
    expect(times.map((t) => t - START)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('holds order requests to 10 per second and 400 per minute', async () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(clock, EXACT);
    const times = grantTimes(clock, limiter, 'orders', 401);
    await settle(clock, START + 120_000);
    expect(times).toHaveLength(401);
    expect(times[9]! - START).toBe(0);
    expect(times[10]! - START).toBe(1000);
    expect(times[399]! - START).toBe(39_000);
    expect(times[400]! - START).toBe(60_000);
  });

  it('adds the jitter margin before a token returns by default', async () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(clock);
    const times = grantTimes(clock, limiter, 'quote', 3);
    await settle(clock, START + 10_000);
    expect(times.map((t) => t - START)).toEqual([0, 1100, 2200]);
  });

  it('shares one budget between all callers of a class but not between classes', async () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(clock, EXACT);
    const quotes = grantTimes(clock, limiter, 'quote', 2);
    const others = grantTimes(clock, limiter, 'other', 2);
    await settle(clock, START + 5000);
    expect(quotes.map((t) => t - START)).toEqual([0, 1000]);
    expect(others.map((t) => t - START)).toEqual([0, 0]);
  });

  it('rejects order requests past the daily cap and counts afresh on the next IST day', async () => {
    const clock = new TestClock(START);
    const limiter = new RateLimiter(clock, { ...EXACT, ordersPerDay: 2 });
    await limiter.acquire('orders');
    await limiter.acquire('orders');
    const error = await limiter.acquire('orders').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KiteRateLimitError);
    expect((error as Error).message).toContain('daily cap of 2 order requests reached for 2026-11-23');
    clock.advanceTo(Date.UTC(2026, 10, 23, 18, 30, 0)); // 00:00 IST on the 24th
    await expect(limiter.acquire('orders')).resolves.toBeUndefined();
  });

  it('never grants more than the capacity in any window (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 }),
        async (gaps) => {
          const clock = new TestClock(START);
          const limiter = new RateLimiter(clock, EXACT);
          const granted: { i: number; t: number }[] = [];
          let i = 0;
          for (const gap of gaps) {
            const arrival = clock.now() + gap;
            await settle(clock, arrival);
            clock.advanceTo(arrival);
            const k = i++;
            void limiter.acquire('historical').then(() => granted.push({ i: k, t: clock.now() }));
          }
          await settle(clock, clock.now() + 60_000);
          expect(granted.map((g) => g.i)).toEqual([...granted.keys()]);
          for (const g of granted) {
            expect(granted.filter((h) => h.t >= g.t && h.t < g.t + 1000).length).toBeLessThanOrEqual(3);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
