import { aNiftyFuture, BUILDER_TS, istToEpochMs, paise } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { classifyIntent } from './intent-classification.ts';
import { aPosition, aSnapshot, anEntry, decide, RELIANCE } from './risk-test-support.ts';

const LONG_10 = aPosition();
/** A snapshot in which every entry-only gate would deny: halted, after the window, loss cap already used. */
const HOSTILE = {
  positions: [LONG_10],
  haltedReason: 'halted by the owner',
  nowMs: istToEpochMs('2026-11-20', '15:15'),
  realisedPnlTodayPaise: paise(-5_000_000),
  marginAvailablePaise: paise(0),
};
const FUT = aNiftyFuture({ lotSize: 75 });

describe('RiskEngine origins', () => {
  it('classifies reducing orders as exits and reversals as entries for the part beyond zero', () => {
    const snap = aSnapshot({ positions: [LONG_10] });
    expect(classifyIntent(anEntry({ side: 'SELL', qty: 10 }), snap)).toEqual({
      kind: 'exit',
      netQtyBefore: 10,
      exitQty: 10,
      entryQty: 0,
    });
    expect(classifyIntent(anEntry({ side: 'SELL', qty: 15 }), snap)).toMatchObject({
      kind: 'entry',
      exitQty: 10,
      entryQty: 5,
    });
    expect(classifyIntent(anEntry({ side: 'BUY', qty: 3 }), snap)).toMatchObject({
      kind: 'entry',
      entryQty: 3,
    });
    const cnc = anEntry({ side: 'SELL', qty: 3, product: 'CNC' });
    expect(classifyIntent(cnc, snap)).toMatchObject({ kind: 'entry', netQtyBefore: 0 });
  });

  it('lets a strategy exit pass halt, window, stop-loss, exposure, positions, loss cap and margin', () => {
    const exit = anEntry({ side: 'SELL', qty: 10, stopLossPaise: null });
    const d = decide(exit, HOSTILE, {
      maxOpenPositions: 1,
      maxInstrumentExposurePaise: paise(1),
      maxTotalExposurePaise: paise(1),
      blocklist: [RELIANCE],
      maxOrderValuePaise: paise(1),
    });
    expect(d).toMatchObject({ decision: 'allow', code: 'ok' });
    expect(d.reason).toBe('allowed exit SELL 10 RELIANCE.NSE');
  });

  it('still denies a strategy exit at the kill switch, the lot size and the rate limits', () => {
    const exit = anEntry({ side: 'SELL', qty: 10, stopLossPaise: null });
    expect(decide(exit, { ...HOSTILE, killSwitch: true }).code).toBe('kill-switch');
    const ten = Array.from({ length: 10 }, () => BUILDER_TS);
    expect(decide(exit, { positions: [LONG_10], recentOrderTimesMs: ten }).code).toBe('orders-per-second');
    expect(decide(exit, { positions: [LONG_10], ordersToday: 3 }, { maxOrdersPerDay: 3 }).code).toBe(
      'orders-per-day',
    );
    const futExit = anEntry({
      instrumentId: FUT.id,
      side: 'SELL',
      qty: 70,
      limitPricePaise: paise(2_600_000),
    });
    const futPosition = aPosition({ instrumentId: FUT.id, netQty: 150, costBasisPaise: paise(390_000_000) });
    expect(decide(futExit, { instrument: FUT, positions: [futPosition] }).code).toBe('quantity-lot-size');
  });

  it('treats a reversal as an entry: it needs a stop and counts only the part beyond zero against the cap', () => {
    const reversal = anEntry({ side: 'SELL', qty: 15, stopLossPaise: null });
    expect(decide(reversal, { positions: [LONG_10] }).code).toBe('stop-loss-required');
    const stopped = anEntry({ side: 'SELL', qty: 15, stopLossPaise: paise(160_000) });
    const d = decide(stopped, { positions: [LONG_10] });
    expect(d.code).toBe('ok');
    // 5 units short from ₹1,573.70 to ₹1,600.00 = ₹131.50.
    expect(d.inputs).toMatchObject({ worstCase: { newEntryPaise: -13_150 } });
    expect(decide(stopped, { ...HOSTILE }).code).toBe('trading-halted');
  });

  it('lets a system order skip the kill switch, halt, window, stop-loss, rates, exposure, positions, cap and margin', () => {
    const flatten = anEntry({
      side: 'SELL',
      qty: 10,
      orderType: 'MARKET',
      limitPricePaise: null,
      stopLossPaise: null,
    });
    const ten = Array.from({ length: 10 }, () => BUILDER_TS);
    const d = decide(
      flatten,
      {
        ...HOSTILE,
        origin: 'system',
        killSwitch: true,
        tradingDay: false,
        recentOrderTimesMs: ten,
        ordersToday: 9,
        lastPricePaise: null,
      },
      { maxOrdersPerDay: 1, blocklist: [RELIANCE] },
    );
    expect(d).toMatchObject({ decision: 'allow', code: 'ok' });
    expect(d.reason).toBe('allowed system order SELL 10 RELIANCE.NSE');
  });

  it('still denies a system order for an unknown instrument, a bad lot, an off-tick or out-of-band price', () => {
    const system = { origin: 'system' as const, positions: [LONG_10] };
    const exit = anEntry({ side: 'SELL', qty: 10, stopLossPaise: null });
    expect(decide(exit, { ...system, instrument: null }).code).toBe('instrument-unknown');
    expect(decide(anEntry({ side: 'SELL', qty: 10, limitPricePaise: paise(157_375) }), system).code).toBe(
      'price-tick-size',
    );
    const band = { lowerPaise: paise(158_000), upperPaise: paise(170_000) };
    expect(decide(exit, { ...system, band }).code).toBe('price-band');
    const futExit = anEntry({
      instrumentId: FUT.id,
      side: 'SELL',
      qty: 70,
      limitPricePaise: paise(2_600_000),
    });
    expect(decide(futExit, { ...system, instrument: FUT }).code).toBe('quantity-lot-size');
  });
});

