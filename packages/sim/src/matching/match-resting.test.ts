import { paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { isStopTriggered, limitReached, matchRestingLimit, participationCap } from './match-resting.ts';

describe('resting matching', () => {
  it('triggers a buy stop at or above and a sell stop at or below the trigger', () => {
    expect(isStopTriggered('BUY', paise(100), paise(100))).toBe(true);
    expect(isStopTriggered('BUY', paise(100), paise(99))).toBe(false);
    expect(isStopTriggered('SELL', paise(100), paise(100))).toBe(true);
    expect(isStopTriggered('SELL', paise(100), paise(101))).toBe(false);
  });

  it('reaches a limit through it, or on a touch with the touch rule', () => {
    expect(limitReached('BUY', paise(100), paise(100), 'through')).toBe(false);
    expect(limitReached('BUY', paise(100), paise(99), 'through')).toBe(true);
    expect(limitReached('BUY', paise(100), paise(100), 'touch')).toBe(true);
    expect(limitReached('SELL', paise(100), paise(101), 'through')).toBe(true);
    expect(limitReached('SELL', paise(100), paise(99), 'touch')).toBe(false);
  });

  it('fills a resting limit at its own price, capped by participation in whole lots', () => {
    const order = { side: 'BUY', limitPricePaise: paise(100), qty: 260, lotSize: 65 } as const;
    expect(
      matchRestingLimit(order, { lastPricePaise: paise(95), lastTradedQty: 300 }, 'through', null),
    ).toEqual({
      qty: 260,
      pricePaise: 100,
      level: null,
    });
    expect(
      matchRestingLimit(order, { lastPricePaise: paise(95), lastTradedQty: 300 }, 'through', 0.5)?.qty,
    ).toBe(130);
    expect(
      matchRestingLimit(order, { lastPricePaise: paise(95), lastTradedQty: 100 }, 'through', 0.5),
    ).toBeNull();
    expect(
      matchRestingLimit(order, { lastPricePaise: paise(95), lastTradedQty: null }, 'through', 0.5)?.qty,
    ).toBe(260);
    expect(
      matchRestingLimit(order, { lastPricePaise: paise(101), lastTradedQty: 300 }, 'through', null),
    ).toBeNull();
  });

  it('does not cap without a participation rate or a traded quantity', () => {
    expect(participationCap(10, null, 0.1, 1)).toBe(10);
    expect(participationCap(10, 50, null, 1)).toBe(10);
    expect(participationCap(10, 50, 0.1, 1)).toBe(5);
  });
});
