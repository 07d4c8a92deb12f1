import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './reconnect-backoff.ts';

const backoff = { initialDelayMs: 1000, maxDelayMs: 30_000, jitterRatio: 0.5 };

describe('reconnectDelayMs', () => {
  it('doubles from the initial delay up to the cap without jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 100, 10_000].map((n) => reconnectDelayMs(n, backoff, () => 0));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('removes at most jitterRatio of the delay', () => {
    expect(reconnectDelayMs(3, backoff, () => 0.999_999)).toBe(2000);
    expect(reconnectDelayMs(3, backoff, () => 0.5)).toBe(3000);
    expect(reconnectDelayMs(3, { ...backoff, jitterRatio: 0 }, () => 0.9)).toBe(4000);
  });

  it('rejects attempt numbers below 1', () => {
    expect(() => reconnectDelayMs(0, backoff, () => 0)).toThrow(
      'reconnect attempt 0 must be a positive integer',
    );
  });
});
