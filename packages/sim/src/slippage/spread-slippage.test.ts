import { InvariantError } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { quotedSpreadPaise, SpreadSlippage } from './spread-slippage.ts';
import { slippedPricePaise } from './slippage-model.ts';
import { aBar, anInput, aTick } from '../testing/slippage-fixtures.ts';

describe('SpreadSlippage', () => {
  const m = new SpreadSlippage({ fallbackSpreadBps: 4 });

  it('charges half the quoted spread of a tick with both sides', () => {
    expect(m.slippagePaise(anInput({ tick: aTick(100_000, 100_030, 99_990) }))).toBe(20);
    expect(slippedPricePaise(m, anInput({ tick: aTick(100_000, 100_030, 99_990) }))).toBe(100_020);
    expect(slippedPricePaise(m, anInput({ side: 'SELL', tick: aTick(100_000, 100_030, 99_990) }))).toBe(
      99_980,
    );
  });

  it('falls back to half of fallbackSpreadBps of the price on a bar, or a tick without both sides', () => {
    expect(m.slippagePaise(anInput({ bar: aBar(100_000, 100_100, 99_900, 100_000) }))).toBe(20);
    expect(m.slippagePaise(anInput())).toBe(20);
    expect(m.slippagePaise(anInput({ tick: aTick(100_000) }))).toBe(20);
    expect(m.slippagePaise(anInput({ tick: aTick(100_000, 100_100, null) }))).toBe(20);
    expect(m.slippagePaise(anInput({ tick: aTick(100_000, null, 99_000) }))).toBe(20);
  });

  it('reads a crossed book as a zero spread', () => {
    expect(quotedSpreadPaise(aTick(100_000, 99_990, 100_010))).toBe(0);
    expect(m.slippagePaise(anInput({ tick: aTick(100_000, 99_990, 100_010) }))).toBe(0);
  });

  it('refuses a negative, non-finite or absurd fallback, naming the value', () => {
    expect(() => new SpreadSlippage({ fallbackSpreadBps: -2 })).toThrow(
      'SpreadSlippage fallbackSpreadBps -2',
    );
    expect(() => new SpreadSlippage({ fallbackSpreadBps: Number.NaN })).toThrow(InvariantError);
    expect(() => new SpreadSlippage({ fallbackSpreadBps: 20_000 })).toThrow(InvariantError);
  });
});
