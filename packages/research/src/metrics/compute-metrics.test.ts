import { describe, expect, it } from 'vitest';
import type { BacktestMetrics, MetricsInput } from '../backtest/backtest-result.ts';
import { aTrade } from '../report/testing.ts';
import {
  annualisedReturnPct,
  computeMetrics,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
} from './compute-metrics.ts';

const ROOT_252 = Math.sqrt(252);

function input(overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    startingCashPaise: 100_000,
    daily: [],
    trades: [],
    chargesPaise: 0,
    tradedValuePaise: 0,
    bars: 0,
    barsInMarket: 0,
    ...overrides,
  };
}

/** Every numeric field is finite; a ratio may be null, never NaN or ±Infinity. */
function expectNoNaN(metrics: BacktestMetrics): void {
  for (const [key, value] of Object.entries(metrics)) {
    if (value !== null) expect(Number.isFinite(value), `${key} = ${String(value)}`).toBe(true);
  }
}

describe('computeMetrics', () => {
  // Starting cash ₹1,000.00; daily closes 110000, 99000, 108900, 103455 → returns +10 %, −10 %, +10 %, −5 %.
  const worked = input({
    daily: [
      { date: '2026-01-01', equityPaise: 110_000 },
      { date: '2026-01-02', equityPaise: 99_000 },
      { date: '2026-01-05', equityPaise: 108_900 },
      { date: '2026-02-02', equityPaise: 103_455 },
    ],
    trades: [3_000, -1_000, 2_000, -500, 0].map((netPnlPaise) => aTrade({ netPnlPaise })),
    chargesPaise: 1_200,
    tradedValuePaise: 250_000,
    bars: 400,
    barsInMarket: 100,
  });

  it('computes every field of a worked example', () => {
    const m = computeMetrics(worked);
    expect(m.startingCashPaise).toBe(100_000);
    expect(m.finalEquityPaise).toBe(103_455);
    expect(m.netPnlPaise).toBe(3_455); // 103455 − 100000
    expect(m.totalReturnPct).toBeCloseTo(3.455, 12); // 3455 / 100000
    // (103455 / 100000)^(252 / 4) − 1
    expect(m.annualisedReturnPct).toBeCloseTo((1.03455 ** 63 - 1) * 100, 9);
    // returns 10, −10, 10, −5: mean 1.25; squared deviations 76.5625 + 126.5625 + 76.5625 + 39.0625 = 318.75;
    // sample variance 318.75 / 3 = 106.25
    expect(m.sharpe).toBeCloseTo((1.25 / Math.sqrt(106.25)) * ROOT_252, 12);
    // downside: min(r, 0)² = 0, 100, 0, 25 → mean 125 / 4 = 31.25
    expect(m.sortino).toBeCloseTo((1.25 / Math.sqrt(31.25)) * ROOT_252, 12);
    // peak 110000 on day 1, trough 99000 on day 2: 11000 paise, 10 %; never regained, so day 1 → day 4 = 3 days
    expect(m.maxDrawdownPct).toBeCloseTo(10, 12);
    expect(m.maxDrawdownPaise).toBe(11_000);
    expect(m.maxDrawdownDays).toBe(3);
    expect(m.calmar).toBeCloseTo(((1.03455 ** 63 - 1) * 100) / 10, 9);
    expect(m.trades).toBe(5);
    expect(m.winRatePct).toBe(40); // 2 of 5 above zero (a zero trade is not a win)
    expect(m.profitFactor).toBeCloseTo(5_000 / 1_500, 12); // (3000 + 2000) / |−1000 − 500|
    expect(m.expectancyPaise).toBe(700); // 3500 / 5
    expect(m.exposurePct).toBe(25); // 100 / 400
    expect(m.turnover).toBe(2.5); // 250000 / 100000
    expect(m.tradedValuePaise).toBe(250_000);
    expect(m.chargesPaise).toBe(1_200);
    expect(m.tradingDays).toBe(4);
  });

  it('keeps the mean P&L per trade fractional when it is', () => {
    const m = computeMetrics(input({ trades: [aTrade({ netPnlPaise: 1 }), aTrade({ netPnlPaise: 2 })] }));
    expect(m.expectancyPaise).toBe(1.5); // (1 + 2) / 2
  });

  it('reports a run without trades or trading days with null ratios', () => {
    const m = computeMetrics(input());
    expect(m).toEqual({
      startingCashPaise: 100_000,
      finalEquityPaise: 100_000,
      netPnlPaise: 0,
      totalReturnPct: 0,
      annualisedReturnPct: null,
      sharpe: null,
      sortino: null,
      maxDrawdownPct: 0,
      maxDrawdownPaise: 0,
      maxDrawdownDays: 0,
      calmar: null,
      trades: 0,
      winRatePct: null,
      profitFactor: null,
      expectancyPaise: null,
      exposurePct: 0,
      turnover: 0,
      tradedValuePaise: 0,
      chargesPaise: 0,
      tradingDays: 0,
    } satisfies BacktestMetrics);
  });

  it('handles a single winning day: no Sharpe (one return), no Sortino (no loss), no drawdown', () => {
    const m = computeMetrics(input({ daily: [{ date: '2026-01-01', equityPaise: 101_000 }] }));
    expect(m.totalReturnPct).toBe(1); // 1000 / 100000
    expect(m.annualisedReturnPct).toBeCloseTo((1.01 ** 252 - 1) * 100, 9);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.maxDrawdownDays).toBe(0);
    expect(m.calmar).toBeNull();
    expectNoNaN(m);
  });

  it('handles a single losing day: Sortino is −√252, the drawdown lasts to the end', () => {
    const m = computeMetrics(input({ daily: [{ date: '2026-01-01', equityPaise: 99_000 }] }));
    // one return of −1 %: mean −1, downside √(1 / 1) = 1
    expect(m.sortino).toBeCloseTo(-ROOT_252, 12);
    expect(m.sharpe).toBeNull();
    expect(m.maxDrawdownPct).toBe(1); // 1000 / 100000
    expect(m.maxDrawdownPaise).toBe(1_000);
    expect(m.maxDrawdownDays).toBe(1); // from the start (peak) to the only day, not regained
    expect(m.calmar).toBeCloseTo((0.99 ** 252 - 1) * 100, 9); // annualised / 1 %
  });

  it('gives a null profit factor and a 100 % win rate when every trade won', () => {
    const m = computeMetrics(input({ trades: [aTrade({ netPnlPaise: 500 }), aTrade({ netPnlPaise: 1 })] }));
    expect(m.winRatePct).toBe(100);
    expect(m.profitFactor).toBeNull();
    expect(m.expectancyPaise).toBe(250.5); // 501 / 2
  });

  it('gives a zero profit factor when every trade lost', () => {
    const m = computeMetrics(input({ trades: [aTrade({ netPnlPaise: -500 })] }));
    expect(m.winRatePct).toBe(0);
    expect(m.profitFactor).toBe(0); // 0 / 500
  });

  it('gives null Sharpe and Sortino on flat equity (zero variance, no loss)', () => {
    const daily = ['2026-01-01', '2026-01-02', '2026-01-05'].map((date) => ({ date, equityPaise: 100_000 }));
    const m = computeMetrics(input({ daily }));
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.totalReturnPct).toBe(0);
    expect(m.annualisedReturnPct).toBe(0);
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.calmar).toBeNull();
  });

  it('gives a null Sharpe for identical non-zero returns instead of a rounding-residue variance', () => {
    expect(sharpeRatio([0.1, 0.1, 0.1])).toBeNull();
    expect(sharpeRatio([0.1, 0.2])).not.toBeNull();
  });

  it('handles equity going to zero: −100 % return, 100 % drawdown, ratios on undefined returns null', () => {
    const daily = [
      { date: '2026-01-01', equityPaise: 50_000 },
      { date: '2026-01-02', equityPaise: 0 },
      { date: '2026-01-05', equityPaise: 0 },
    ];
    const m = computeMetrics(input({ daily }));
    expect(m.finalEquityPaise).toBe(0);
    expect(m.totalReturnPct).toBe(-100);
    expect(m.annualisedReturnPct).toBe(-100); // 0^(252/3) − 1
    expect(m.maxDrawdownPct).toBe(100);
    expect(m.maxDrawdownPaise).toBe(100_000);
    expect(m.maxDrawdownDays).toBe(3);
    expect(m.calmar).toBe(-1); // −100 / 100
    expect(m.sharpe).toBeNull(); // the third day's return (0 over 0) is undefined
    expect(m.sortino).toBeNull();
    expectNoNaN(m);
  });

  it('handles equity below zero: drawdown above 100 %, no annualised return', () => {
    const m = computeMetrics(input({ daily: [{ date: '2026-01-01', equityPaise: -10_000 }] }));
    expect(m.totalReturnPct).toBeCloseTo(-110, 12); // −110000 / 100000
    expect(m.maxDrawdownPct).toBeCloseTo(110, 12); // 110000 / 100000
    expect(m.annualisedReturnPct).toBeNull();
    expect(m.calmar).toBeNull();
    expectNoNaN(m);
  });

  it('gives null, not Infinity, when annualising overflows', () => {
    const m = computeMetrics(
      input({ startingCashPaise: 1, daily: [{ date: '2026-01-01', equityPaise: 1e15 }] }),
    );
    expect(m.annualisedReturnPct).toBeNull(); // (1e15)^252 overflows
    expect(m.calmar).toBeNull();
    expectNoNaN(m);
  });

  it('rejects malformed input, naming the value', () => {
    expect(() => computeMetrics(input({ startingCashPaise: 0 }))).toThrow(/starting cash 0 paise/);
    expect(() => computeMetrics(input({ chargesPaise: -1 }))).toThrow(/chargesPaise -1/);
    expect(() => computeMetrics(input({ tradedValuePaise: 0.5 }))).toThrow(/tradedValuePaise 0.5/);
    expect(() => computeMetrics(input({ bars: Number.NaN }))).toThrow(/bars NaN/);
    expect(() => computeMetrics(input({ bars: 10, barsInMarket: 11 }))).toThrow(
      /barsInMarket 11 exceeds bars 10/,
    );
    expect(() => computeMetrics(input({ trades: [aTrade(), aTrade({ netPnlPaise: 1.5 })] }))).toThrow(
      /trades\[1\]\.netPnlPaise 1.5 of RELIANCE.NSE/,
    );
    expect(() =>
      computeMetrics(
        input({
          daily: [
            { date: '2026-01-02', equityPaise: 1 },
            { date: '2026-01-01', equityPaise: 1 },
          ],
        }),
      ),
    ).toThrow(/not after/);
  });

  it('refuses a sum of trade P&L that leaves the safe integer range', () => {
    const huge = aTrade({ netPnlPaise: Number.MAX_SAFE_INTEGER });
    expect(() => computeMetrics(input({ trades: [huge, huge] }))).toThrow(/overflows safe integer paise/);
  });
});

