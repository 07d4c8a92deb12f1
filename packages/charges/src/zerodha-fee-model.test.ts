import { asInstrumentId, NseCalendar, paise, type FeeModel } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { ChargesInputError } from './charges-errors.ts';
import { roundTripCharges } from './round-trip.ts';
import { ZerodhaFeeModel } from './zerodha-fee-model.ts';
import { ZERODHA_RATE_TABLES } from './zerodha-rate-tables.ts';

describe('ZerodhaFeeModel', () => {
  it('implements the FeeModel port with the bundled tables', () => {
    const model: FeeModel = new ZerodhaFeeModel();
    // Sell 100 INFY for ₹1,01,000 on NSE intraday: STT 25.25 → ₹25; exchange 0.00307 % × 1,01,000 = 3.1007 → ₹3.10;
    // SEBI 0.101 → ₹0.10; brokerage ₹20; GST 18 % × 23.20 = 4.176 → ₹4.18; total 20 + 25 + 3.10 + 0.10 + 4.18 = ₹52.38
    const c = model.charges({
      tradeDate: '2026-11-20',
      exchange: 'NSE',
      segment: 'equity-intraday',
      orders: [
        { instrumentId: asInstrumentId('INFY.NSE'), side: 'SELL', qty: 100, valuePaise: paise(10100000) },
      ],
    });
    expect(c).toMatchObject({
      brokeragePaise: 2000,
      sttPaise: 2500,
      exchangePaise: 310,
      sebiPaise: 10,
      stampPaise: 0,
      gstPaise: 418,
      totalPaise: 5238,
    });
  });

  it('applies its options and its BSE options classifier', () => {
    const order = (id: string) => ({
      instrumentId: asInstrumentId(id),
      side: 'SELL' as const,
      qty: 20,
      valuePaise: paise(500000),
    });
    const note = {
      tradeDate: '2026-04-20',
      exchange: 'BFO' as const,
      segment: 'options' as const,
      orders: [order('SENSEX26NOV80000CE.BFO')],
    };
    // exchange 0.0325 % × 5,000 = 1.625 → ₹1.63 (Sensex) or, classified as other, 0.005 % × 5,000 = ₹0.25
    expect(new ZerodhaFeeModel().charges(note).exchangePaise).toBe(163);
    expect(new ZerodhaFeeModel({ classifyBseOption: () => 'other' }).charges(note).exchangePaise).toBe(25);
    // half-even: 162.5 paise → 162
    expect(new ZerodhaFeeModel({ options: { paisaTies: 'half-even' } }).charges(note).exchangePaise).toBe(
      162,
    );
  });

  it('refuses an unknown option value when built', () => {
    expect(() => new ZerodhaFeeModel({ options: { sttAggregation: 'trade' as 'scrip' } })).toThrow(
      ChargesInputError,
    );
  });
});

describe('roundTripCharges', () => {
  const calendar = new NseCalendar();
  const rupees = (r: number) => paise(r * 100);

  it('charges delivery as a buy note and a sell note on the next trading day, with DP', () => {
    // The two notes of contract-note-charges.test.ts: buy 2971 paise on Thu 19 Nov, sell 4233 paise on Fri 20 Nov.
    const c = roundTripCharges(
      {
        segment: 'equity-delivery',
        exchange: 'NSE',
        qty: 10,
        buyPricePaise: rupees(2500),
        sellPricePaise: rupees(2600),
        date: '2026-11-19',
      },
      ZERODHA_RATE_TABLES,
      calendar,
    );
    expect(c.sellDate).toBe('2026-11-20');
    expect(c.notes.map((n) => n.totalPaise)).toEqual([2971, 4233]);
    expect(c).toMatchObject({
      brokeragePaise: 2,
      sttPaise: 5100,
      exchangePaise: 157,
      sebiPaise: 6,
      stampPaise: 375,
      gstPaise: 30,
      dpPaise: 1534,
      totalPaise: 7204,
    });
  });

  it('sells a delivery buy of Monday 23 Nov 2026 on Wednesday 25 Nov (24 Nov is a holiday)', () => {
    const trip = {
      segment: 'equity-delivery',
      exchange: 'NSE',
      qty: 1,
      buyPricePaise: rupees(100),
      sellPricePaise: rupees(100),
      date: '2026-11-23',
    } as const;
    expect(roundTripCharges(trip, ZERODHA_RATE_TABLES, calendar).sellDate).toBe('2026-11-25');
  });

  it('charges a same-day round trip as one note', () => {
    const c = roundTripCharges(
      {
        segment: 'equity-intraday',
        exchange: 'NSE',
        qty: 100,
        buyPricePaise: rupees(1000),
        sellPricePaise: rupees(1010),
        date: '2026-11-20',
      },
      ZERODHA_RATE_TABLES,
      calendar,
    );
    expect(c.notes).toHaveLength(1);
    expect(c.totalPaise).toBe(8272);
  });

  it('asks for the options class on BSE, where the exchange charge differs by contract', () => {
    const trip = {
      segment: 'options',
      exchange: 'BSE',
      qty: 20,
      buyPricePaise: rupees(200),
      sellPricePaise: rupees(250),
      date: '2026-04-20',
    } as const;
    expect(() => roundTripCharges(trip, ZERODHA_RATE_TABLES, calendar)).toThrow(
      /options on BSE: the exchange charge differs by contract \(sensex-bankex 0\.0325% of premium, other 0\.005% of premium/,
    );
    expect(
      roundTripCharges({ ...trip, optionsClass: 'sensex-bankex' }, ZERODHA_RATE_TABLES, calendar).totalPaise,
    ).toBe(5879);
    expect(
      roundTripCharges({ ...trip, optionsClass: 'other' }, ZERODHA_RATE_TABLES, calendar).totalPaise,
    ).toBe(5586);
  });

  it('refuses a non-positive quantity or price', () => {
    const trip = {
      segment: 'futures',
      exchange: 'NSE',
      qty: 65,
      buyPricePaise: rupees(100),
      sellPricePaise: rupees(100),
      date: '2026-11-20',
    } as const;
    expect(() => roundTripCharges({ ...trip, qty: -65 }, ZERODHA_RATE_TABLES, calendar)).toThrow(
      'quantity -65 must be a positive integer',
    );
    expect(() =>
      roundTripCharges({ ...trip, sellPricePaise: paise(0) }, ZERODHA_RATE_TABLES, calendar),
    ).toThrow(/sell price 0 paise/);
  });
});