describe('RiskEngine freeze quantity', () => {
  const buy = (qty: number) =>
    anEntry({
      instrumentId: FUT.id,
      qty,
      product: 'NRML',
      limitPricePaise: paise(2_600_000),
      stopLossPaise: paise(2_599_990),
    });
  const snap = { instrument: FUT, lastPricePaise: paise(2_600_000) };

  it('slices a quantity above the freeze quantity into lot multiples within it, largest first', () => {
    const d = decide(buy(4500), snap);
    expect(d).toMatchObject({ decision: 'allow', code: 'ok', slices: [1800, 1800, 900] });
    expect(d.reason).toContain('sent as 3 orders of 1800, 1800, 900');
    expect(d.inputs).toMatchObject({ counters: { orderCount: 3 } });
    expect(decide(buy(1800), snap).slices).toBeNull();
  });

  it('rounds the slice down to whole lots when the freeze is not a lot multiple (lot 65, freeze 1,800)', () => {
    const fut65 = aNiftyFuture();
    const intent = anEntry({
      instrumentId: fut65.id,
      qty: 3900,
      product: 'NRML',
      limitPricePaise: paise(2_600_000),
      stopLossPaise: paise(2_599_990),
    });
    expect(decide(intent, { instrument: fut65 }).slices).toEqual([1755, 1755, 390]);
  });

  it('counts the slices against the per-second and per-day limits', () => {
    expect(
      decide(buy(4500), { ...snap, recentOrderTimesMs: Array.from({ length: 8 }, () => BUILDER_TS) }).code,
    ).toBe('orders-per-second');
    const d = decide(buy(4500), { ...snap, ordersToday: 8 }, { maxOrdersPerDay: 10 });
    expect(d.reason).toContain('8 orders were sent today and this intent sends 3: the limit is 10 per day');
  });

  it('denies above the freeze quantity under the deny policy, naming the largest order', () => {
    const d = decide(buy(4500), snap, { freezeQtyPolicy: 'deny' });
    expect(d).toMatchObject({ decision: 'deny', code: 'freeze-quantity', slices: null });
    expect(d.reason).toContain(
      'quantity 4500 exceeds the freeze quantity 1800 of NIFTY26NOVFUT.NFO: send at most 1800 per order',
    );
  });

  it('slices a system order whatever the policy, so a flatten is never refused for its size', () => {
    const position = aPosition({
      instrumentId: FUT.id,
      product: 'NRML',
      netQty: 4500,
      costBasisPaise: paise(11_700_000_000),
    });
    const flatten = anEntry({
      instrumentId: FUT.id,
      side: 'SELL',
      qty: 4500,
      product: 'NRML',
      orderType: 'MARKET',
      limitPricePaise: null,
      stopLossPaise: null,
    });
    const d = decide(
      flatten,
      { ...snap, origin: 'system', positions: [position] },
      { freezeQtyPolicy: 'deny' },
    );
    expect(d).toMatchObject({ decision: 'allow', slices: [1800, 1800, 900] });
  });

  it('denies a quantity that would need more than 100 orders', () => {
    const d = decide(buy(75 * 24 * 100 + 75), snap);
    expect(d).toMatchObject({ code: 'freeze-quantity' });
    expect(d.reason).toContain('would need 101 orders of at most 1800');
  });
});
