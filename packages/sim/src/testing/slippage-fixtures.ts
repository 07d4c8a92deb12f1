// Test data shared by the slippage tests: a grid, bars and ticks built through the core constructors.
import { BUILDER_TS, instrumentId, makeBar, makeTick, paise, type Bar, type Tick } from '@kitepilot/core';
import type { PriceGrid } from '../matching/match-types.ts';
import type { SlippageInput } from '../slippage/slippage-model.ts';

/** RELIANCE-like grid: tick ₹0.10, lot 1. */
export const GRID: PriceGrid = { tickSizePaise: paise(10), lotSize: 1 };

/** Returns a 1m bar with the given prices and volume. */
export function aBar(o: number, h: number, l: number, c: number, volume = 1000): Bar {
  return makeBar({
    instrumentId: instrumentId('RELIANCE', 'NSE'),
    interval: '1m',
    start: BUILDER_TS,
    openPaise: paise(o),
    highPaise: paise(h),
    lowPaise: paise(l),
    closePaise: paise(c),
    volume,
    oi: null,
    origin: 'historical',
  });
}

/** Returns a tick at `last`, full mode with one ask and one bid level when given. */
export function aTick(last: number, ask: number | null = null, bid: number | null = null): Tick {
  const level = (p: number) => [{ pricePaise: paise(p), qty: 100, orders: 1 }];
  const depth =
    ask === null && bid === null
      ? null
      : { asks: ask === null ? [] : level(ask), bids: bid === null ? [] : level(bid) };
  return makeTick({
    token: 738561,
    tradable: true,
    mode: depth === null ? 'ltp' : 'full',
    lastPricePaise: paise(last),
    depth,
    tsInit: BUILDER_TS,
  });
}

/** Returns a slippage input with defaults: a buy of 10 at ₹1000.00 on no bar and no tick. */
export function anInput(fields: Partial<SlippageInput> = {}): SlippageInput {
  return {
    side: 'BUY',
    qty: 10,
    pricePaise: paise(100_000),
    instrument: GRID,
    bar: null,
    tick: null,
    ...fields,
  };
}
