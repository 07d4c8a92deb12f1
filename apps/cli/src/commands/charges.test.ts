import { ChargesDateError } from '@kitepilot/charges';
import { describe, expect, it } from 'vitest';
import { ChargesFlagError, runCharges, type ChargesFlags } from './charges.ts';

/** Runs the command with `today` fixed and returns what it printed. */
function run(flags: ChargesFlags, today = '2026-11-20'): string {
  let out = '';
  runCharges(flags, { write: (t) => (out += t), today: () => today });
  return out;
}

describe('runCharges', () => {
  it('prints the JSON keys of the issue as rupee numbers (futures after 1 Apr 2026)', () => {
    // The worked example of contract-note-charges.test.ts: ₹40 + ₹783 + ₹57.21 + ₹3.13 + ₹31.20 + ₹18.06 = ₹932.60.
    const json = JSON.parse(
      run({
        segment: 'futures',
        exchange: 'NSE',
        qty: '65',
        buyPrice: '24000',
        sellPrice: '24100',
        date: '2026-04-20',
        json: true,
      }),
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      brokerage: 40,
      stt: 783,
      exchange: 57.21,
      sebi: 3.13,
      stamp: 31.2,
      gst: 18.06,
      dp: 0,
      total: 932.6,
    });
    expect(json['contractNotes']).toEqual([
      { date: '2026-04-20', rateTable: 'nse-futures-2026-04-01', effectiveFrom: '2026-04-01', total: 932.6 },
    ]);
  });

  it('sells delivery on the next trading day and prints every component with en-IN grouping', () => {
    // 1,000 @ ₹2,500 bought Fri 20 Nov, sold Mon 23 Nov @ ₹2,600: STT 0.1 % × (25,00,000 + 26,00,000) = ₹5,100.
    const text = run({
      segment: 'equity-delivery',
      exchange: 'NSE',
      qty: '1000',
      buyPrice: '2500',
      sellPrice: '2600',
      date: '2026-11-20',
    });
    expect(text).toContain('bought 2026-11-20, sold 2026-11-23 (next trading day)');
    expect(text).toMatch(/^STT +₹5,100\.00$/m);
    expect(text).toMatch(/^DP charge +₹15\.34$/m);
    for (const label of ['brokerage', 'exchange charges', 'SEBI fee', 'stamp duty', 'GST', 'total']) {
      expect(text).toMatch(new RegExp(`^${label} +₹[0-9,]+\\.\\d\\d$`, 'm'));
    }
  });

  it('uses the next trading day when today is not one, and says so', () => {
    const json = JSON.parse(
      run(
        {
          segment: 'equity-intraday',
          exchange: 'NSE',
          qty: '100',
          buyPrice: '1000',
          sellPrice: '1010',
          json: true,
        },
        '2026-11-22',
      ),
    ) as { buyDate: string; total: number; notes: string[] };
    expect(json.buyDate).toBe('2026-11-23');
    expect(json.total).toBe(82.72);
    expect(json.notes).toEqual([
      'today 2026-11-22 (Sun) is not a trading day (weekend); using the next trading day 2026-11-23',
    ]);
  });

  it('charges BSE options once the contract class is given', () => {
    const base = {
      segment: 'options',
      exchange: 'BSE',
      qty: '20',
      buyPrice: '200',
      sellPrice: '250',
      date: '2026-04-20',
      json: true,
    };
    expect((JSON.parse(run({ ...base, optionsClass: 'sensex-bankex' })) as { total: number }).total).toBe(
      58.79,
    );
    expect((JSON.parse(run({ ...base, optionsClass: 'other' })) as { total: number }).total).toBe(55.86);
  });

  it('refuses bad flags with the value in the message', () => {
    const ok = {
      segment: 'equity-intraday',
      exchange: 'NSE',
      qty: '10',
      buyPrice: '100',
      sellPrice: '101',
      date: '2026-11-20',
    };
    expect(() => run({ ...ok, segment: 'intraday' })).toThrow(
      new ChargesFlagError(
        'unknown segment "intraday": expected one of equity-intraday, equity-delivery, futures, options',
      ),
    );
    expect(() => run({ ...ok, exchange: 'MCX' })).toThrow('unknown exchange "MCX": expected NSE or BSE');
    expect(() => run({ ...ok, qty: '-5' })).toThrow('quantity "-5" is not a positive whole number of units');
    expect(() => run({ ...ok, qty: '1.5' })).toThrow(
      'quantity "1.5" is not a positive whole number of units',
    );
    expect(() => run({ ...ok, buyPrice: '100.125' })).toThrow(
      'buy-price 100.125 has 3 decimals; prices are in rupees to the paisa (at most 2)',
    );
    expect(() => run({ ...ok, sellPrice: '-1' })).toThrow(
      'sell-price "-1" is not a non-negative rupee amount such as 1573.70',
    );
    expect(() => run({ ...ok, sellPrice: '0' })).toThrow('sell-price 0 must be more than ₹0');
    expect(() => run({ ...ok, date: '2026-02-30' })).toThrow(
      'date "2026-02-30" is not a calendar date YYYY-MM-DD',
    );
    expect(() => run({ ...ok, date: '2026-11-24' })).toThrow(
      '2026-11-24 (Tue) is not an NSE trading day (Prakash Gurpurb Sri Guru Nanak Dev); pass a trading day with --date',
    );
    expect(() => run({ ...ok, optionsClass: 'other' })).toThrow(/--options-class applies only/);
  });

  it('refuses options on BSE without the contract class, naming the rates', () => {
    expect(() =>
      run({
        segment: 'options',
        exchange: 'BSE',
        qty: '20',
        buyPrice: '200',
        sellPrice: '250',
        date: '2026-04-20',
      }),
    ).toThrow(
      'options on BSE: the exchange charge differs by contract (sensex-bankex 0.0325%, other 0.005% of premium, table bse-options-2026-04-01); ' +
        'pass --options-class sensex-bankex (Sensex, Bankex) or --options-class other (Sensex 50, stock options)',
    );
  });

  it('refuses a date before the rate tables', () => {
    expect(() =>
      run({
        segment: 'futures',
        exchange: 'NSE',
        qty: '65',
        buyPrice: '100',
        sellPrice: '100',
        date: '2024-09-30',
      }),
    ).toThrow(ChargesDateError);
  });
});
