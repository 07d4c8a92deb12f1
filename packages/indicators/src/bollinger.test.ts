import { describe, expect, it } from 'vitest';
import { Bollinger } from './bollinger.ts';

describe('Bollinger', () => {
  it('uses the population standard deviation', () => {
    const bands = new Bollinger(8, 2);
    const values = [2, 4, 4, 4, 5, 5, 7, 9].map((x) => bands.update(x));
    expect(values.slice(0, 7).every((v) => v === null)).toBe(true);
    expect(values[7]).toEqual({ middle: 5, upper: 9, lower: 1, stdDev: 2 });
  });

  it('collapses to the mean on a flat window', () => {
    const bands = new Bollinger(3, 1.5);
    [250_000, 250_000, 250_000].forEach((x) => bands.update(x));
    expect(bands.value).toEqual({ middle: 250_000, upper: 250_000, lower: 250_000, stdDev: 0 });
  });

  it('refuses k ≤ 0', () => {
    expect(() => new Bollinger(20, 0)).toThrow(/Bollinger k must be a finite number > 0, got 0/);
    expect(() => new Bollinger(20, -1)).toThrow(RangeError);
  });
});
