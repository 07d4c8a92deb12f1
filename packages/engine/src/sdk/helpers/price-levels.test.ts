// Invariants (fast-check, percentages with up to 2 decimals, tick 1–500 paise):
// - every level is on the tick grid;
// - a `below` level is the highest grid price at or below the exact value base × (1 − pct/100) (or base − m × d);
// - an `above` level is the lowest grid price at or above the exact value base × (1 + pct/100) (or base + m × d).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paise } from '@kitepilot/core';
import { multipleLevel, pctLevel } from './price-levels.ts';

const TICKS = [1, 5, 10, 50, 100, 500];

describe('pctLevel', () => {
  it('computes percentages exactly where floating point would not (₹40.00 + 0.35 % rounded up = ₹40.14)', () => {
    // 4000 × 1.0035 = 4014 exactly; in floating point 4000 * (1 + 0.35 / 100) = 4014.0000000000005 → 4015
    expect(pctLevel(paise(4000), 0.35, 'above', paise(1))).toBe(4014);
    expect(pctLevel(paise(100_00), 2, 'below', paise(10))).toBe(98_00);
    expect(pctLevel(paise(100_30), 2, 'below', paise(10))).toBe(98_20); // 98.294
    expect(pctLevel(paise(100_30), 2, 'above', paise(10))).toBe(102_40); // 102.306
  });

  it('returns the nearest grid price on the far side of the exact level', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_00 }),
        fc.integer({ min: 1, max: 9_999 }),
        fc.constantFrom(...TICKS),
        fc.constantFrom('below' as const, 'above' as const),
        (base, hundredths, tick, side) => {
          const level = pctLevel(paise(base), hundredths / 100, side, paise(tick));
          expect(Math.abs(level % tick)).toBe(0);
          // exact level × 10000 = base × (10000 ∓ hundredths)
          const exact = BigInt(base) * BigInt(side === 'below' ? 10_000 - hundredths : 10_000 + hundredths);
          const scaled = BigInt(level) * 10_000n;
          const step = BigInt(tick) * 10_000n;
          if (side === 'below') {
            expect(scaled <= exact && exact < scaled + step).toBe(true);
          } else {
            expect(scaled - step < exact && exact <= scaled).toBe(true);
          }
        },
      ),
    );
  });
});

describe('multipleLevel', () => {
  it('adds or subtracts a fractional multiple of a distance, rounded away from the base', () => {
    expect(multipleLevel(paise(1_509_00), paise(12_00), 2, 'above', paise(10))).toBe(1_533_00);
    expect(multipleLevel(paise(1_509_00), paise(12_00), 0.33, 'above', paise(10))).toBe(1_513_00);
    expect(multipleLevel(paise(1_495_00), paise(12_00), 0.33, 'below', paise(10))).toBe(1_491_00); // 1491.04
  });

  it('returns the nearest grid price on the far side of the exact level', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_00 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(...TICKS),
        fc.constantFrom('below' as const, 'above' as const),
        (base, distance, hundredths, tick, side) => {
          const level = multipleLevel(paise(base), paise(distance), hundredths / 100, side, paise(tick));
          expect(Math.abs(level % tick)).toBe(0);
          const sign = side === 'below' ? -1n : 1n;
          const exact = BigInt(base) * 100n + sign * BigInt(distance) * BigInt(hundredths);
          const scaled = BigInt(level) * 100n;
          const step = BigInt(tick) * 100n;
          if (side === 'below') expect(scaled <= exact && exact < scaled + step).toBe(true);
          else expect(scaled - step < exact && exact <= scaled).toBe(true);
        },
      ),
    );
  });
});
