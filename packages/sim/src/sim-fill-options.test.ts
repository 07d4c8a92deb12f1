import { InvariantError } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_OPTIONS, resolveFillOptions, type BarFillPolicy } from './sim-fill-options.ts';
import { FixedBpsSlippage } from './slippage/fixed-bps-slippage.ts';

describe('resolveFillOptions', () => {
  it('fills in the defaults: bar close fills and no slippage model', () => {
    expect(resolveFillOptions()).toEqual(DEFAULT_FILL_OPTIONS);
    expect(DEFAULT_FILL_OPTIONS).toMatchObject({ barFill: 'close', slippage: null, slippageTicks: 0 });
  });

  it('keeps a bar fill policy and a slippage model', () => {
    const model = new FixedBpsSlippage(3);
    expect(resolveFillOptions({ barFill: 'next-open', slippage: model })).toMatchObject({
      barFill: 'next-open',
      slippage: model,
    });
    expect(resolveFillOptions({ barFill: 'ohlc', slippage: null }).slippage).toBeNull();
  });

  it('refuses an unknown policy, a non-model slippage, and slippageTicks with a model', () => {
    expect(() => resolveFillOptions({ barFill: 'tick' as BarFillPolicy })).toThrow(
      'barFill tick must be one of close, ohlc, next-open',
    );
    expect(() => resolveFillOptions({ slippage: {} as FixedBpsSlippage })).toThrow(InvariantError);
    expect(() => resolveFillOptions({ slippageTicks: 2, slippage: new FixedBpsSlippage(1) })).toThrow(
      'slippageTicks 2 and a slippage model cannot both be set',
    );
    expect(resolveFillOptions({ slippageTicks: 0, slippage: new FixedBpsSlippage(1) }).slippageTicks).toBe(0);
  });
});
