import { describe, expect, it } from 'vitest';
import { paise } from '@kitepilot/core';
import { marketableLimitPricePaise } from './marketable-price.ts';

describe('marketableLimitPricePaise', () => {
  it('moves through the market by whole ticks and rounds away from the book onto the grid', () => {
    expect(marketableLimitPricePaise('BUY', paise(157_405), paise(10), 2, null)).toBe(157_430);
    expect(marketableLimitPricePaise('SELL', paise(157_405), paise(10), 2, null)).toBe(157_380);
    expect(marketableLimitPricePaise('SELL', paise(157_400), paise(5), 0, null)).toBe(157_400);
  });

  it('stays inside the circuit band and above one tick', () => {
    const band = { lowerPaise: paise(150_000), upperPaise: paise(157_410) };
    expect(marketableLimitPricePaise('BUY', paise(157_405), paise(10), 2, band)).toBe(157_410);
    expect(marketableLimitPricePaise('SELL', paise(150_005), paise(10), 2, band)).toBe(150_000);
    expect(marketableLimitPricePaise('SELL', paise(10), paise(5), 3, null)).toBe(5);
  });
});
