import { describe, expect, it } from 'vitest';
import {
  aFill,
  aNiftyFuture,
  anInstrument,
  BUILDER_TS,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseStrategyId,
  parseVenueTradeId,
  paise,
  TestClock,
  type Fill,
  type Instrument,
  type InstrumentId,
} from '@kitepilot/core';
import { chargeSegmentOf } from './charge-segment.ts';
import { DEFAULT_MARGIN_RATES_BPS } from './margin-rates.ts';
import { Portfolio, type PortfolioOptions } from './portfolio.ts';
import { cappedFeeModel, proportionalFeeModel } from './portfolio-test-kit.ts';

const DAY_MS = 86_400_000;
const ACC = parseAccountId('acc_test');
const RELIANCE = anInstrument();
const NIFTY = aNiftyFuture();
const instruments = new Map<InstrumentId, Instrument>([
  [RELIANCE.id, RELIANCE],
  [NIFTY.id, NIFTY],
]);

let seq = 0;
function fill(overrides: Partial<Fill>): Fill {
  seq += 1;
  return aFill({
    id: parseFillId(`fil_${seq}`),
    venueTradeId: parseVenueTradeId(`T${seq}`),
    ...overrides,
  });
}

function portfolio(options: Partial<PortfolioOptions> = {}, clock = new TestClock(BUILDER_TS)): Portfolio {
  return new Portfolio({
    accountId: ACC,
    clock,
    instrument: (id) => instruments.get(id) ?? null,
    ...options,
  });
}

