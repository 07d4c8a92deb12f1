import { BUILDER_TS, instrumentId, makeBar, paise, type Bar } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { FixedBpsSlippage } from '../slippage/fixed-bps-slippage.ts';
import { matchOnBar, ohlcPath, type BarOrder } from './match-bar.ts';

const GRID = { tickSizePaise: paise(5), lotSize: 1 };
const OPTS = { slippageTicks: 0, limitFillRule: 'through', volumeParticipation: null } as const;

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

describe('matchOnBar', () => {
  it('walks the adverse path for each side', () => {
    const b = bar(100, 110, 90, 105);
    expect(ohlcPath('BUY', b)).toEqual([100, 110, 90, 105]);
    expect(ohlcPath('SELL', b)).toEqual([100, 90, 110, 105]);
  });

  it('fills a MARKET order at the open plus slippage', () => {
    const m = matchOnBar(order({ orderType: 'MARKET' }), bar(100, 110, 90, 105), GRID, {
      ...OPTS,
      slippageTicks: 2,
    });
    expect(m.fills).toEqual([{ qty: 10, pricePaise: 110, level: null }]);
    expect(m.step).toBe(0);
  });

  it('fills a resting limit at its price when the path goes through it, at the step it does', () => {
    const m = matchOnBar(order({ limitPricePaise: paise(95) }), bar(100, 110, 90, 105), GRID, OPTS);
    expect(m.fills).toEqual([{ qty: 10, pricePaise: 95, level: null }]);
    expect(m.step).toBe(2);
    expect(
      matchOnBar(order({ limitPricePaise: paise(90) }), bar(100, 110, 90, 105), GRID, OPTS).fills,
    ).toEqual([]);
    expect(
      matchOnBar(order({ limitPricePaise: paise(90) }), bar(100, 110, 90, 105), GRID, {
        ...OPTS,
        limitFillRule: 'touch',
      }).fills,
    ).toHaveLength(1);
  });

  it('fills a limit at its own price when the bar opens through it', () => {
    const m = matchOnBar(
      order({ side: 'SELL', limitPricePaise: paise(95) }),
      bar(100, 110, 90, 105),
      GRID,
      OPTS,
    );
    expect(m.fills).toEqual([{ qty: 10, pricePaise: 95, level: null }]);
    expect(m.step).toBe(0);
  });

  it('triggers a stop at its trigger on the way, or at the open on a gap', () => {
    const sellStop = order({ side: 'SELL', orderType: 'SL-M', triggerPricePaise: paise(95) });
    const inBar = matchOnBar(sellStop, bar(100, 110, 90, 105), GRID, OPTS);
    expect([inBar.triggered, inBar.step, inBar.fills]).toEqual([
      true,
      1,
      [{ qty: 10, pricePaise: 95, level: null }],
    ]);
    const gap = matchOnBar(sellStop, bar(90, 100, 85, 95), GRID, OPTS);
    expect([gap.triggered, gap.step, gap.fills[0]?.pricePaise]).toEqual([true, 0, 90]);
    expect(matchOnBar(sellStop, bar(100, 110, 96, 105), GRID, OPTS)).toMatchObject({
      triggered: false,
      fills: [],
    });
  });

  it('rests a triggered SL that gapped past its limit and fills it later in the bar at the limit', () => {
    const sl = order({ orderType: 'SL', triggerPricePaise: paise(100), limitPricePaise: paise(102) });
    const m = matchOnBar(sl, bar(105, 110, 101, 104), GRID, OPTS);
    expect([m.triggered, m.step, m.fills]).toEqual([true, 0, [{ qty: 10, pricePaise: 102, level: null }]]);
    const none = matchOnBar(sl, bar(105, 110, 103, 104), GRID, OPTS);
    expect([none.triggered, none.fills]).toEqual([true, []]);
  });

  it('fills an SL triggered inside the bar at the trigger', () => {
    const sl = order({ orderType: 'SL', triggerPricePaise: paise(100), limitPricePaise: paise(102) });
    const m = matchOnBar(sl, bar(98, 110, 95, 104), GRID, OPTS);
    expect(m.fills).toEqual([{ qty: 10, pricePaise: 100, level: null }]);
  });

  it('caps the quantity at volumeParticipation × the bar volume', () => {
    const m = matchOnBar(order({ orderType: 'MARKET' }), bar(100, 110, 90, 105, 8), GRID, {
      ...OPTS,
      volumeParticipation: 0.5,
    });
    expect(m.fills[0]?.qty).toBe(4);
  });

  it('lets a LIMIT with takesOpen fill at the open when the open is within its limit', () => {
    const limit = order({ limitPricePaise: paise(102), takesOpen: true });
    const m = matchOnBar(limit, bar(100, 110, 90, 105), GRID, OPTS);
    expect([m.step, m.fills]).toEqual([0, [{ qty: 10, pricePaise: 100, level: null }]]);
    // Without takesOpen the same order is a resting limit: it fills at its own price.
    expect(
      matchOnBar(order({ limitPricePaise: paise(102) }), bar(100, 110, 90, 105), GRID, OPTS).fills,
    ).toEqual([{ qty: 10, pricePaise: 102, level: null }]);
    // An open beyond the limit: the order rests along the path as before.
    const later = matchOnBar(
      order({ limitPricePaise: paise(95), takesOpen: true }),
      bar(100, 110, 90, 105),
      GRID,
      OPTS,
    );
    expect([later.step, later.fills]).toEqual([2, [{ qty: 10, pricePaise: 95, level: null }]]);
  });

  it('ignores takesOpen for a stop', () => {
    const stop = order({
      orderType: 'SL',
      triggerPricePaise: paise(105),
      limitPricePaise: paise(110),
      takesOpen: true,
    });
    expect(matchOnBar(stop, bar(100, 110, 90, 105), GRID, OPTS)).toMatchObject({
      triggered: true,
      step: 1,
      fills: [{ qty: 10, pricePaise: 105, level: null }],
    });
  });

  it('slips a market-like fill by the slippage model and gives it the bar, but never a limit-like one', () => {
    const seen: unknown[] = [];
    const model = {
      slippagePaise: (input: { bar: unknown; qty: number }) => {
        seen.push([input.bar, input.qty]);
        return 12;
      },
    };
    const b = bar(100, 110, 90, 105);
    const opts = { ...OPTS, slippage: model };
    expect(matchOnBar(order({ orderType: 'MARKET' }), b, GRID, opts).fills[0]?.pricePaise).toBe(115);
    expect(matchOnBar(order({ side: 'SELL', orderType: 'MARKET' }), b, GRID, opts).fills[0]?.pricePaise).toBe(
      85,
    );
    expect(seen).toEqual([
      [b, 10],
      [b, 10],
    ]);
    const sl = order({ orderType: 'SL', triggerPricePaise: paise(105), limitPricePaise: paise(110) });
    expect(matchOnBar(sl, b, GRID, opts).fills[0]?.pricePaise).toBe(105);
    expect(matchOnBar(order({ limitPricePaise: paise(95) }), b, GRID, opts).fills[0]?.pricePaise).toBe(95);
    expect(seen).toHaveLength(2);
    const bps = matchOnBar(
      order({ orderType: 'SL-M', triggerPricePaise: paise(100) }),
      bar(100_000, 100_000, 99_000, 99_500),
      GRID,
      {
        ...OPTS,
        slippage: new FixedBpsSlippage(1),
      },
    );
    expect(bps.fills[0]?.pricePaise).toBe(100_010);
  });
});
