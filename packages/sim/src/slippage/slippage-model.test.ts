import { InvariantError, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { checkRange, slippedPricePaise, type SlippageModel } from './slippage-model.ts';
import { anInput, GRID } from '../testing/slippage-fixtures.ts';

function constant(amount: number): SlippageModel {
  return { slippagePaise: () => amount };
}

describe('slippedPricePaise', () => {
  it('worsens a buy by the amount and rounds it up onto the grid', () => {
    expect(slippedPricePaise(constant(15), anInput({ pricePaise: paise(100_000) }))).toBe(100_020);
    expect(slippedPricePaise(constant(20), anInput({ pricePaise: paise(100_000) }))).toBe(100_020);
    expect(slippedPricePaise(constant(0.01), anInput({ pricePaise: paise(100_000) }))).toBe(100_010);
  });

  it('worsens a sell by the amount and rounds it down onto the grid', () => {
    const sell = { side: 'SELL', pricePaise: paise(100_000) } as const;
    expect(slippedPricePaise(constant(15), anInput(sell))).toBe(99_980);
    expect(slippedPricePaise(constant(20), anInput(sell))).toBe(99_980);
    expect(slippedPricePaise(constant(0.01), anInput(sell))).toBe(99_990);
  });

  it('leaves an on-grid price alone for a zero amount and moves an off-grid one against the order', () => {
    expect(slippedPricePaise(constant(0), anInput())).toBe(100_000);
    expect(slippedPricePaise(constant(0), anInput({ pricePaise: paise(100_003) }))).toBe(100_010);
    expect(slippedPricePaise(constant(0), anInput({ side: 'SELL', pricePaise: paise(100_003) }))).toBe(
      100_000,
    );
  });

  it('does not add a whole tick for float noise in the amount', () => {
    // 100 000 × 1.1 / 10 000 is 11.000000000000002 in floating point; 2.3 bps gives 22.999999999999996.
    const fine = { tickSizePaise: paise(1), lotSize: 1 };
    expect(slippedPricePaise(constant((100_000 * 1.1) / 10_000), anInput({ instrument: fine }))).toBe(
      100_011,
    );
    expect(
      slippedPricePaise(constant((100_000 * 2.3) / 10_000), anInput({ side: 'SELL', instrument: fine })),
    ).toBe(99_977);
  });

  it('keeps a sell at least one tick', () => {
    expect(slippedPricePaise(constant(500), anInput({ side: 'SELL', pricePaise: paise(100) }))).toBe(10);
  });

  it('throws on a negative or non-finite amount from the model', () => {
    expect(() => slippedPricePaise(constant(-1), anInput())).toThrow(InvariantError);
    expect(() => slippedPricePaise(constant(-1), anInput())).toThrow('returned -1 paise');
    expect(() => slippedPricePaise(constant(Number.NaN), anInput())).toThrow('returned NaN paise');
    expect(() => slippedPricePaise(constant(Infinity), anInput())).toThrow(InvariantError);
  });

  it('uses the grid of the input', () => {
    const fut = { tickSizePaise: paise(5), lotSize: 65 };
    expect(slippedPricePaise(constant(7), anInput({ instrument: fut, pricePaise: paise(2_600_000) }))).toBe(
      2_600_010,
    );
    expect(GRID.tickSizePaise).toBe(10);
  });
});

describe('checkRange', () => {
  it('returns a value in range and names a bad one', () => {
    expect(checkRange('x', 3, 0, 5)).toBe(3);
    expect(() => checkRange('bps', -1, 0, 5)).toThrow('bps -1 must be a finite number in [0, 5]');
    expect(() => checkRange('bps', Number.NaN, 0, 5)).toThrow('bps NaN');
    expect(() => checkRange('bps', 6, 0, 5)).toThrow(InvariantError);
  });
});
