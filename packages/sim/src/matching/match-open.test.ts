import { BUILDER_TS, instrumentId, makeBar, paise, type Bar } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { FixedBpsSlippage } from '../slippage/fixed-bps-slippage.ts';
import type { BarOrder } from './match-bar.ts';
import { matchAtOpen } from './match-open.ts';

const GRID = { tickSizePaise: paise(5), lotSize: 1 };
const OPTS = { slippageTicks: 0, volumeParticipation: null } as const;

function bar(o: number, h: number, l: number, c: number, volume = 1000): Bar {
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

function order(fields: Partial<BarOrder>): BarOrder {
  return {
    side: 'BUY',
    orderType: 'LIMIT',
    qty: 10,
    limitPricePaise: null,
    triggerPricePaise: null,
    triggered: false,
    ...fields,
  };
}

describe('matchAtOpen', () => {
  it('fills a MARKET order at the open worsened by slippageTicks or a slippage model', () => {
    expect(matchAtOpen(order({ orderType: 'MARKET' }), bar(100, 110, 90, 105), GRID, OPTS)).toEqual({
      triggered: false,
      fills: [{ qty: 10, pricePaise: 100, level: null }],
      step: 0,
    });
    const ticks = matchAtOpen(order({ side: 'SELL', orderType: 'MARKET' }), bar(100, 110, 90, 105), GRID, {
      ...OPTS,
      slippageTicks: 2,
    });
    expect(ticks.fills[0]?.pricePaise).toBe(90);
    const bps = matchAtOpen(order({ orderType: 'MARKET' }), bar(100_000, 100_000, 99_000, 99_500), GRID, {
      ...OPTS,
      slippage: new FixedBpsSlippage(2),
    });
    expect(bps.fills[0]?.pricePaise).toBe(100_020);
  });

  it('fills a LIMIT at the open only when the open is at or better than its limit, ignoring the range', () => {
    const buy = order({ limitPricePaise: paise(100) });
    expect(matchAtOpen(buy, bar(100, 110, 90, 105), GRID, OPTS).fills).toEqual([
      { qty: 10, pricePaise: 100, level: null },
    ]);
    expect(matchAtOpen(buy, bar(95, 110, 90, 105), GRID, OPTS).fills[0]?.pricePaise).toBe(95);
    expect(matchAtOpen(buy, bar(105, 110, 50, 60), GRID, OPTS).fills).toEqual([]);
    const sell = order({ side: 'SELL', limitPricePaise: paise(100) });
    expect(matchAtOpen(sell, bar(95, 200, 90, 150), GRID, OPTS).fills).toEqual([]);
    expect(matchAtOpen(sell, bar(101, 101, 90, 95), GRID, OPTS).fills[0]?.pricePaise).toBe(101);
  });

  it('triggers a stop only when the open reaches its trigger, then fills it like MARKET (SL-M)', () => {
    const stop = order({ side: 'SELL', orderType: 'SL-M', triggerPricePaise: paise(95) });
    expect(matchAtOpen(stop, bar(100, 110, 80, 85), GRID, OPTS)).toEqual({
      triggered: false,
      fills: [],
      step: 0,
    });
    expect(matchAtOpen(stop, bar(95, 100, 90, 92), GRID, OPTS)).toEqual({
      triggered: true,
      fills: [{ qty: 10, pricePaise: 95, level: null }],
      step: 0,
    });
    expect(matchAtOpen(stop, bar(90, 100, 85, 92), GRID, OPTS).fills[0]?.pricePaise).toBe(90);
  });

  it('fills a triggered SL like LIMIT at the open, or leaves it triggered and unfilled past its limit', () => {
    const sl = order({
      side: 'SELL',
      orderType: 'SL',
      triggerPricePaise: paise(95),
      limitPricePaise: paise(93),
    });
    expect(matchAtOpen(sl, bar(94, 100, 85, 92), GRID, OPTS)).toEqual({
      triggered: true,
      fills: [{ qty: 10, pricePaise: 94, level: null }],
      step: 0,
    });
    expect(matchAtOpen(sl, bar(90, 100, 85, 92), GRID, OPTS)).toEqual({
      triggered: true,
      fills: [],
      step: 0,
    });
    const triggered = { ...sl, triggered: true };
    expect(matchAtOpen(triggered, bar(96, 100, 85, 92), GRID, OPTS)).toEqual({
      triggered: false,
      fills: [{ qty: 10, pricePaise: 96, level: null }],
      step: 0,
    });
  });

  it('never slips a limit-like fill by the slippage model', () => {
    const opts = { ...OPTS, slippage: new FixedBpsSlippage(500) };
    expect(
      matchAtOpen(order({ limitPricePaise: paise(100) }), bar(100, 110, 90, 105), GRID, opts).fills[0]
        ?.pricePaise,
    ).toBe(100);
  });

  it('caps the quantity by volumeParticipation, still reporting the trigger', () => {
    const stop = order({ orderType: 'SL-M', triggerPricePaise: paise(100) });
    expect(
      matchAtOpen(stop, bar(100, 110, 90, 105, 8), GRID, { ...OPTS, volumeParticipation: 0.5 }).fills,
    ).toEqual([{ qty: 4, pricePaise: 100, level: null }]);
    expect(matchAtOpen(stop, bar(100, 110, 90, 105, 1), GRID, { ...OPTS, volumeParticipation: 0.5 })).toEqual(
      {
        triggered: true,
        fills: [],
        step: 0,
      },
    );
  });
});
