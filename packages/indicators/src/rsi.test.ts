import { describe, expect, it } from 'vitest';
import { Rsi } from './rsi.ts';

// The worked Wilder RSI(14) example of StockCharts' "Relative Strength Index (RSI)" ChartSchool spreadsheet
// (cs-rsi.xls). The article's text shows 70.53 for the first value because it rounds the first averages to
// 0.24 and 0.10 before dividing; the spreadsheet, like this class, keeps full precision (70.46).
const CLOSES = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28,
  46.0, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57,
  43.42, 42.66, 43.13,
];
const EXPECTED = [
  70.46, 66.25, 66.48, 69.35, 66.29, 57.92, 62.88, 63.21, 56.01, 62.34, 54.67, 50.39, 40.02, 41.49, 41.9,
  45.5, 37.32, 33.09, 37.79,
];

describe('Rsi', () => {
  it('matches the textbook Wilder RSI(14) example to two decimals', () => {
    const rsi = new Rsi(14);
    const values = CLOSES.map((c) => rsi.update(c));
    expect(values.slice(0, 14)).toEqual(Array<null>(14).fill(null));
    const computed = values.slice(14);
    expect(computed).toHaveLength(EXPECTED.length);
    computed.forEach((value, i) => expect(value).toBeCloseTo(EXPECTED[i] ?? Number.NaN, 2));
  });

  it('is 100 with no losses and 0 with no gains', () => {
    const up = new Rsi(3);
    const down = new Rsi(3);
    [1, 2, 3, 4, 5].forEach((x) => up.update(x));
    [5, 4, 3, 2, 1].forEach((x) => down.update(x));
    expect(up.value).toBe(100);
    expect(down.value).toBe(0);
  });

  it('gives its first value after period + 1 closes', () => {
    const rsi = new Rsi(2);
    expect([10, 12, 11].map((x) => rsi.update(x))).toEqual([null, null, 100 - 100 / (1 + 2 / 1)]);
  });
});
