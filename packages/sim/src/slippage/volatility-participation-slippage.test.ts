import { InvariantError, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { slippedPricePaise } from './slippage-model.ts';
import { aBar, anInput, aTick } from '../testing/slippage-fixtures.ts';
import { VolatilityParticipationSlippage } from './volatility-participation-slippage.ts';

describe('VolatilityParticipationSlippage', () => {
  // σ = (101 000 − 99 000) / 100 000 = 0.02; qty 100 of volume 10 000 → √0.01 = 0.1.
  const bar = aBar(100_000, 101_000, 99_000, 100_000, 10_000);

  it('charges k × σ × √(qty / volume) × price', () => {
    const m = new VolatilityParticipationSlippage({ k: 0.5 });
    expect(m.slippagePaise(anInput({ qty: 100, bar }))).toBeCloseTo(0.5 * 0.02 * 0.1 * 100_000, 9);
    expect(slippedPricePaise(m, anInput({ qty: 100, bar }))).toBe(100_100);
    expect(slippedPricePaise(m, anInput({ side: 'SELL', qty: 100, bar }))).toBe(99_900);
    // Four times the quantity doubles the impact.
    expect(m.slippagePaise(anInput({ qty: 400, bar }))).toBeCloseTo(200, 9);
  });

  it('caps the amount at maxRangeFraction × the bar range', () => {
    const m = new VolatilityParticipationSlippage({ k: 100 });
    expect(m.slippagePaise(anInput({ qty: 100, bar }))).toBe(2_000);
    const half = new VolatilityParticipationSlippage({ k: 100, maxRangeFraction: 0.5 });
    expect(half.slippagePaise(anInput({ qty: 100, bar }))).toBe(1_000);
  });

  it('charges the cap on a bar with zero volume', () => {
    const m = new VolatilityParticipationSlippage({ k: 0.01, maxRangeFraction: 0.25 });
    expect(m.slippagePaise(anInput({ bar: aBar(100_000, 101_000, 99_000, 100_000, 0) }))).toBe(500);
  });

  it('charges nothing without a bar (on a tick) and on a bar with no range', () => {
    const m = new VolatilityParticipationSlippage({ k: 1 });
    expect(m.slippagePaise(anInput({ tick: aTick(100_000) }))).toBe(0);
    expect(m.slippagePaise(anInput({ bar: aBar(100_000, 100_000, 100_000, 100_000) }))).toBe(0);
  });

  it('refuses a bad k or maxRangeFraction, naming the value', () => {
    expect(() => new VolatilityParticipationSlippage({ k: -0.1 })).toThrow(
      'VolatilityParticipationSlippage k -0.1',
    );
    expect(() => new VolatilityParticipationSlippage({ k: Number.NaN })).toThrow(InvariantError);
    expect(() => new VolatilityParticipationSlippage({ k: 1, maxRangeFraction: -1 })).toThrow(
      'VolatilityParticipationSlippage maxRangeFraction -1',
    );
    expect(() => new VolatilityParticipationSlippage({ k: 1, maxRangeFraction: Infinity })).toThrow(
      InvariantError,
    );
  });

  it('keeps the price of the input for the impact', () => {
    const m = new VolatilityParticipationSlippage({ k: 1 });
    expect(m.slippagePaise(anInput({ qty: 100, bar, pricePaise: paise(50_000) }))).toBeCloseTo(100, 9);
  });
});
