import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import {
  aBar,
  FakeStrategyContext,
  istMs,
  NEXT_TEST_DAY,
  StrategyConfigError,
  TEST_DAY,
  type StrategyParams,
} from '@kitepilot/engine';
import { definition } from './definition.ts';
import { typicalPricePaise } from './vwap-reversion-strategy.ts';

const RELIANCE = anInstrument(); // tick ₹0.10
const ID = RELIANCE.id;

function run(params: StrategyParams = {}): FakeStrategyContext {
  const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
  ctx.start(definition.create({ symbol: 'NSE:RELIANCE', ...params }));
  return ctx;
}

/** A flat bar (open = high = low = close) in paise. */
function flat(time: string, pricePaise: number, volume = 1000, date = TEST_DAY) {
  return aBar({ time, date, close: pricePaise, volume });
}

/** A heavy 09:15 bar at ₹1000 (volume 1,000,000) anchors the VWAP near ₹1000. */
function anchored(params: StrategyParams = {}): FakeStrategyContext {
  const ctx = run(params);
  ctx.feedBar(flat('09:15', 1_000_00, 1_000_000));
  return ctx;
}

/** Anchored, then a long entry on the 09:29 bar closing at ₹994 (VWAP ≈ 999.994), filled at ₹994. */
function long(params: StrategyParams = {}): FakeStrategyContext {
  const ctx = anchored(params);
  ctx.feedBar(flat('09:29', 994_00));
  ctx.fill(ctx.lastSubmit().intentId, 994_00);
  return ctx;
}

describe('typicalPricePaise', () => {
  it('rounds (high + low + close) / 3 half-up to the paisa', () => {
    expect(typicalPricePaise(aBar({ open: 1_000_00, high: 1_001_00, low: 1_000_00, close: 1_000_00 }))).toBe(
      1_000_33,
    ); // 300100 / 3 = 100033.33
    expect(typicalPricePaise(aBar({ open: 1_000_00, high: 1_000_01, low: 1_000_00, close: 1_000_01 }))).toBe(
      1_000_01,
    ); // 300002 / 3 = 100000.67
  });
});

describe('VwapReversionStrategy entry', () => {
  it('goes long when a bar closing in the window is more than entryDevPct below the VWAP', () => {
    const ctx = anchored({ qty: 3 });
    ctx.feedBar(flat('09:29', 994_00)); // closes 09:30 = startTime
    const { request, at } = ctx.lastSubmit();
    expect(at).toBe(istMs('09:30'));
    // stop 994 × 0.995 = 989.03 → rounded down to ₹989.00
    expect(request).toMatchObject({ side: 'BUY', qty: 3, orderType: 'MARKET', stopLossPaise: 989_00 });
    expect(ctx.signals.map((s) => s.request.direction)).toEqual(['LONG']);
  });

  it('goes short above the VWAP with the stop rounded up', () => {
    const ctx = anchored();
    ctx.feedBar(flat('09:29', 1_006_00));
    // stop 1006 × 1.005 = 1011.03 → rounded up to ₹1011.10
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', stopLossPaise: 1_011_10 });
  });

  it('does not enter within entryDevPct of the VWAP', () => {
    const ctx = anchored();
    ctx.feedBar(flat('09:29', 995_10)); // 0.49 % below
    ctx.feedBar(flat('09:30', 1_004_90));
    expect(ctx.submits).toEqual([]);
  });

  it('does not enter on bars closing before startTime', () => {
    const ctx = anchored();
    ctx.feedBar(flat('09:28', 990_00)); // closes 09:29
    expect(ctx.submits).toEqual([]);
  });

  it('does not trade while the session has no volume', () => {
    const ctx = run();
    ctx.feedBar(flat('09:29', 990_00, 0));
    expect(ctx.submits).toEqual([]);
  });

  it('restarts the VWAP each IST day', () => {
    const ctx = anchored();
    ctx.advanceTo(istMs('16:00'));
    // yesterday's VWAP was ₹1000; today's first bar sets it to ₹1100, so ₹1100 is no stretch
    ctx.feedBar(flat('09:29', 1_100_00, 1000, NEXT_TEST_DAY));
    expect(ctx.submits).toEqual([]);
  });

  it('enters once a day, sends no second entry while one works, and does not retry a denial', () => {
    const ctx = anchored();
    ctx.feedBar(flat('09:29', 994_00));
    ctx.feedBar(flat('09:30', 993_00));
    expect(ctx.submits).toHaveLength(1);
    ctx.deny(ctx.lastSubmit().intentId, 'daily loss cap');
    ctx.feedBar(flat('09:31', 992_00));
    expect(ctx.submits).toHaveLength(1);
  });
});

