import {
  aNiftyFuture,
  aNiftyOption,
  anInstrument,
  BUILDER_TS,
  instrumentId,
  InvariantError,
  istToEpochMs,
  paise,
  RISK_CHECK_CODES,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { RISK_CHECKS } from './risk-checks.ts';
import { DefaultRiskEngine } from './risk-engine.ts';
import {
  aPosition,
  aSnapshot,
  anEntry,
  anOpenOrder,
  decide,
  INFY,
  RELIANCE,
  someLimits,
} from './risk-test-support.ts';

const NIFTY_FUT = aNiftyFuture();
const at = (time: string): number => istToEpochMs('2026-11-20', time);

describe('RiskEngine', () => {
  it('lists its checks in the order of RISK_CHECK_CODES', () => {
    expect(RISK_CHECKS.map((c) => c.code)).toEqual(RISK_CHECK_CODES.filter((c) => c !== 'ok'));
  });

  it('allows a valid entry with code ok, the snapshot time and a JSON copy of its inputs', () => {
    const d = decide(anEntry());
    expect(d).toMatchObject({ decision: 'allow', code: 'ok', slices: null, decidedAt: BUILDER_TS });
    expect(d.reason).toContain('worst-case loss ₹23.70 of the daily loss cap ₹10,000.00');
    expect(JSON.parse(JSON.stringify(d.inputs))).toEqual(d.inputs);
    expect(d.inputs).toMatchObject({
      referencePricePaise: 157_370,
      intent: { qty: 1, side: 'BUY', stopLossPaise: 155_000 },
      worstCase: { totalPaise: -2_370, newEntryPaise: -2_370 },
      counters: { ordersInLastSecond: 0, ordersToday: 0, orderCount: 1 },
      limits: { dailyLossCapPaise: 1_000_000, maxOrdersPerSecond: 10 },
    });
  });

  it('throws when the snapshot carries another instrument than the intent', () => {
    expect(() => decide(anEntry(), { instrument: aNiftyFuture() })).toThrow(InvariantError);
  });

  it('denies every strategy order while the kill switch is on', () => {
    const d = decide(anEntry(), { killSwitch: true });
    expect(d).toMatchObject({ decision: 'deny', code: 'kill-switch' });
    expect(d.reason).toContain('kill switch is on');
  });

  it('denies entries while halted, giving the halt reason', () => {
    const d = decide(anEntry(), { haltedReason: 'daily loss cap hit at 11:02' });
    expect(d).toMatchObject({ decision: 'deny', code: 'trading-halted' });
    expect(d.reason).toContain('daily loss cap hit at 11:02');
  });

  it('denies entries on a non-trading day and outside [start, end) of the IST entry window', () => {
    expect(decide(anEntry(), { tradingDay: false }).reason).toContain('2026-11-20 is not a trading day');
    expect(decide(anEntry(), { nowMs: at('09:15') }).code).toBe('ok');
    expect(decide(anEntry(), { nowMs: at('15:09:59') }).code).toBe('ok');
    const late = decide(anEntry(), { nowMs: at('15:10') });
    expect(late).toMatchObject({ decision: 'deny', code: 'trading-window' });
    expect(late.reason).toContain('from 09:15 to 15:10 IST; it is 15:10:00 IST');
    expect(decide(anEntry(), { nowMs: at('09:14:59') }).code).toBe('trading-window');
  });

  it('denies an unknown instrument', () => {
    const d = decide(anEntry(), { instrument: null });
    expect(d).toMatchObject({ decision: 'deny', code: 'instrument-unknown' });
    expect(d.reason).toContain('RELIANCE.NSE is unknown');
  });

  it('denies blocklisted instruments, instruments off the allowlist and indices', () => {
    expect(decide(anEntry(), {}, { blocklist: [RELIANCE] }).reason).toContain('RELIANCE.NSE is on the');
    const off = decide(anEntry(), {}, { allowlist: [INFY] });
    expect(off).toMatchObject({ code: 'instrument-not-allowed' });
    expect(off.reason).toContain('RELIANCE.NSE is not on the risk profile');
    expect(decide(anEntry(), {}, { allowlist: [RELIANCE] }).code).toBe('ok');
    const index = anInstrument({ type: 'INDEX', tradingSymbol: 'NIFTY', name: 'NIFTY 50' });
    const d = decide(anEntry({ instrumentId: instrumentId('NIFTY', 'NSE') }), { instrument: index });
    expect(d).toMatchObject({ code: 'instrument-not-allowed' });
    expect(d.reason).toContain('NIFTY.NSE is an index');
  });

  it('denies a quantity that is not a lot multiple, naming quantity, lot and instrument', () => {
    const intent = anEntry({ instrumentId: NIFTY_FUT.id, qty: 7, limitPricePaise: paise(2_600_000) });
    const d = decide(intent, { instrument: NIFTY_FUT, lastPricePaise: paise(2_600_000) });
    expect(d).toMatchObject({ decision: 'deny', code: 'quantity-lot-size' });
    expect(d.reason).toContain(
      'quantity 7 is not a multiple of the lot size 65 of NIFTY26NOVFUT.NFO; use 65',
    );
  });

  it('denies limit and trigger prices off the tick grid, naming the nearest ticks', () => {
    const d = decide(anEntry({ limitPricePaise: paise(157_373) }));
    expect(d).toMatchObject({ decision: 'deny', code: 'price-tick-size' });
    expect(d.reason).toBe(
      'limit price ₹1,573.73 is not on the tick grid ₹0.10 of RELIANCE.NSE; use ₹1,573.70 or ₹1,573.80',
    );
    const sl = anEntry({ orderType: 'SL', triggerPricePaise: paise(157_305), stopLossPaise: paise(150_000) });
    expect(decide(sl).reason).toContain('trigger price ₹1,573.05');
  });

  it('denies limit or trigger prices outside the price band, and skips the check when the band is unknown', () => {
    const band = { lowerPaise: paise(160_000), upperPaise: paise(170_000) };
    const d = decide(anEntry(), { band });
    expect(d).toMatchObject({ decision: 'deny', code: 'price-band' });
    expect(d.reason).toContain("₹1,573.70 is outside today's price band ₹1,600.00–₹1,700.00 of RELIANCE.NSE");
    expect(decide(anEntry(), { band: { lowerPaise: paise(157_370), upperPaise: paise(157_370) } }).code).toBe(
      'ok',
    );
  });

  it('denies an entry without a stop-loss when required, and allows it when not', () => {
    const d = decide(anEntry({ stopLossPaise: null }));
    expect(d).toMatchObject({ decision: 'deny', code: 'stop-loss-required' });
    expect(d.reason).toContain('BUY 1 RELIANCE.NSE has no stop-loss');
    expect(decide(anEntry({ stopLossPaise: null }), {}, { requireStopLoss: false }).code).toBe('ok');
  });

  it('denies a stop on the wrong side of the reference price, or with no price to compare', () => {
    const buy = decide(anEntry({ stopLossPaise: paise(157_370) }));
    expect(buy).toMatchObject({ code: 'stop-loss-invalid' });
    expect(buy.reason).toContain(
      'stop-loss ₹1,573.70 of the BUY entry BUY 1 RELIANCE.NSE must be below its price ₹1,573.70',
    );
    const sell = decide(anEntry({ side: 'SELL', stopLossPaise: paise(150_000) }));
    expect(sell.reason).toContain('must be above its price ₹1,573.70');
    expect(decide(anEntry({ side: 'SELL', stopLossPaise: paise(160_000) })).code).toBe('ok');
    const market = anEntry({ orderType: 'MARKET', limitPricePaise: null });
    expect(decide(market).code).toBe('ok');
    expect(decide(market, { lastPricePaise: null }).reason).toContain('no limit, trigger or last price');
  });

  it('denies an entry above the max order value', () => {
    const d = decide(anEntry({ qty: 2 }), {}, { maxOrderValuePaise: paise(300_000) });
    expect(d).toMatchObject({ decision: 'deny', code: 'order-value' });
    expect(d.reason).toContain(
      'order value ₹3,147.40 of BUY 2 RELIANCE.NSE at ₹1,573.70 exceeds the max order value ₹3,000.00',
    );
    expect(decide(anEntry({ qty: 1 }), {}, { maxOrderValuePaise: paise(300_000) }).code).toBe('ok');
  });

  it('counts orders in the rolling second (now − 1000, now] against maxOrdersPerSecond', () => {
    const now = BUILDER_TS;
    const ten = Array.from({ length: 10 }, (_, i) => now - 999 + i);
    const d = decide(anEntry(), { recentOrderTimesMs: ten });
    expect(d).toMatchObject({ decision: 'deny', code: 'orders-per-second' });
    expect(d.reason).toContain(
      '10 orders were sent in the last second and this intent sends 1: the limit is 10',
    );
    expect(decide(anEntry(), { recentOrderTimesMs: ten.slice(1) }).code).toBe('ok');
    expect(decide(anEntry(), { recentOrderTimesMs: [now - 1000, ...ten.slice(1)] }).code).toBe('ok');
    expect(decide(anEntry(), { recentOrderTimesMs: ten.slice(5) }, { maxOrdersPerSecond: 5 }).code).toBe(
      'orders-per-second',
    );
  });

  it('denies an order past the max orders per day', () => {
    const d = decide(anEntry(), { ordersToday: 5 }, { maxOrdersPerDay: 5 });
    expect(d).toMatchObject({ decision: 'deny', code: 'orders-per-day' });
    expect(d.reason).toContain('5 orders were sent today and this intent sends 1: the limit is 5 per day');
    expect(decide(anEntry(), { ordersToday: 4 }, { maxOrdersPerDay: 5 }).code).toBe('ok');
  });

  it('denies an entry that opens more instruments than maxOpenPositions', () => {
    const infy = aPosition({ instrumentId: INFY });
    const d = decide(anEntry(), { positions: [infy] }, { maxOpenPositions: 1 });
    expect(d).toMatchObject({ decision: 'deny', code: 'max-open-positions' });
    expect(d.reason).toContain('RELIANCE.NSE would be open position 2; the limit is 1');
    const own = decide(anEntry(), { positions: [aPosition()] }, { maxOpenPositions: 1 });
    expect(own.code).toBe('ok');
    const working = decide(
      anEntry(),
      { openOrders: [anOpenOrder({ instrumentId: INFY })] },
      { maxOpenPositions: 1 },
    );
    expect(working.code).toBe('max-open-positions');
  });

  it('denies an entry whose instrument exposure (position + same-side working + this) exceeds the cap', () => {
    const snapshot = { positions: [aPosition()], openOrders: [anOpenOrder()] };
    const d = decide(anEntry(), snapshot, { maxInstrumentExposurePaise: paise(2_500_000) });
    expect(d).toMatchObject({ decision: 'deny', code: 'instrument-exposure' });
    expect(d.reason).toContain(
      'exposure to RELIANCE.NSE would be ₹25,179.20 (16 units) after this order, above the limit ₹25,000.00',
    );
    expect(decide(anEntry(), snapshot, { maxInstrumentExposurePaise: paise(2_517_920) }).code).toBe('ok');
  });

  it('denies an entry whose total exposure over all instruments exceeds the cap', () => {
    const infy = aPosition({
      instrumentId: INFY,
      netQty: -100,
      costBasisPaise: paise(-15_000_000),
      markPaise: paise(150_000),
      stopPaise: paise(150_500),
    });
    const d = decide(anEntry(), { positions: [infy] }, { maxTotalExposurePaise: paise(15_000_000) });
    expect(d).toMatchObject({ decision: 'deny', code: 'total-exposure' });
    expect(d.reason).toContain(
      'total exposure would be ₹1,51,573.70 after this order, above the limit ₹1,50,000.00',
    );
    expect(decide(anEntry(), { positions: [infy] }, { maxTotalExposurePaise: paise(15_157_370) }).code).toBe(
      'ok',
    );
  });

  it('allows an entry up to the daily loss cap and denies one past it, with the parts of the worst case', () => {
    expect(decide(anEntry(), { realisedPnlTodayPaise: paise(-997_630) }).code).toBe('ok');
    const d = decide(anEntry(), { realisedPnlTodayPaise: paise(-997_631) });
    expect(d).toMatchObject({ decision: 'deny', code: 'daily-loss-cap' });
    expect(d.reason).toBe(
      'worst-case loss ₹10,000.01 would exceed the daily loss cap ₹10,000.00 (realised -₹9,976.31, open positions at their stops ₹0.00, working entries ₹0.00, this order -₹23.70)',
    );
  });

  it('denies entries while a short without a stop leaves the worst case unbounded', () => {
    const short = aPosition({
      instrumentId: INFY,
      netQty: -10,
      costBasisPaise: paise(-1_500_000),
      stopPaise: null,
    });
    const d = decide(anEntry(), { positions: [short] });
    expect(d).toMatchObject({ decision: 'deny', code: 'daily-loss-cap' });
    expect(d.reason).toContain(
      'short position -10 of INFY.NSE (MIS) has no stop-loss: its loss is unbounded',
    );
  });

  it('denies an entry whose estimated margin exceeds the margin available, when it is known', () => {
    // MIS equity: 20 % of ₹1,573.70 = ₹314.74.
    const d = decide(anEntry(), { marginAvailablePaise: paise(31_473) });
    expect(d).toMatchObject({ decision: 'deny', code: 'margin' });
    expect(d.reason).toContain(
      'needs an estimated margin of ₹314.74 (MIS equity 20 % of value); ₹314.73 is available',
    );
    expect(decide(anEntry(), { marginAvailablePaise: paise(31_474) }).code).toBe('ok');
    const option = aNiftyOption();
    const sell = anEntry({
      instrumentId: option.id,
      side: 'SELL',
      qty: 65,
      product: 'NRML',
      limitPricePaise: paise(10_000),
      stopLossPaise: paise(12_000),
    });
    const snap = { instrument: option, lastPricePaise: paise(10_000) };
    expect(decide(sell, { ...snap, marginAvailablePaise: paise(100_000_000) }).reason).toContain(
      'option selling is unsupported while margin is checked',
    );
    expect(decide(sell, snap).code).toBe('ok');
  });
});

describe('RiskEngine.monitor', () => {
  const engine = new DefaultRiskEngine(someLimits());

  it('does nothing while realised + unrealised stays above −cap', () => {
    // Long 10 bought ₹15,000 marked ₹1,000.01 → −₹4,999.90; realised −₹5,000.00.
    const position = aPosition({ markPaise: paise(100_001) });
    expect(
      engine.monitor(aSnapshot({ positions: [position], realisedPnlTodayPaise: paise(-500_000) })),
    ).toEqual({
      action: 'none',
    });
  });

  it('flattens and halts at the cap, naming the P&L and the cap', () => {
    const position = aPosition({ markPaise: paise(100_000) });
    const action = engine.monitor(
      aSnapshot({ positions: [position], realisedPnlTodayPaise: paise(-500_000) }),
    );
    expect(action).toMatchObject({ action: 'flatten-and-halt', pnlPaise: -1_000_000 });
    expect(action.action === 'flatten-and-halt' && action.reason).toContain(
      '-₹10,000.00, at or beyond the cap of −₹10,000.00',
    );
  });

  it('decides the same from the summed day P&L (the per-tick path) as from a snapshot', () => {
    expect(engine.monitorPnl(paise(-999_999))).toEqual({ action: 'none' });
    expect(engine.monitorPnl(paise(-1_000_000))).toEqual(
      engine.monitor(aSnapshot({ positions: [], realisedPnlTodayPaise: paise(-1_000_000) })),
    );
    expect(engine.monitorPnl(paise(-1_000_000))).toMatchObject({ action: 'flatten-and-halt' });
  });

  it('ignores positions without a mark', () => {
    const position = aPosition({ markPaise: null });
    expect(
      engine.monitor(aSnapshot({ positions: [position], realisedPnlTodayPaise: paise(-999_999) })),
    ).toEqual({
      action: 'none',
    });
  });
});
