import { describe, expect, it } from 'vitest';
import { Macd } from './macd.ts';

describe('Macd', () => {
  it('matches a hand-computed MACD(2, 3, 2)', () => {
    const macd = new Macd(2, 3, 2);
    const values = [1, 3, 2, 5, 4, 6].map((x) => macd.update(x));
    // EMA(2): 2, 2, 4, 4, 16/3 from the 2nd value; EMA(3): 2, 3.5, 3.75, 4.875 from the 3rd.
    // MACD line: 0, 0.5, 0.25, 0.458333…; signal EMA(2) seeded with (0 + 0.5)/2 at the 4th value.
    expect(values.slice(0, 3)).toEqual([null, null, null]);
    expect(values[3]).toEqual({ macd: 0.5, signal: 0.25, histogram: 0.25 });
    expect(values[4]).toEqual({ macd: 0.25, signal: 0.25, histogram: 0 });
    const last = values[5];
    expect(last?.macd).toBeCloseTo(16 / 3 - 4.875, 14);
    expect(last?.signal).toBeCloseTo(0.25 + (2 / 3) * (16 / 3 - 4.875 - 0.25), 14);
    expect(last?.histogram).toBeCloseTo((1 / 3) * (16 / 3 - 4.875 - 0.25), 14);
  });

  it('gives its first reading after slow + signal − 1 values with the defaults', () => {
    const macd = new Macd();
    const firstReady = Array.from({ length: 40 }, (_, i) => macd.update(100 + ((i * 7) % 5))).findIndex(
      (v) => v !== null,
    );
    expect(firstReady).toBe(26 + 9 - 2);
  });

  it('refuses fast ≥ slow', () => {
    expect(() => new Macd(26, 12, 9)).toThrow(/fast period 26 must be less than slow period 12/);
    expect(() => new Macd(12, 12, 9)).toThrow(RangeError);
  });
});
