import { instrumentId, makeTick, paise, type DepthLevel } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { enrichTick } from './enriched-tick.ts';

const id = instrumentId('RELIANCE', 'NSE');
const level = (p: number, q: number): DepthLevel => ({ pricePaise: paise(p), qty: q, orders: 1 });

describe('enrichTick', () => {
  it('derives spread, exact mid (half paise kept), depth and book imbalance from a full tick', () => {
    const tick = makeTick({
      token: 1,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(10_005),
      totalBuyQty: 700,
      totalSellQty: 300,
      depth: {
        bids: [level(10_000, 40), level(9_995, 20), level(0, 0)],
        asks: [level(10_005, 10), level(10_010, 10)],
      },
      tsInit: 0,
    });
    const e = enrichTick(id, tick);
    expect(e.spreadPaise).toBe(5);
    expect(e.midPaise).toBe(10_002.5);
    expect(e.depthImbalance).toBe((60 - 20) / 80);
    expect(e.bookImbalance).toBe((700 - 300) / 1000);
  });

  it('gives no spread or mid when a side has no quote, and no imbalance when both sides are empty', () => {
    const tick = makeTick({
      token: 1,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(100),
      totalBuyQty: 0,
      totalSellQty: 0,
      depth: { bids: [level(0, 0)], asks: [level(105, 0)] },
      tsInit: 0,
    });
    expect(enrichTick(id, tick)).toMatchObject({
      spreadPaise: null,
      midPaise: null,
      depthImbalance: null,
      bookImbalance: null,
    });
  });

  it('gives only the book imbalance for a quote tick and nothing for an ltp tick', () => {
    const quote = makeTick({
      token: 1,
      tradable: true,
      mode: 'quote',
      lastPricePaise: paise(100),
      totalBuyQty: 0,
      totalSellQty: 50,
      tsInit: 0,
    });
    expect(enrichTick(id, quote)).toMatchObject({
      spreadPaise: null,
      midPaise: null,
      depthImbalance: null,
      bookImbalance: -1,
    });
    const ltp = makeTick({ token: 1, tradable: true, mode: 'ltp', lastPricePaise: paise(100), tsInit: 0 });
    expect(enrichTick(id, ltp)).toMatchObject({
      spreadPaise: null,
      midPaise: null,
      depthImbalance: null,
      bookImbalance: null,
    });
  });
});
