import { describe, expect, it } from 'vitest';
import { Atr } from './atr.ts';

describe('Atr', () => {
  it('matches a hand-computed Wilder ATR(3) including a gap from the previous close', () => {
    const atr = new Atr(3);
    const bars = [
      { high: 10, low: 8, close: 9 }, // TR 2 (first bar: high − low)
      { high: 11, low: 9, close: 10 }, // TR max(2, 2, 0) = 2
      { high: 13, low: 10, close: 12 }, // TR max(3, 3, 0) = 3 → ATR (2+2+3)/3
      { high: 12, low: 11, close: 11 }, // TR max(1, 0, 1) = 1 → (7/3·2 + 1)/3 = 17/9
      { high: 20, low: 18, close: 19 }, // gap: TR max(2, 9, 7) = 9 → (17/9·2 + 9)/3 = 115/27
    ];
    const values = bars.map((bar) => atr.update(bar));
    expect(values.slice(0, 2)).toEqual([null, null]);
    expect(values[2]).toBeCloseTo(7 / 3, 14);
    expect(values[3]).toBeCloseTo(17 / 9, 14);
    expect(values[4]).toBeCloseTo(115 / 27, 14);
  });

  it('names the bad field of a bar', () => {
    expect(() => new Atr(3).update({ high: 1, low: Number.NaN, close: 1 })).toThrow(/Atr\(3\) low .*NaN/);
  });
});