describe('VwapReversionStrategy exits', () => {
  it('exits a long when the close is back at the VWAP', () => {
    const ctx = long({ qty: 2 });
    ctx.feedBar(flat('09:30', 999_90)); // below the VWAP ≈ 999.99
    expect(ctx.submits).toHaveLength(1);
    ctx.feedBar(flat('09:31', 1_000_00));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'SELL', qty: 2, stopLossPaise: null });
    expect(ctx.lastSubmit().request.reason).toMatch(/back at the VWAP/);
    expect(ctx.signals.map((s) => s.request.direction)).toEqual(['LONG', 'FLAT']);
  });

  it('exits a long at the stop, checked before the VWAP', () => {
    const ctx = long();
    ctx.feedBar(aBar({ time: '09:30', open: 994_00, high: 1_001_00, low: 989_00, close: 1_000_50 }));
    expect(ctx.lastSubmit().request.reason).toMatch(/stop ₹989.00/);
  });

  it('exits a short when the close falls back to the VWAP', () => {
    const ctx = anchored();
    ctx.feedBar(flat('09:29', 1_006_00));
    ctx.fill(ctx.lastSubmit().intentId, 1_006_00);
    ctx.feedBar(flat('09:30', 999_00));
    expect(ctx.lastSubmit().request).toMatchObject({ side: 'BUY', qty: 1 });
  });

  it('closes the trade at endTime and does not enter again that day', () => {
    const ctx = long();
    ctx.advanceTo(istMs('15:00'));
    expect(ctx.lastSubmit()).toMatchObject({ at: istMs('15:00'), request: { side: 'SELL' } });
    expect(ctx.lastSubmit().request.reason).toBe('end time 15:00');
    ctx.fill(ctx.lastSubmit().intentId, 995_00);
    ctx.feedBar(flat('15:00', 980_00));
    expect(ctx.submits).toHaveLength(2);
    expect(ctx.pendingTimers()).toEqual([{ name: 'end', atMs: istMs('15:00', NEXT_TEST_DAY) }]);
  });

  it('does not re-enter after a round trip the same day', () => {
    const ctx = long();
    ctx.feedBar(flat('09:30', 1_000_00));
    ctx.fill(ctx.lastSubmit().intentId, 1_000_00);
    ctx.feedBar(flat('09:31', 990_00));
    expect(ctx.submits).toHaveLength(2);
  });

  it('ends the trade when the platform flattens the position', () => {
    const ctx = long();
    ctx.flattenExternally(ID, 995_00);
    ctx.feedBar(flat('09:30', 1_000_00));
    ctx.advanceTo(istMs('15:00'));
    expect(ctx.submits).toHaveLength(1);
  });
});

describe('vwap-reversion definition', () => {
  it('has the documented defaults', () => {
    const defaults = Object.fromEntries(Object.entries(definition.params).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      symbol: null,
      qty: 1,
      entryDevPct: 0.5,
      stopPct: 0.5,
      startTime: '09:30',
      endTime: '15:00',
      product: 'MIS',
    });
  });

  it.each([
    [
      { startTime: '15:00', endTime: '15:00' },
      'vwap-reversion: startTime 15:00 must be before endTime 15:00',
    ],
    [{ startTime: '09:00' }, 'vwap-reversion: startTime 09:00 is before the 09:15 market open'],
    [{ endTime: '16:00' }, 'vwap-reversion: endTime 16:00 is after the 15:30 market close'],
    [{ entryDevPct: 0 }, 'vwap-reversion: parameter entryDevPct=0 is below the minimum 0.01'],
    [{ stopPct: 'wide' }, 'vwap-reversion: parameter stopPct="wide" is not a finite number'],
  ])('refuses %o with a StrategyConfigError', (bad, message) => {
    const create = (): unknown => definition.create({ symbol: 'NSE:RELIANCE', ...bad });
    expect(create).toThrow(StrategyConfigError);
    expect(create).toThrow(message);
  });

  it('halts on an unknown symbol', () => {
    const ctx = new FakeStrategyContext({ instruments: [RELIANCE] });
    expect(() => ctx.start(definition.create({ symbol: 'NSE:INFY' }))).toThrow(
      'vwap-reversion: unknown instrument "NSE:INFY"',
    );
  });
});
