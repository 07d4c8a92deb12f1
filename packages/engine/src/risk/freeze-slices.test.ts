import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freezeSlices, maxSliceQty } from './freeze-slices.ts';

describe('freezeSlices', () => {
  it('returns the quantity itself when it is within the freeze quantity', () => {
    expect(freezeSlices(1800, 75, 1800)).toEqual([1800]);
  });

  it('throws for a quantity that is not a lot multiple or a freeze below one lot', () => {
    expect(() => freezeSlices(100, 75, 1800)).toThrow('not a positive multiple of the lot size 75');
    expect(() => maxSliceQty(75, 50)).toThrow('freeze quantity 50 is below the lot size 75');
  });

  // Invariants: slices are lot multiples within the freeze, sum to the quantity, are non-increasing, and only the
  // last one is smaller than the largest lot multiple within the freeze.
  it('slices into lot multiples within the freeze that sum to the quantity, largest first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 500 }),
        (lot, freezeLots, lots) => {
          const freeze = lot * freezeLots + (lot > 1 ? lot - 1 : 0);
          const slices = freezeSlices(lot * lots, lot, freeze);
          expect(slices.reduce((a, b) => a + b, 0)).toBe(lot * lots);
          for (const [i, s] of slices.entries()) {
            expect(s % lot).toBe(0);
            expect(s).toBeGreaterThan(0);
            expect(s).toBeLessThanOrEqual(freeze);
            if (i < slices.length - 1) expect(s).toBe(lot * freezeLots);
          }
        },
      ),
    );
  });
});
