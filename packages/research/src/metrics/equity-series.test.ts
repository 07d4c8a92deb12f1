import { describe, expect, it } from 'vitest';
import { dailyReturns, drawdownSeries, monthlyReturns, yearlyReturns } from './equity-series.ts';

// Starting cash ₹1,000.00 (1,00,000 paise); four trading days over two months.
const START = 100_000;
const DAILY = [
  { date: '2026-01-01', equityPaise: 110_000 },
  { date: '2026-01-02', equityPaise: 99_000 },
  { date: '2026-01-05', equityPaise: 108_900 },
  { date: '2026-02-02', equityPaise: 103_455 },
];

describe('dailyReturns', () => {
  it('measures each day against the previous close, the first against the starting cash', () => {
    expect(dailyReturns({ startingCashPaise: START, daily: DAILY })).toEqual([
      { date: '2026-01-01', returnPct: 10 }, // 110000 / 100000 − 1
      { date: '2026-01-02', returnPct: -10 }, // 99000 / 110000 − 1
      { date: '2026-01-05', returnPct: 10 }, // 108900 / 99000 − 1
      { date: '2026-02-02', returnPct: -5 }, // 103455 / 108900 − 1
    ]);
  });

  it('returns nothing for no trading day', () => {
    expect(dailyReturns({ startingCashPaise: START, daily: [] })).toEqual([]);
  });

  it('gives null, not Infinity or NaN, for a day after the equity reached zero', () => {
    const daily = [
      { date: '2026-01-01', equityPaise: 0 },
      { date: '2026-01-02', equityPaise: 0 },
      { date: '2026-01-05', equityPaise: 500 },
    ];
    expect(dailyReturns({ startingCashPaise: START, daily }).map((d) => d.returnPct)).toEqual([
      -100,
      null,
      null,
    ]);
  });

  it('rejects a starting cash that is not a positive safe integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => dailyReturns({ startingCashPaise: bad, daily: DAILY })).toThrow(/starting cash/);
    }
  });

  it('rejects malformed, repeated or unordered dates and non-integer equity, naming the day', () => {
    const day = (date: string, equityPaise = START) => ({ date, equityPaise });
    expect(() => dailyReturns({ startingCashPaise: START, daily: [day('2026-13-01')] })).toThrow(
      /daily\[0\]\.date "2026-13-01" is not a YYYY-MM-DD date/,
    );
    expect(() => dailyReturns({ startingCashPaise: START, daily: [day('05-01-2026')] })).toThrow(
      /YYYY-MM-DD/,
    );
    expect(() =>
      dailyReturns({ startingCashPaise: START, daily: [day('2026-01-02'), day('2026-01-02')] }),
    ).toThrow(/daily\[1\]\.date 2026-01-02 is not after the previous date 2026-01-02/);
    expect(() =>
      dailyReturns({ startingCashPaise: START, daily: [day('2026-01-02'), day('2026-01-01')] }),
    ).toThrow(/not after/);
    for (const bad of [1.5, Number.NaN, Infinity]) {
      expect(() => dailyReturns({ startingCashPaise: START, daily: [day('2026-01-02', bad)] })).toThrow(
        /daily\[0\]\.equityPaise .* on 2026-01-02 is not a safe integer/,
      );
    }
  });
});

describe('drawdownSeries', () => {
  it('tracks the running peak, starting cash included, and the fall from it', () => {
    expect(drawdownSeries(DAILY, START)).toEqual([
      { date: '2026-01-01', equityPaise: 110_000, peakPaise: 110_000, drawdownPaise: 0, drawdownPct: 0 },
      // 110000 − 99000 = 11000; 11000 / 110000 = 10 %
      { date: '2026-01-02', equityPaise: 99_000, peakPaise: 110_000, drawdownPaise: 11_000, drawdownPct: 10 },
      // 110000 − 108900 = 1100; 1100 / 110000 = 1 %
      { date: '2026-01-05', equityPaise: 108_900, peakPaise: 110_000, drawdownPaise: 1_100, drawdownPct: 1 },
      // 110000 − 103455 = 6545; 6545 / 110000 = 5.95 %
      {
        date: '2026-02-02',
        equityPaise: 103_455,
        peakPaise: 110_000,
        drawdownPaise: 6_545,
        drawdownPct: (6_545 / 110_000) * 100,
      },
    ]);
  });

  it('counts the starting cash as the first peak', () => {
    const [first] = drawdownSeries([{ date: '2026-01-01', equityPaise: 90_000 }], START);
    expect(first).toEqual({
      date: '2026-01-01',
      equityPaise: 90_000,
      peakPaise: 100_000,
      drawdownPaise: 10_000,
      drawdownPct: 10,
    });
  });

  it('goes past 100 % only when the equity falls below zero', () => {
    const series = drawdownSeries(
      [
        { date: '2026-01-01', equityPaise: 0 },
        { date: '2026-01-02', equityPaise: -20_000 },
      ],
      START,
    );
    expect(series.map((p) => p.drawdownPct)).toEqual([100, 120]);
  });

  it('rejects bad input like dailyReturns does', () => {
    expect(() => drawdownSeries(DAILY, 0)).toThrow(/starting cash 0 paise/);
    expect(() => drawdownSeries([{ date: '2026-1-1', equityPaise: 1 }], START)).toThrow(/YYYY-MM-DD/);
  });
});

describe('monthlyReturns', () => {
  it('takes month-end equity over the previous month-end, the first over the starting cash', () => {
    expect(monthlyReturns(DAILY, START)).toEqual([
      { month: '2026-01', returnPct: ((108_900 - 100_000) / 100_000) * 100 }, // 8.9 %
      { month: '2026-02', returnPct: -5 }, // 103455 / 108900 − 1
    ]);
  });

  it('skips a month without trading days and measures the next one against the last month-end', () => {
    const daily = [
      { date: '2025-11-28', equityPaise: 120_000 },
      { date: '2026-01-30', equityPaise: 90_000 },
    ];
    expect(monthlyReturns(daily, START)).toEqual([
      { month: '2025-11', returnPct: 20 }, // 120000 / 100000 − 1
      { month: '2026-01', returnPct: -25 }, // 90000 / 120000 − 1
    ]);
  });

  it('gives null for a month after a month that ended at zero', () => {
    const daily = [
      { date: '2026-01-30', equityPaise: 0 },
      { date: '2026-02-02', equityPaise: 0 },
    ];
    expect(monthlyReturns(daily, START)).toEqual([
      { month: '2026-01', returnPct: -100 },
      { month: '2026-02', returnPct: null },
    ]);
  });

  it('returns nothing for no trading day and rejects bad input', () => {
    expect(monthlyReturns([], START)).toEqual([]);
    expect(() => monthlyReturns(DAILY, -5)).toThrow(/starting cash -5 paise/);
  });
});

describe('yearlyReturns', () => {
  it('takes year-end equity over the previous year-end, the first over the starting cash', () => {
    const daily = [
      { date: '2025-12-31', equityPaise: 125_000 },
      { date: '2026-06-30', equityPaise: 90_000 },
      { date: '2026-12-31', equityPaise: 100_000 },
    ];
    expect(yearlyReturns(daily, START)).toEqual([
      { year: '2025', returnPct: 25 }, // 125000 / 100000 − 1
      { year: '2026', returnPct: -20 }, // 100000 / 125000 − 1
    ]);
  });
});
