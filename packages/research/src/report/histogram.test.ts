// Histogram tests. Properties: the bin counts add up to the number of values; every value lies in the one bin
// whose edges hold it; bins ascend without gaps (only an empty zero bin is left out); a bin never mixes losses,
// zeros and gains; there are at most maxBins + 3 bins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { niceCeil, paiseHistogram } from './histogram.ts';

describe('paiseHistogram', () => {
  it('bins values with a round width and zero as an edge', () => {
    // 5 values → ⌈√5⌉ = 3 bins wanted; span 2500 − (−1500) + 1 = 4001; 4001 / 3 = 1333.7 → width 2000
    expect(paiseHistogram([-1_500, -200, 0, 300, 2_500])).toEqual([
      { fromPaise: -2_000, toPaise: -1, count: 2 },
      { fromPaise: 0, toPaise: 0, count: 1 },
      { fromPaise: 1, toPaise: 2_000, count: 1 },
      { fromPaise: 2_001, toPaise: 4_000, count: 1 },
    ]);
  });

  it('leaves out an empty zero bin but keeps other empty bins', () => {
    // 2 values → 2 bins wanted; span 1801 / 2 = 900.5 → width 1000
    expect(paiseHistogram([-1_500, 300])).toEqual([
      { fromPaise: -2_000, toPaise: -1_001, count: 1 },
      { fromPaise: -1_000, toPaise: -1, count: 0 },
      { fromPaise: 1, toPaise: 1_000, count: 1 },
    ]);
  });

  it('puts a single value in a one-paisa bin and no values in no bins', () => {
    expect(paiseHistogram([700])).toEqual([{ fromPaise: 700, toPaise: 700, count: 1 }]);
    expect(paiseHistogram([])).toEqual([]);
  });

  it('rejects non-integer values and a bad bin limit', () => {
    expect(() => paiseHistogram([1, 2.5])).toThrow(/value\[1\] 2.5 is not a safe integer/);
    expect(() => paiseHistogram([1, Number.NaN])).toThrow(/value\[1\] NaN/);
    expect(() => paiseHistogram([1], 0)).toThrow(/maxBins 0/);
  });

  it('holds its invariants for any values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 40 }),
        (values, maxBins) => {
          const bins = paiseHistogram(values, maxBins);
          expect(bins.reduce((sum, b) => sum + b.count, 0)).toBe(values.length);
          expect(bins.length).toBeLessThanOrEqual(maxBins + 3);
          for (const value of values) {
            const holding = bins.filter((b) => b.fromPaise <= value && value <= b.toPaise);
            expect(holding).toHaveLength(1);
          }
          for (const [i, bin] of bins.entries()) {
            expect(bin.fromPaise).toBeLessThanOrEqual(bin.toPaise);
            expect(bin.toPaise < 0 || bin.fromPaise > 0 || (bin.fromPaise === 0 && bin.toPaise === 0)).toBe(
              true,
            );
            const next = bins[i + 1];
            if (next !== undefined && !(bin.toPaise === -1 && next.fromPaise === 1)) {
              expect(next.fromPaise).toBe(bin.toPaise + 1);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('niceCeil', () => {
  it('rounds up to 1, 2 or 5 × 10^k', () => {
    expect([1, 1.5, 3, 7, 10, 11, 123, 1_000, 4_001].map(niceCeil)).toEqual([
      1, 2, 5, 10, 10, 20, 200, 1_000, 5_000,
    ]);
  });
});
