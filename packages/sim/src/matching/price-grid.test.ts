import { paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { lotFloor, marketProtectionLimit, roundAgainst, withinLimit, worsenByTicks } from './price-grid.ts';

const T = paise(5);

describe('price grid', () => {
  it('rounds off-grid prices against the order', () => {
    expect(roundAgainst(paise(10_003), 'BUY', T)).toBe(10_005);
    expect(roundAgainst(paise(10_003), 'SELL', T)).toBe(10_000);
    expect(roundAgainst(paise(10_005), 'BUY', T)).toBe(10_005);
    expect(roundAgainst(paise(1), 'SELL', T)).toBe(5);
  });

  it('worsens by whole ticks and never below one tick', () => {
    expect(worsenByTicks(paise(10_000), 'BUY', 2, T)).toBe(10_010);
    expect(worsenByTicks(paise(10_000), 'SELL', 2, T)).toBe(9_990);
    expect(worsenByTicks(paise(10), 'SELL', 5, T)).toBe(5);
  });

  it('compares prices with a limit by side', () => {
    expect(withinLimit('BUY', paise(100), paise(100))).toBe(true);
    expect(withinLimit('BUY', paise(101), paise(100))).toBe(false);
    expect(withinLimit('SELL', paise(99), paise(100))).toBe(false);
  });

  it('puts the market protection limit inside last ± pct on the grid', () => {
    expect(marketProtectionLimit(paise(100_00), 'BUY', 2, T)).toBe(102_00);
    expect(marketProtectionLimit(paise(100_00), 'SELL', 2, T)).toBe(98_00);
    // 123.45 × 1.025 = 126.536… → down to 126.50; × 0.975 = 120.363… → up to 120.40.
    expect(marketProtectionLimit(paise(123_45), 'BUY', 2.5, T)).toBe(126_50);
    expect(marketProtectionLimit(paise(123_45), 'SELL', 2.5, T)).toBe(120_40);
  });

  it('rounds quantities down to whole lots', () => {
    expect(lotFloor(130, 65)).toBe(130);
    expect(lotFloor(129, 65)).toBe(65);
    expect(lotFloor(7, 1)).toBe(7);
  });
});
