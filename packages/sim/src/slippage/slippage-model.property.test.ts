// Property test of the slippage models through slippedPricePaise. Invariants, for every model and input:
// 1. a buy never fills below and a sell never above its unslipped (on-grid) price;
// 2. the slipped price is on the tick grid and at least one tick;
// 3. with a zero amount (k = 0, bps = 0) the price is unchanged.
import {
  BUILDER_TS,
  instrumentId,
  isOnTick,
  makeBar,
  makeTick,
  paise,
  type Bar,
  type Tick,
} from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedBpsSlippage } from './fixed-bps-slippage.ts';
import { slippedPricePaise, type SlippageModel } from './slippage-model.ts';
import { SpreadSlippage } from './spread-slippage.ts';
import { VolatilityParticipationSlippage } from './volatility-participation-slippage.ts';

const modelArb: fc.Arbitrary<SlippageModel> = fc.oneof(
  fc.double({ min: 0, max: 10_000, noNaN: true }).map((bps) => new FixedBpsSlippage(bps)),
  fc
    .double({ min: 0, max: 10_000, noNaN: true })
    .map((bps) => new SpreadSlippage({ fallbackSpreadBps: bps })),
  fc
    .record({
      k: fc.double({ min: 0, max: 1_000, noNaN: true }),
      cap: fc.double({ min: 0, max: 100, noNaN: true }),
    })
    .map(({ k, cap }) => new VolatilityParticipationSlippage({ k, maxRangeFraction: cap })),
);

function barAt(price: number, up: number, down: number, volume: number): Bar {
  return makeBar({
    instrumentId: instrumentId('RELIANCE', 'NSE'),
    interval: '1m',
    start: BUILDER_TS,
    openPaise: paise(price),
    highPaise: paise(price + up),
    lowPaise: paise(Math.max(1, price - down)),
    closePaise: paise(price),
    volume,
    oi: null,
    origin: 'historical',
  });
}

function tickAt(price: number, ask: number, bid: number): Tick {
  const level = (p: number) => [{ pricePaise: paise(p), qty: 10, orders: 1 }];
  return makeTick({
    token: 1,
    tradable: true,
    mode: 'full',
    lastPricePaise: paise(price),
    depth: { asks: level(price + ask), bids: level(Math.max(1, price - bid)) },
    tsInit: BUILDER_TS,
  });
}

const inputArb = fc.record({
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  lots: fc.integer({ min: 1, max: 1_000 }),
  lotSize: fc.constantFrom(1, 15, 65),
  tickSize: fc.constantFrom(1, 5, 10, 100),
  priceTicks: fc.integer({ min: 1, max: 1_000_000 }),
  place: fc.constantFrom('bar' as const, 'tick' as const, 'none' as const),
  up: fc.integer({ min: 0, max: 100_000 }),
  down: fc.integer({ min: 0, max: 100_000 }),
  volume: fc.integer({ min: 0, max: 10_000_000 }),
});

describe('slippedPricePaise (property)', () => {
  it('never moves a buy below or a sell above its unslipped price, and stays on the grid', () => {
    fc.assert(
      fc.property(modelArb, inputArb, (model, i) => {
        const price = i.priceTicks * i.tickSize;
        const grid = { tickSizePaise: paise(i.tickSize), lotSize: i.lotSize };
        const slipped = slippedPricePaise(model, {
          side: i.side,
          qty: i.lots * i.lotSize,
          pricePaise: paise(price),
          instrument: grid,
          bar: i.place === 'bar' ? barAt(price, i.up, i.down, i.volume) : null,
          tick: i.place === 'tick' ? tickAt(price, i.up, i.down) : null,
        });
        if (i.side === 'BUY') expect(slipped).toBeGreaterThanOrEqual(price);
        else expect(slipped).toBeLessThanOrEqual(price);
        expect(isOnTick(slipped, grid.tickSizePaise)).toBe(true);
        expect(slipped).toBeGreaterThanOrEqual(i.tickSize);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves the price unchanged for a model charging nothing', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const price = i.priceTicks * i.tickSize;
        const input = {
          side: i.side,
          qty: i.lots,
          pricePaise: paise(price),
          instrument: { tickSizePaise: paise(i.tickSize), lotSize: 1 },
          bar: barAt(price, i.up, i.down, i.volume),
          tick: null,
        };
        expect(slippedPricePaise(new FixedBpsSlippage(0), input)).toBe(price);
        expect(
          slippedPricePaise(new VolatilityParticipationSlippage({ k: 0, maxRangeFraction: 0 }), input),
        ).toBe(price);
      }),
      { numRuns: 300 },
    );
  });
});
