/**
 * Tick-size tests.
 * Property invariants: roundToTick lands on the grid, within one tick, 'down' ≤ price ≤ 'up', and
 * 'nearest' is within half a tick.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paise, type Paise } from './money.ts';
import { isOnTick, nseTickSizePaise, roundToTick } from './tick-size.ts';

describe('roundToTick', () => {
  it('rounds down, up and to the nearest tick with ties upward', () => {
    expect(roundToTick(paise(157373), paise(10), 'down')).toBe(157370);
    expect(roundToTick(paise(157373), paise(10), 'up')).toBe(157380);
    expect(roundToTick(paise(157375), paise(10), 'nearest')).toBe(157380);
    expect(roundToTick(paise(157374), paise(10), 'nearest')).toBe(157370);
    expect(roundToTick(paise(-15), paise(10), 'nearest')).toBe(-10);
    expect(roundToTick(paise(157370), paise(10), 'up')).toBe(157370);
  });

  it('keeps results on the grid and within a tick', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }).map((n) => n as Paise),
        fc.integer({ min: 1, max: 10_000 }).map((n) => n as Paise),
        (p, tick) => {
          const down = roundToTick(p, tick, 'down');
          const up = roundToTick(p, tick, 'up');
          const near = roundToTick(p, tick, 'nearest');
          for (const r of [down, up, near]) expect(isOnTick(r, tick)).toBe(true);
          expect(down <= p && p <= up && up - down <= tick).toBe(true);
          expect(2 * Math.abs(near - p)).toBeLessThanOrEqual(tick);
        },
      ),
    );
  });
});

describe('isOnTick', () => {
  it('checks multiples and refuses a non-positive tick', () => {
    expect(isOnTick(paise(157370), paise(10))).toBe(true);
    expect(isOnTick(paise(157375), paise(10))).toBe(false);
    expect(() => isOnTick(paise(100), paise(0))).toThrow(/tick size 0/);
  });
});

describe('nseTickSizePaise', () => {
  it('follows the equity bands of market-rules.md §4.3', () => {
    const cases: [number, number][] = [
      [249_99, 1],
      [250_00, 5],
      [999_95, 5],
      [1_000_00, 10],
      [4_999_90, 10],
      [5_000_00, 50],
      [10_000_00, 100],
      [20_000_00, 500],
    ];
    for (const [price, tick] of cases) expect(nseTickSizePaise(paise(price), 'equity')).toBe(tick);
  });

  it('follows the index-future bands and the index-option tick', () => {
    expect(nseTickSizePaise(paise(15_000_00), 'index-future')).toBe(5);
    expect(nseTickSizePaise(paise(15_000_05), 'index-future')).toBe(10);
    expect(nseTickSizePaise(paise(30_000_00), 'index-future')).toBe(10);
    expect(nseTickSizePaise(paise(30_000_20), 'index-future')).toBe(20);
    expect(nseTickSizePaise(paise(120_00), 'index-option')).toBe(5);
  });
});
