import { InvariantError, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { FixedBpsSlippage } from './fixed-bps-slippage.ts';
import { slippedPricePaise } from './slippage-model.ts';
import { aBar, anInput } from '../testing/slippage-fixtures.ts';

describe('FixedBpsSlippage', () => {
  it('charges price × bps / 10 000 whatever the side, quantity or bar', () => {
    const m = new FixedBpsSlippage(5);
    expect(m.slippagePaise(anInput())).toBe(50);
    expect(m.slippagePaise(anInput({ side: 'SELL', qty: 1_000, bar: aBar(100, 120, 90, 110) }))).toBe(50);
    expect(new FixedBpsSlippage(0).slippagePaise(anInput())).toBe(0);
    expect(new FixedBpsSlippage(2.5).slippagePaise(anInput({ pricePaise: paise(12_345) }))).toBeCloseTo(
      3.08625,
    );
  });

  it('moves a buy up and a sell down onto the grid', () => {
    const m = new FixedBpsSlippage(1.5); // 15 paise on ₹1000.00, tick 10 paise
    expect(slippedPricePaise(m, anInput())).toBe(100_020);
    expect(slippedPricePaise(m, anInput({ side: 'SELL' }))).toBe(99_980);
  });

  it('refuses a negative, non-finite or absurd bps, naming the value', () => {
    expect(() => new FixedBpsSlippage(-1)).toThrow(InvariantError);
    expect(() => new FixedBpsSlippage(-1)).toThrow('FixedBpsSlippage bps -1');
    expect(() => new FixedBpsSlippage(Number.NaN)).toThrow('FixedBpsSlippage bps NaN');
    expect(() => new FixedBpsSlippage(Infinity)).toThrow(InvariantError);
    expect(() => new FixedBpsSlippage(10_001)).toThrow('FixedBpsSlippage bps 10001');
  });
});
