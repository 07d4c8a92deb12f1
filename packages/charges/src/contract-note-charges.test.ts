// Worked examples computed by hand (the arithmetic is in the comments), one or more per segment on NSE and BSE,
// across the 1 Mar 2026 (IPFT folded into the transaction charge) and 1 Apr 2026 (STT) rate changes.
import {
  asInstrumentId,
  paise,
  rupeesToPaise,
  type ChargeSegment,
  type Exchange,
  type ExecutedOrder,
  type Side,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { ChargesDateError, ChargesInputError } from './charges-errors.ts';
import { contractNoteCharges, type ContractNote, type OptionExercise } from './contract-note-charges.ts';
import { executedOrder } from './executed-order.ts';
import type { ChargeOptions } from './charge-options.ts';
import { ZERODHA_RATE_TABLES } from './zerodha-rate-tables.ts';

/** One executed order of `qty` at `priceRupees` in a single fill. */
function order(id: string, side: Side, qty: number, priceRupees: string): ExecutedOrder {
  return executedOrder(asInstrumentId(id), side, [{ qty, pricePaise: rupeesToPaise(priceRupees) }]);
}

function charges(
  segment: ChargeSegment,
  exchange: Exchange,
  tradeDate: string,
  orders: readonly ExecutedOrder[],
  options: Partial<ChargeOptions> = {},
  exercises?: readonly OptionExercise[],
) {
  const note: ContractNote = { segment, exchange, tradeDate, orders, ...(exercises ? { exercises } : {}) };
  return contractNoteCharges(note, ZERODHA_RATE_TABLES, options);
}

/** The seven components and the total, in paise, for compact comparison. */
function components(c: ReturnType<typeof charges>) {
  return {
    brokerage: c.brokeragePaise,
    stt: c.sttPaise,
    exchange: c.exchangePaise,
    sebi: c.sebiPaise,
    stamp: c.stampPaise,
    gst: c.gstPaise,
    dp: c.dpPaise,
    total: c.totalPaise,
  };
}

describe('contractNoteCharges', () => {
  describe('equity intraday', () => {
    // Buy 100 @ ₹1,000, sell 100 @ ₹1,010: B = ₹1,00,000, S = ₹1,01,000, T = ₹2,01,000.
    const trip = [order('INFY.NSE', 'BUY', 100, '1000'), order('INFY.NSE', 'SELL', 100, '1010')];
    // brokerage: min(20, 0.03 % × 1,00,000 = 30) + min(20, 30.30) = ₹40.00
    // STT: 0.025 % × 1,01,000 = 25.25 → ₹25
    // exchange: 0.00307 % × 2,01,000 = 6.1707 → ₹6.17
    // SEBI: 0.0001 % × 2,01,000 = 0.201 → ₹0.20
    // stamp: 0.003 % × 1,00,000 = ₹3.00
    // GST: 18 % × (40 + 6.17 + 0.20) = 8.3466 → ₹8.35
    // total: 40 + 25 + 6.17 + 0.20 + 3.00 + 8.35 = ₹82.72
    const nse = {
      brokerage: 4000,
      stt: 2500,
      exchange: 617,
      sebi: 20,
      stamp: 300,
      gst: 835,
      dp: 0,
      total: 8272,
    };

    it('charges an NSE round trip after 1 Mar 2026 by the §1.3 formulas', () => {
      const c = charges('equity-intraday', 'NSE', '2026-11-20', trip);
      expect(components(c)).toEqual(nse);
      expect(c.rateTableId).toBe('nse-equity-intraday-2026-03-01');
      expect(c.effectiveFrom).toBe('2026-03-01');
    });

    it('gives the same NSE all-in total before 1 Mar 2026 (0.00297 % + IPFT 0.0001 %)', () => {
      // exchange: 0.00297 % × 2,01,000 = 5.9697 plus IPFT 0.0001 % × 2,01,000 = 0.201 → 6.1707 → ₹6.17
      const c = charges('equity-intraday', 'NSE', '2025-11-20', trip);
      expect(components(c)).toEqual(nse);
      expect(c.rateTableId).toBe('nse-equity-intraday-2024-10-01');
    });

    it('charges a BSE round trip at 0.00375 %', () => {
      // exchange: 0.00375 % × 2,01,000 = 7.5375 → ₹7.54; GST: 18 % × (40 + 7.54 + 0.20) = 8.5932 → ₹8.59
      // total: 40 + 25 + 7.54 + 0.20 + 3.00 + 8.59 = ₹84.33
      const c = charges('equity-intraday', 'BSE', '2026-11-20', [
        order('INFY.BSE', 'BUY', 100, '1000'),
        order('INFY.BSE', 'SELL', 100, '1010'),
      ]);
      expect(components(c)).toEqual({ ...nse, exchange: 754, gst: 859, total: 8433 });
      expect(c.rateTableId).toBe('bse-equity-intraday-2024-10-01');
    });
  });

  describe('equity delivery', () => {
    // Buy 10 @ ₹2,500 (B = ₹25,000) on one day; sell 10 @ ₹2,600 (S = ₹26,000) on the next.
    const buy = [order('TCS.NSE', 'BUY', 10, '2500')];
    const sell = [order('TCS.NSE', 'SELL', 10, '2600')];

    it('charges the buy note: token brokerage, STT on the buy, stamp, and a half-paisa SEBI fee rounded up', () => {
      // brokerage ₹0.01 per note; STT 0.1 % × 25,000 = ₹25.00; exchange 0.00307 % × 25,000 = 0.7675 → ₹0.77
      // SEBI 0.0001 % × 25,000 = 0.025 = 2.5 paise → 3 paise (half-up); stamp 0.015 % × 25,000 = ₹3.75
      // GST 18 % × (1 + 77 + 3 paise) = 14.58 → 15 paise; total 1 + 2500 + 77 + 3 + 375 + 15 = 2971 paise
      const c = charges('equity-delivery', 'NSE', '2026-11-19', buy);
      expect(components(c)).toEqual({
        brokerage: 1,
        stt: 2500,
        exchange: 77,
        sebi: 3,
        stamp: 375,
        gst: 15,
        dp: 0,
        total: 2971,
      });
    });

    it('charges the sell note with the DP charge of ₹15.34 for the scrip sold', () => {
      // STT 0.1 % × 26,000 = ₹26; exchange 0.00307 % × 26,000 = 0.7982 → ₹0.80; SEBI 0.026 → 3 paise
      // GST 18 % × (1 + 80 + 3) = 15.12 → 15 paise; DP ₹15.34; total 1 + 2600 + 80 + 3 + 0 + 15 + 1534 = 4233
      const c = charges('equity-delivery', 'NSE', '2026-11-20', sell);
      expect(components(c)).toEqual({
        brokerage: 1,
        stt: 2600,
        exchange: 80,
        sebi: 3,
        stamp: 0,
        gst: 15,
        dp: 1534,
        total: 4233,
      });
    });

    it('charges DP once per scrip sold, however many sell orders, and ₹15.05 for a woman first holder', () => {
      const orders = [...sell, order('TCS.NSE', 'SELL', 1, '2600'), order('INFY.NSE', 'SELL', 1, '1500')];
      expect(charges('equity-delivery', 'NSE', '2026-11-20', orders).dpPaise).toBe(2 * 1534);
      expect(
        charges('equity-delivery', 'NSE', '2026-11-20', orders, { firstHolderWoman: true }).dpPaise,
      ).toBe(2 * 1505);
      expect(charges('equity-delivery', 'NSE', '2026-11-19', buy).dpPaise).toBe(0);
    });

    it('rounds BSE delivery exchange charges half-up at an exact half paisa', () => {
      // exchange 0.00375 % × 26,000 = 0.975 = 97.5 paise → 98; GST 18 % × (1 + 98 + 3) = 18.36 → 18 paise
      // total 1 + 2600 + 98 + 3 + 0 + 18 + 1534 = 4254 paise
      const c = charges('equity-delivery', 'BSE', '2026-11-20', [order('TCS.BSE', 'SELL', 10, '2600')]);
      expect(components(c)).toEqual({
        brokerage: 1,
        stt: 2600,
        exchange: 98,
        sebi: 3,
        stamp: 0,
        gst: 18,
        dp: 1534,
        total: 4254,
      });
    });

    it('rounds delivery stamp duty to the rupee when so configured', () => {
      // stamp 0.015 % × 25,000 = 3.75 → ₹4; total 2971 − 375 + 400 = 2996
      const c = charges('equity-delivery', 'NSE', '2026-11-19', buy, { deliveryStampRounding: 'rupee' });
      expect(c.stampPaise).toBe(400);
      expect(c.totalPaise).toBe(2996);
    });

    it('rounds half-paisa ties to even when so configured', () => {
      // SEBI 2.5 paise → 2 (even); GST 18 % × (1 + 77 + 2) = 14.4 → 14; total 1 + 2500 + 77 + 2 + 375 + 14 = 2969
      const c = charges('equity-delivery', 'NSE', '2026-11-19', buy, { paisaTies: 'half-even' });
      expect(components(c)).toEqual({
        brokerage: 1,
        stt: 2500,
        exchange: 77,
        sebi: 2,
        stamp: 375,
        gst: 14,
        dp: 0,
        total: 2969,
      });
    });
  });

  describe('futures', () => {
    // NIFTY future, 65 units: buy @ ₹24,000 (B = ₹15,60,000), sell @ ₹24,100 (S = ₹15,66,500), T = ₹31,26,500.
    const trip = [
      order('NIFTY26NOVFUT.NFO', 'BUY', 65, '24000'),
      order('NIFTY26NOVFUT.NFO', 'SELL', 65, '24100'),
    ];
    // brokerage: 0.03 % × 15,60,000 = 468 → ₹20, twice = ₹40
    // exchange: 0.00183 % × 31,26,500 = 57.21495 → ₹57.21; SEBI: 0.0001 % × 31,26,500 = 3.1265 → ₹3.13
    // stamp: 0.002 % × 15,60,000 = ₹31.20; GST: 18 % × (40 + 57.21 + 3.13) = 18.0612 → ₹18.06
    // STT before 1 Apr 2026: 0.02 % × 15,66,500 = 313.30 → ₹313; total 40 + 313 + 57.21 + 3.13 + 31.20 + 18.06 = ₹462.60
    const before = {
      brokerage: 4000,
      stt: 31300,
      exchange: 5721,
      sebi: 313,
      stamp: 3120,
      gst: 1806,
      dp: 0,
      total: 46260,
    };

    it('charges NSE futures before 1 Mar 2026 with IPFT inside the exchange charge', () => {
      // exchange: 0.00173 % × 31,26,500 = 54.08845 plus IPFT 0.0001 % × 31,26,500 = 3.1265 → 57.21495 → ₹57.21
      const c = charges('futures', 'NFO', '2026-02-20', trip);
      expect(components(c)).toEqual(before);
      expect(c.rateTableId).toBe('nse-futures-2024-10-01');
    });

    it('charges NSE futures in March 2026 with the same all-in exchange charge', () => {
      const c = charges('futures', 'NFO', '2026-03-20', trip);
      expect(components(c)).toEqual(before);
      expect(c.rateTableId).toBe('nse-futures-2026-03-01');
    });

    it('charges STT at 0.05 % from 1 Apr 2026', () => {
      // STT: 0.05 % × 15,66,500 = 783.25 → ₹783; total 462.60 − 313 + 783 = ₹932.60
      const c = charges('futures', 'NFO', '2026-04-20', trip);
      expect(components(c)).toEqual({ ...before, stt: 78300, total: 93260 });
      expect(c.rateTableId).toBe('nse-futures-2026-04-01');
    });

    it('charges no exchange fee on BSE futures', () => {
      // GST: 18 % × (40 + 0 + 3.13) = 7.7634 → ₹7.76; total 40 + 783 + 0 + 3.13 + 31.20 + 7.76 = ₹865.09
      const c = charges('futures', 'BFO', '2026-04-20', [
        order('SENSEX26NOVFUT.BFO', 'BUY', 65, '24000'),
        order('SENSEX26NOVFUT.BFO', 'SELL', 65, '24100'),
      ]);
      expect(components(c)).toEqual({ ...before, stt: 78300, exchange: 0, gst: 776, total: 86509 });
    });
  });

  describe('options', () => {
    // NIFTY call, 65 units: buy premium ₹100 (B = ₹6,500), sell ₹120 (S = ₹7,800), T = ₹14,300.
    const trip = [
      order('NIFTY26NOV24000CE.NFO', 'BUY', 65, '100'),
      order('NIFTY26NOV24000CE.NFO', 'SELL', 65, '120'),
    ];
    // brokerage: ₹20 flat × 2 orders = ₹40; exchange: 0.03553 % × 14,300 = 5.08079 → ₹5.08
    // SEBI: 0.0001 % × 14,300 = 0.0143 → ₹0.01; stamp: 0.003 % × 6,500 = 0.195 = 19.5 paise → ₹0.20
    // GST: 18 % × (40 + 5.08 + 0.01) = 8.1162 → ₹8.12
    // STT before 1 Apr 2026: 0.1 % × 7,800 = 7.80 → ₹8; total 40 + 8 + 5.08 + 0.01 + 0.20 + 8.12 = ₹61.41
    const before = {
      brokerage: 4000,
      stt: 800,
      exchange: 508,
      sebi: 1,
      stamp: 20,
      gst: 812,
      dp: 0,
      total: 6141,
    };

    it('charges NSE options on premium before 1 Mar 2026 (0.03503 % + IPFT 0.0005 %)', () => {
      // exchange: 0.03503 % × 14,300 = 5.00929 plus 0.0005 % × 14,300 = 0.0715 → 5.08079 → ₹5.08
      expect(components(charges('options', 'NFO', '2026-02-20', trip))).toEqual(before);
    });

    it('charges NSE options the same in March 2026 (₹3,552 + ₹1 per crore)', () => {
      expect(components(charges('options', 'NFO', '2026-03-20', trip))).toEqual(before);
    });

    it('charges STT at 0.15 % of the sell premium from 1 Apr 2026', () => {
      // STT: 0.15 % × 7,800 = 11.70 → ₹12; total 61.41 − 8 + 12 = ₹65.41
      expect(components(charges('options', 'NFO', '2026-04-20', trip))).toEqual({
        ...before,
        stt: 1200,
        total: 6541,
      });
    });

    it('adds STT on the intrinsic value of an exercised long option, before and after 1 Apr 2026', () => {
      // intrinsic ₹50 × 65 = ₹3,250. Before: 0.125 % × 3,250 = 4.0625 → ₹4. After: 0.15 % × 3,250 = 4.875 → ₹5
      const exercise = [
        { instrumentId: asInstrumentId('NIFTY26NOV24000CE.NFO'), intrinsicValuePaise: paise(325000) },
      ];
      expect(charges('options', 'NFO', '2026-03-20', [], {}, exercise).sttPaise).toBe(400);
      const after = charges('options', 'NFO', '2026-04-20', [], {}, exercise);
      expect(components(after)).toEqual({
        brokerage: 0,
        stt: 500,
        exchange: 0,
        sebi: 0,
        stamp: 0,
        gst: 0,
        dp: 0,
        total: 500,
      });
      // With the day's sale of the same scrip: 11.70 + 4.875 = 16.575 → ₹17 (one rounding per scrip).
      expect(charges('options', 'NFO', '2026-04-20', trip, {}, exercise).sttPaise).toBe(1700);
    });

    it('charges BSE Sensex options at 0.0325 % and stock options at 0.005 % of premium', () => {
      // 20 units: buy ₹200 (B = ₹4,000), sell ₹250 (S = ₹5,000), T = ₹9,000, on 20 Apr 2026.
      // STT: 0.15 % × 5,000 = 7.50 → ₹8; SEBI: 0.009 → ₹0.01; stamp: 0.003 % × 4,000 = ₹0.12
      // Sensex: exchange 0.0325 % × 9,000 = 2.925 → ₹2.93; GST 18 % × (40 + 2.93 + 0.01) = 7.7292 → ₹7.73
      //   total 40 + 8 + 2.93 + 0.01 + 0.12 + 7.73 = ₹58.79
      // Stock option: exchange 0.005 % × 9,000 = ₹0.45; GST 18 % × 40.46 = 7.2828 → ₹7.28
      //   total 40 + 8 + 0.45 + 0.01 + 0.12 + 7.28 = ₹55.86
      const sensex = 'SENSEX26NOV80000CE.BFO';
      const stock = 'RELIANCE26NOV1500CE.BFO';
      const of = (id: string) => [order(id, 'BUY', 20, '200'), order(id, 'SELL', 20, '250')];
      const base = { brokerage: 4000, stt: 800, sebi: 1, stamp: 12, dp: 0 };
      expect(components(charges('options', 'BFO', '2026-04-20', of(sensex)))).toEqual({
        ...base,
        exchange: 293,
        gst: 773,
        total: 5879,
      });
      expect(components(charges('options', 'BFO', '2026-04-20', of(stock)))).toEqual({
        ...base,
        exchange: 45,
        gst: 728,
        total: 5586,
      });
      expect(charges('options', 'BFO', '2026-04-20', of('SENSEX5026NOV25000CE.BFO')).exchangePaise).toBe(45);
    });
  });

  describe('brokerage', () => {
    const one = (valuePaise: number) =>
      charges('equity-intraday', 'NSE', '2026-11-20', [
        { instrumentId: asInstrumentId('INFY.NSE'), side: 'BUY', qty: 1, valuePaise: paise(valuePaise) },
      ]).brokeragePaise;

    it('reaches the ₹20 cap at an order value of ₹66,666.67', () => {
      // 0.03 % × 66,666.67 = 20.000001 → ₹20.00; 0.03 % × 66,650.00 = 19.995 → ₹20.00 (half-up)
      // 0.03 % × 66,649.99 = 19.994997 → ₹19.99; 0.03 % × 1,00,000 = 30 → capped at ₹20; 0.03 % × 100 = ₹0.03
      expect(one(6666667)).toBe(2000);
      expect(one(6665000)).toBe(2000);
      expect(one(6664999)).toBe(1999);
      expect(one(10000000)).toBe(2000);
      expect(one(10000)).toBe(3);
    });

    it('charges one order filled in many trades once', () => {
      // 1,000 @ ₹100 = ₹1,00,000 in ten fills of 100: one order → min(20, 30) = ₹20.
      // The same quantity as ten orders of ₹10,000: 10 × 0.03 % × 10,000 = 10 × ₹3 = ₹30.
      const id = asInstrumentId('INFY.NSE');
      const fills = Array.from({ length: 10 }, () => ({ qty: 100, pricePaise: paise(10000) }));
      const oneOrder = charges('equity-intraday', 'NSE', '2026-11-20', [executedOrder(id, 'BUY', fills)]);
      const tenOrders = charges(
        'equity-intraday',
        'NSE',
        '2026-11-20',
        fills.map((f) => executedOrder(id, 'BUY', [f])),
      );
      expect(oneOrder.brokeragePaise).toBe(2000);
      expect(tenOrders.brokeragePaise).toBe(3000);
    });
  });

  describe('STT rounding', () => {
    const sellOnly = (rupees: string, options: Partial<ChargeOptions> = {}) =>
      charges('equity-intraday', 'NSE', '2026-11-20', [order('INFY.NSE', 'SELL', 1, rupees)], options)
        .sttPaise;

    it('rounds ₹x.49 down and ₹x.50 up to the rupee', () => {
      // 0.025 % × 1,01,960 = 25.49 → ₹25; 0.025 % × 1,02,000 = 25.50 → ₹26
      expect(sellOnly('101960')).toBe(2500);
      expect(sellOnly('102000')).toBe(2600);
    });

    it('rounds per scrip by default and once per contract note when so configured', () => {
      // two scrips each sold for ₹1,01,600: 0.025 % × 1,01,600 = 25.40 each.
      // per scrip: ₹25 + ₹25 = ₹50; per note: 50.80 → ₹51
      const orders = [order('INFY.NSE', 'SELL', 1, '101600'), order('TCS.NSE', 'SELL', 1, '101600')];
      expect(charges('equity-intraday', 'NSE', '2026-11-20', orders).sttPaise).toBe(5000);
      expect(
        charges('equity-intraday', 'NSE', '2026-11-20', orders, { sttAggregation: 'contract-note' }).sttPaise,
      ).toBe(5100);
    });
  });

  describe('errors', () => {
    it('refuses a trade date before the first rate table', () => {
      expect(() =>
        charges('equity-intraday', 'NSE', '2024-09-30', [order('INFY.NSE', 'BUY', 1, '100')]),
      ).toThrow(
        new ChargesDateError(
          'trade date 2024-09-30 is before the first NSE equity-intraday rate table ' +
            '(nse-equity-intraday-2024-10-01, effective 2024-10-01); charges before that date are not modelled',
        ),
      );
    });

    it('refuses an equity note on a derivatives exchange, an unknown segment and a bad date', () => {
      expect(() => charges('equity-delivery', 'NFO', '2026-11-20', [])).toThrow(ChargesInputError);
      expect(() => charges('commodity' as ChargeSegment, 'NSE', '2026-11-20', [])).toThrow(
        /unknown segment "commodity"/,
      );
      expect(() => charges('futures', 'NFO', '20-11-2026', [])).toThrow(/not a date YYYY-MM-DD/);
      expect(() => charges('futures', 'NFO', '2026-02-30', [])).toThrow(/not a date YYYY-MM-DD/);
      expect(() => charges('futures', 'NFO', '2026-13-45', [])).toThrow(/not a date YYYY-MM-DD/);
    });

    it('refuses an order with a non-positive quantity or value, and exercises outside options', () => {
      const bad = {
        instrumentId: asInstrumentId('INFY.NSE'),
        side: 'BUY',
        qty: 0,
        valuePaise: paise(100),
      } as const;
      expect(() => charges('equity-intraday', 'NSE', '2026-11-20', [bad])).toThrow(
        /quantity 0 must be a positive integer/,
      );
      const exercise = [{ instrumentId: asInstrumentId('INFY.NSE'), intrinsicValuePaise: paise(100) }];
      expect(() => charges('futures', 'NFO', '2026-11-20', [], {}, exercise)).toThrow(
        /only options have exercise STT/,
      );
    });
  });
});
