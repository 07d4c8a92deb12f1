import { describe, expect, it } from 'vitest';
import { Sma } from './sma.ts';

describe('Sma', () => {
  it('averages the last period values once warmed up', () => {
    const sma = new Sma(3);
    expect([1, 2, 3, 4, 10].map((x) => sma.update(x))).toEqual([null, null, 2, 3, 17 / 3]);
  });

  it('averages prices in paise exactly beyond 2^53 in the running sum', () => {
    const sma = new Sma(3);
    const big = Number.MAX_SAFE_INTEGER;
    sma.update(big);
    sma.update(big);
    // Σx = 3·(2^53 − 1) is not a safe integer: the exact sum is rounded once, then divided.
    expect(sma.update(big)).toBe(Number(3n * BigInt(big)) / 3);
    expect(sma.update(0)).toBe((2 * big) / 3);
  });

  it('keeps non-integer inputs within an ulp and returns to exact sums once the window is integral again', () => {
    const sma = new Sma(2);
    expect(sma.update(0.1)).toBeNull();
    expect(sma.update(0.2)).toBeCloseTo(0.15, 15);
    sma.update(7);
    expect(sma.update(8)).toBe(7.5);
  });
});
