import { aNiftyFuture, aNiftyOption, anInstrument, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { estimateMarginPaise } from './margin-estimate.ts';

describe('estimateMarginPaise', () => {
  it('charges equity delivery the full value and equity MIS a fifth (5× leverage), rounded up', () => {
    expect(estimateMarginPaise(anInstrument(), 'CNC', 'BUY', 3, paise(100_001))).toMatchObject({
      marginPaise: 300_003n,
    });
    expect(estimateMarginPaise(anInstrument(), 'MIS', 'SELL', 3, paise(100_001))).toMatchObject({
      marginPaise: 60_001n,
    });
  });

  it('charges futures 15 % of value and option buys the premium', () => {
    expect(estimateMarginPaise(aNiftyFuture(), 'NRML', 'SELL', 65, paise(2_600_000))).toMatchObject({
      marginPaise: 25_350_000n,
    });
    expect(estimateMarginPaise(aNiftyOption(), 'MIS', 'BUY', 65, paise(12_345))).toMatchObject({
      marginPaise: 802_425n,
    });
  });

  it('does not estimate option sells', () => {
    const r = estimateMarginPaise(aNiftyOption(), 'NRML', 'SELL', 65, paise(12_345));
    expect(r.ok).toBe(false);
  });
});