describe('maxDrawdown', () => {
  it('measures percent and paise separately when the largest falls differ', () => {
    // start 1000: day 1 at 500 is −50 % (500 paise); day 2 peaks at 5000; day 3 at 4000 is −20 % (1000 paise).
    const daily = [
      { date: '2026-01-01', equityPaise: 500 },
      { date: '2026-01-02', equityPaise: 5_000 },
      { date: '2026-01-05', equityPaise: 4_000 },
    ];
    // the 50 % fall ran from the start (position 0) until day 2 regained 1000: 2 days
    expect(maxDrawdown({ startingCashPaise: 1_000, daily })).toEqual({ pct: 50, paise: 1_000, days: 2 });
  });

  it('counts the days from the last time at the peak until the day equity regained it', () => {
    const daily = [
      { date: '2026-01-01', equityPaise: 1_200 }, // peak
      { date: '2026-01-02', equityPaise: 1_200 }, // at the peak again: the drawdown starts here
      { date: '2026-01-05', equityPaise: 900 }, // −25 %
      { date: '2026-01-06', equityPaise: 1_000 },
      { date: '2026-01-07', equityPaise: 1_200 }, // regained
      { date: '2026-01-08', equityPaise: 1_100 },
    ];
    expect(maxDrawdown({ startingCashPaise: 1_000, daily })).toEqual({ pct: 25, paise: 300, days: 3 });
  });

  it('picks the first of two equal percentage falls', () => {
    const daily = [
      { date: '2026-01-01', equityPaise: 900 }, // −10 % from the start
      { date: '2026-01-02', equityPaise: 1_000 }, // regained after 2 days
      { date: '2026-01-05', equityPaise: 900 }, // −10 % again, never regained
      { date: '2026-01-06', equityPaise: 950 },
      { date: '2026-01-07', equityPaise: 960 },
    ];
    expect(maxDrawdown({ startingCashPaise: 1_000, daily })).toEqual({ pct: 10, paise: 100, days: 2 });
  });
});

describe('ratio helpers', () => {
  it('sharpeRatio needs two returns', () => {
    expect(sharpeRatio([])).toBeNull();
    expect(sharpeRatio([5])).toBeNull();
    // mean 0, so Sharpe 0
    expect(sharpeRatio([1, -1])).toBe(0);
  });

  it('sortinoRatio needs a losing day', () => {
    expect(sortinoRatio([])).toBeNull();
    expect(sortinoRatio([1, 2, 0])).toBeNull();
    // mean (2 − 2) / 2 = 0
    expect(sortinoRatio([2, -2])).toBe(0);
  });

  it('annualisedReturnPct compounds over 252 trading days a year', () => {
    expect(annualisedReturnPct(100, 110, 252)).toBeCloseTo(10, 12); // one year at +10 %
    expect(annualisedReturnPct(100, 121, 504)).toBeCloseTo(10, 12); // two years at +10 % each
    expect(annualisedReturnPct(100, 110, 0)).toBeNull();
    expect(annualisedReturnPct(100, -1, 10)).toBeNull();
  });
});
