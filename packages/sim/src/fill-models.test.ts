import {
  anInstrument,
  anOrder,
  applyOrderEvents,
  BUILDER_TS,
  makeBar,
  paise,
  parseVenueOrderId,
  type Bar,
  type FillContext,
  type Order,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { NextBarOpenFillModel } from './next-bar-open-fill-model.ts';
import { FixedBpsSlippage } from './slippage/fixed-bps-slippage.ts';
import { OhlcPathFillModel } from './ohlc-path-fill-model.ts';

const instrument = anInstrument();

function bar(o: number, h: number, l: number, c: number): Bar {
  return makeBar({
    instrumentId: instrument.id,
    interval: '5m',
    start: BUILDER_TS,
    openPaise: paise(o),
    highPaise: paise(h),
    lowPaise: paise(l),
    closePaise: paise(c),
    volume: 500,
    oi: null,
    origin: 'historical',
  });
}

function context(order: Order, b: Bar | null): FillContext {
  return { order, instrument, tick: null, bar: b, nowMs: BUILDER_TS };
}

function opened(order: Order, status: 'OPEN' | 'TRIGGER PENDING'): Order {
  const venueOrderId = parseVenueOrderId('1');
  return applyOrderEvents(order, [
    { type: 'submit', id: 'e1', ts: BUILDER_TS, venueOrderId },
    {
      type: 'venue-status',
      id: 'e2',
      ts: BUILDER_TS,
      status,
      venueOrderId,
      filledQty: 0,
      cancelledQty: null,
      message: null,
      amendment: null,
    },
  ]);
}

describe('OhlcPathFillModel', () => {
  const model = new OhlcPathFillModel();

  it('returns nothing without a bar', () => {
    expect(model.fill(context(anOrder(), null))).toEqual([]);
  });

  it('fills a resting limit at its price and a stop at its trigger', () => {
    const limit = anOrder({ limitPricePaise: paise(157000), qty: 3 });
    expect(model.fill(context(limit, bar(157500, 158000, 156500, 157800)))).toEqual([
      { qty: 3, pricePaise: 157000 },
    ]);
    const stop = opened(
      anOrder({ side: 'SELL', orderType: 'SL-M', limitPricePaise: null, triggerPricePaise: paise(157000) }),
      'TRIGGER PENDING',
    );
    expect(model.fill(context(stop, bar(157500, 158000, 156500, 157800)))).toEqual([
      { qty: 1, pricePaise: 157000 },
    ]);
  });

  it('treats an OPEN SL as already triggered (a limit order)', () => {
    const sl = opened(
      anOrder({ orderType: 'SL', triggerPricePaise: paise(157000), limitPricePaise: paise(157200) }),
      'OPEN',
    );
    expect(model.fill(context(sl, bar(157500, 158000, 157100, 157800)))).toEqual([
      { qty: 1, pricePaise: 157200 },
    ]);
  });
});

describe('NextBarOpenFillModel', () => {
  const model = new NextBarOpenFillModel({ slippageTicks: 1 });

  it('fills MARKET at the open worsened by slippage', () => {
    const order = anOrder({ orderType: 'MARKET', limitPricePaise: null, qty: 2 });
    expect(model.fill(context(order, bar(157500, 158000, 156500, 157800)))).toEqual([
      { qty: 2, pricePaise: 157510 },
    ]);
  });

  it('fills LIMIT at the open only when the open is at or better than the limit', () => {
    const order = anOrder({ limitPricePaise: paise(157500) });
    expect(model.fill(context(order, bar(157400, 158000, 156500, 157800)))).toEqual([
      { qty: 1, pricePaise: 157400 },
    ]);
    expect(model.fill(context(order, bar(157600, 158000, 156500, 157800)))).toEqual([]);
  });

  it('triggers a stop only on the open', () => {
    const order = anOrder({ orderType: 'SL-M', limitPricePaise: null, triggerPricePaise: paise(157500) });
    expect(model.fill(context(order, bar(157400, 158000, 156500, 157800)))).toEqual([]);
    expect(model.fill(context(order, bar(157600, 158000, 156500, 157800)))).toEqual([
      { qty: 1, pricePaise: 157610 },
    ]);
  });

  it('slips MARKET and a triggered SL-M at the open by a slippage model, and refuses it with slippageTicks', () => {
    const slipped = new NextBarOpenFillModel({ slippage: new FixedBpsSlippage(10) });
    const market = anOrder({ orderType: 'MARKET', limitPricePaise: null, qty: 2 });
    // 10 bps of ₹1575.00 is 157.5 paise: 157 657.5 rounds up to 157 660.
    expect(slipped.fill(context(market, bar(157500, 158000, 156500, 157800)))).toEqual([
      { qty: 2, pricePaise: 157660 },
    ]);
    const limit = anOrder({ limitPricePaise: paise(157500) });
    expect(slipped.fill(context(limit, bar(157400, 158000, 156500, 157800)))).toEqual([
      { qty: 1, pricePaise: 157400 },
    ]);
    expect(() => new NextBarOpenFillModel({ slippageTicks: 1, slippage: new FixedBpsSlippage(1) })).toThrow(
      'cannot both be set',
    );
  });
});

describe('OhlcPathFillModel with a slippage model', () => {
  it('slips a MARKET order at the open', () => {
    const model = new OhlcPathFillModel({ slippage: new FixedBpsSlippage(10) });
    const order = anOrder({ orderType: 'MARKET', limitPricePaise: null, side: 'SELL', qty: 2 });
    expect(model.fill(context(order, bar(157500, 158000, 156500, 157800)))).toEqual([
      { qty: 2, pricePaise: 157340 },
    ]);
  });
});