describe('Portfolio', () => {
  it('keeps average cost, realised and unrealised P&L exact across partial fills', () => {
    const p = portfolio();
    p.applyFill(fill({ side: 'BUY', qty: 10, pricePaise: paise(10_000) }));
    p.applyFill(fill({ side: 'BUY', qty: 5, pricePaise: paise(10_300) }));
    expect(p.view(RELIANCE.id, 'MIS').averagePricePaise).toBe(10_100);
    const { position } = p.applyFill(fill({ side: 'SELL', qty: 8, pricePaise: paise(10_500) }));
    // cost 151 500 × 8/15 = 80 800 released; 8 × 10 500 − 80 800 = 3 200.
    expect(position.realisedPnlPaise).toBe(3200);
    expect(position.costBasisPaise).toBe(70_700);
    expect(p.unrealisedPnlPaise(RELIANCE.id, 'MIS')).toBeNull();
    p.mark(RELIANCE.id, paise(10_200));
    expect(p.unrealisedPnlPaise(RELIANCE.id, 'MIS')).toBe(7 * 10_200 - 70_700);
    expect(p.totalUnrealisedPnlPaise()).toBe(700);
    expect(p.realisedTodayPaise()).toBe(3200);
    expect(p.view(RELIANCE.id, 'MIS')).toEqual({
      instrumentId: RELIANCE.id,
      product: 'MIS',
      netQty: 7,
      averagePricePaise: 10_100,
      realisedPnlPaise: 3200,
      unrealisedPnlPaise: 700,
      stopPaise: null,
      openedBy: null,
    });
  });

  it('keeps the stop and the strategy that opened a position until it is flat; recovery can set them', () => {
    const p = portfolio();
    const a = parseStrategyId('str_a');
    p.applyFill(fill({ side: 'BUY', qty: 5 }), paise(9_800), a);
    expect(p.view(RELIANCE.id, 'MIS')).toMatchObject({ stopPaise: 9_800, openedBy: a });
    // Grown by another strategy: nobody owns it alone any more; the newer stop is kept.
    p.applyFill(fill({ side: 'BUY', qty: 5 }), paise(9_850), parseStrategyId('str_b'));
    expect(p.view(RELIANCE.id, 'MIS')).toMatchObject({ stopPaise: 9_850, openedBy: null });
    p.setOpenedBy(RELIANCE.id, 'MIS', a);
    expect(p.view(RELIANCE.id, 'MIS').openedBy).toBe(a);
    p.applyFill(fill({ side: 'SELL', qty: 10 }));
    expect(p.view(RELIANCE.id, 'MIS')).toMatchObject({ netQty: 0, stopPaise: null, openedBy: null });
  });

  it('keeps positions per instrument × product and reports a flat view for an unknown one', () => {
    const p = portfolio();
    p.applyFill(fill({ side: 'BUY', qty: 3, product: 'MIS' }));
    p.applyFill(fill({ side: 'BUY', qty: 2, product: 'CNC' }));
    expect(p.position(RELIANCE.id, 'MIS')?.netQty).toBe(3);
    expect(p.position(RELIANCE.id, 'CNC')?.netQty).toBe(2);
    expect(p.openPositions()).toHaveLength(2);
    expect(p.view(NIFTY.id, 'NRML')).toMatchObject({
      netQty: 0,
      averagePricePaise: null,
      unrealisedPnlPaise: null,
    });
    expect(p.hasOpenPosition(NIFTY.id)).toBe(false);
    expect(p.hasOpenPosition(RELIANCE.id)).toBe(true);
  });

  it('takes the stop of the intents that opened the position and clears it when flat', () => {
    const p = portfolio();
    p.applyFill(fill({ side: 'BUY', qty: 2 }), paise(150_000));
    expect(p.stopPaise(RELIANCE.id, 'MIS')).toBe(150_000);
    p.applyFill(fill({ side: 'BUY', qty: 1 }), null);
    expect(p.stopPaise(RELIANCE.id, 'MIS')).toBe(150_000);
    p.applyFill(fill({ side: 'BUY', qty: 1 }), paise(152_000));
    expect(p.stopPaise(RELIANCE.id, 'MIS')).toBe(152_000);
    p.applyFill(fill({ side: 'SELL', qty: 2 }), null);
    expect(p.stopPaise(RELIANCE.id, 'MIS')).toBe(152_000);
    p.applyFill(fill({ side: 'SELL', qty: 2 }), null);
    expect(p.stopPaise(RELIANCE.id, 'MIS')).toBeNull();
    expect(p.hasOpenPositions()).toBe(false);
    // A reversal opens the other side with the reversing intent's stop.
    p.applyFill(fill({ side: 'BUY', qty: 1 }), paise(150_000));
    p.applyFill(fill({ side: 'SELL', qty: 3 }), paise(160_000));
    expect(p.position(RELIANCE.id, 'MIS')?.netQty).toBe(-2);
    expect(p.stopPaise(RELIANCE.id, 'MIS')).toBe(160_000);
  });

  it('charges each fill the increase of its contract note so the charges sum to the note', () => {
    const fees = cappedFeeModel();
    const p = portfolio({ feeModel: fees });
    const o1 = parseClientOrderId('ord_1');
    const o2 = parseClientOrderId('ord_2');
    const charged = [
      p.applyFill(fill({ clientOrderId: o1, side: 'BUY', qty: 40, pricePaise: paise(157_370) })),
      p.applyFill(fill({ clientOrderId: o1, side: 'BUY', qty: 60, pricePaise: paise(157_380) })),
      p.applyFill(fill({ clientOrderId: o2, side: 'SELL', qty: 70, pricePaise: paise(158_015) })),
      p.applyFill(fill({ clientOrderId: o2, side: 'SELL', qty: 30, pricePaise: paise(158_020) })),
    ].map((r) => r.chargesPaise);
    const note = fees.charges({
      tradeDate: '2026-11-20',
      exchange: 'NSE',
      segment: 'equity-intraday',
      orders: [
        { instrumentId: RELIANCE.id, side: 'BUY', qty: 100, valuePaise: paise(40 * 157_370 + 60 * 157_380) },
        { instrumentId: RELIANCE.id, side: 'SELL', qty: 100, valuePaise: paise(70 * 158_015 + 30 * 158_020) },
      ],
    }).totalPaise;
    expect(charged.reduce((a, b) => a + b, 0)).toBe(note);
    // Brokerage is per executed order and capped at ₹20: the first fill costs 0.03 % (₹18.88), the second only
    // the rest up to the cap.
    expect(charged.slice(0, 2)).toEqual([1888, 112]);
    expect(p.chargesTodayPaise()).toBe(note);
    const realised = 70 * 158_015 + 30 * 158_020 - (40 * 157_370 + 60 * 157_380);
    expect(p.realisedTodayPaise()).toBe(realised);
    expect(p.realisedNetTodayPaise()).toBe(realised - note);
  });

  it('keeps one note per exchange × segment, with a simple proportional fee', () => {
    const p = portfolio({ feeModel: proportionalFeeModel(10) });
    const a = p.applyFill(fill({ side: 'BUY', qty: 3, pricePaise: paise(100_001) })).chargesPaise;
    const b = p.applyFill(
      fill({ side: 'BUY', qty: 1, pricePaise: paise(100_001), product: 'CNC' }),
    ).chargesPaise;
    const c = p.applyFill(
      fill({ instrumentId: NIFTY.id, side: 'SELL', qty: 65, pricePaise: paise(2_600_000), product: 'NRML' }),
    ).chargesPaise;
    // 10 bps of each note's turnover, rounded half-up: 300.003 → 300, 100.001 → 100, 169 000 exactly.
    expect([a, b, c]).toEqual([300, 100, 169_000]);
    expect(p.chargesTodayPaise()).toBe(169_400);
  });

  it('restarts realised and charges at the IST day change while positions carry over', () => {
    const clock = new TestClock(BUILDER_TS);
    const p = portfolio({ feeModel: proportionalFeeModel(10) }, clock);
    p.applyFill(fill({ side: 'BUY', qty: 10, pricePaise: paise(10_000), product: 'CNC' }));
    p.applyFill(fill({ side: 'SELL', qty: 4, pricePaise: paise(11_000), product: 'CNC' }));
    expect(p.realisedTodayPaise()).toBe(4000);
    expect(p.chargesTodayPaise()).toBe(144);
    clock.advanceBy(DAY_MS);
    expect(p.realisedTodayPaise()).toBe(0);
    expect(p.chargesTodayPaise()).toBe(0);
    expect(p.position(RELIANCE.id, 'CNC')?.netQty).toBe(6);
    const day2 = BUILDER_TS + DAY_MS;
    const { chargesPaise } = p.applyFill(
      fill({ side: 'SELL', qty: 6, pricePaise: paise(9000), product: 'CNC', tsEvent: day2, tsInit: day2 }),
    );
    expect(chargesPaise).toBe(54);
    expect(p.realisedTodayPaise()).toBe(-6000);
    expect(p.realisedNetTodayPaise()).toBe(-6054);
    expect(p.position(RELIANCE.id, 'CNC')?.realisedPnlPaise).toBe(-2000);
  });

  it('measures exposure at the mark (else the cost) and paper margin with documented rates', () => {
    const p = portfolio({ startingCashPaise: paise(10_000_000) });
    p.applyFill(fill({ side: 'BUY', qty: 10, pricePaise: paise(10_000) }));
    p.applyFill(
      fill({ instrumentId: NIFTY.id, side: 'SELL', qty: 65, pricePaise: paise(2_600_000), product: 'NRML' }),
    );
    expect(p.exposurePaise(RELIANCE.id)).toBe(100_000);
    p.mark(RELIANCE.id, paise(9000));
    p.mark(NIFTY.id, paise(2_600_000));
    expect(p.exposurePaise(RELIANCE.id)).toBe(90_000);
    expect(p.totalExposurePaise()).toBe(90_000 + 65 * 2_600_000);
    const used =
      Math.ceil((90_000 * DEFAULT_MARGIN_RATES_BPS.MIS) / 10_000) + (65 * 2_600_000 * 2000) / 10_000;
    expect(p.marginUsedPaise()).toBe(used);
    // Unrealised loss of 10 000 on RELIANCE reduces what is available; the flat short gains nothing.
    expect(p.marginAvailablePaise()).toBe(10_000_000 - 10_000 - used);
    expect(portfolio().marginAvailablePaise()).toBeNull();
  });

  it('rebuilds realised today and charges from stored positions and today’s fills', () => {
    const clock = new TestClock(BUILDER_TS);
    const fees = proportionalFeeModel(7);
    const live = portfolio({ feeModel: fees }, clock);
    const fills = [
      fill({ clientOrderId: parseClientOrderId('ord_1'), side: 'BUY', qty: 7, pricePaise: paise(10_003) }),
      fill({ clientOrderId: parseClientOrderId('ord_2'), side: 'SELL', qty: 3, pricePaise: paise(10_111) }),
      fill({ clientOrderId: parseClientOrderId('ord_3'), side: 'SELL', qty: 4, pricePaise: paise(9_990) }),
      fill({ clientOrderId: parseClientOrderId('ord_4'), side: 'SELL', qty: 2, pricePaise: paise(9_950) }),
    ];
    for (const f of fills) live.applyFill(f);
    const restored = portfolio({ feeModel: fees }, clock);
    expect(restored.restore(live.positions(), fills)).toEqual([]);
    expect(restored.realisedTodayPaise()).toBe(live.realisedTodayPaise());
    expect(restored.chargesTodayPaise()).toBe(live.chargesTodayPaise());
    expect(restored.position(RELIANCE.id, 'MIS')).toEqual(live.position(RELIANCE.id, 'MIS'));
  });

  it('rebuilds a position whose fills were stored but whose position row was not', () => {
    const p = portfolio();
    const fills = [fill({ side: 'BUY', qty: 5, pricePaise: paise(10_000) })];
    p.restore([], fills);
    expect(p.position(RELIANCE.id, 'MIS')?.netQty).toBe(5);
    expect(p.hasOpenPositions()).toBe(true);
  });

  it('refuses a fill of another account', () => {
    expect(() => portfolio().applyFill(fill({ accountId: parseAccountId('acc_other') }))).toThrow(
      /acc_other/,
    );
  });
});

describe('chargeSegmentOf', () => {
  it('maps instrument type and product to the contract-note segment', () => {
    expect(chargeSegmentOf(RELIANCE, 'MIS')).toBe('equity-intraday');
    expect(chargeSegmentOf(RELIANCE, 'CNC')).toBe('equity-delivery');
    expect(chargeSegmentOf(NIFTY, 'NRML')).toBe('futures');
    expect(chargeSegmentOf(NIFTY, 'MIS')).toBe('futures');
    expect(
      chargeSegmentOf(aNiftyFuture({ type: 'PE', tradingSymbol: 'X', strikePaise: paise(100) }), 'MIS'),
    ).toBe('options');
  });
});
