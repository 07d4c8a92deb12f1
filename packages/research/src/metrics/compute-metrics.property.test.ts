// Properties of computeMetrics over generated runs:
//   1. with non-negative equity, every daily drawdown and the maximum drawdown lie in [0, 100] percent, and the
//      maximum is the largest daily drawdown;
//   2. multiplying every equity and the starting cash by a constant leaves returns, Sharpe, Sortino, the total and
//      annualised return, the drawdown percent and its duration unchanged (exactly: the ratios of exact integers
//      round the same way);
//   3. the win rate lies in [0, 100] (null only without trades) and the profit factor is null or ≥ 0;
//   4. no field is ever NaN or ±Infinity, even with equity at or below zero;
//   5. net P&L is exactly final equity − starting cash, and with positive equity the monthly returns compound to
//      the total return.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DailyEquity, MetricsInput } from '../backtest/backtest-result.ts';
import { aTrade } from '../report/testing.ts';
import { computeMetrics } from './compute-metrics.ts';
import { dailyReturns, drawdownSeries, monthlyReturns } from './equity-series.ts';

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 0, 1) / DAY_MS;

/** Strictly increasing ISO dates, drawn as gaps of 1 to 20 days from 2025-01-01. */
function datesOf(gaps: readonly number[]): string[] {
  let day = FIRST_DAY;
  return gaps.map((gap) => {
    day += gap;
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  });
}

function dailyArb(minEquity: number, maxEquity: number): fc.Arbitrary<DailyEquity[]> {
  return fc
    .array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: minEquity, max: maxEquity })), {
      maxLength: 60,
    })
    .map((days) => {
      const dates = datesOf(days.map(([gap]) => gap));
      return days.map(([, equityPaise], i) => ({ date: dates[i] ?? '', equityPaise }));
    });
}

const tradesArb = fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 40 });

function runArb(minEquity: number, maxEquity: number): fc.Arbitrary<MetricsInput> {
  return fc
    .record({
      startingCashPaise: fc.integer({ min: 1, max: 1_000_000_000 }),
      daily: dailyArb(minEquity, maxEquity),
      pnl: tradesArb,
      bars: fc.integer({ min: 0, max: 100_000 }),
      inMarketShare: fc.double({ min: 0, max: 1, noNaN: true }),
      tradedValuePaise: fc.integer({ min: 0, max: 1_000_000_000_000 }),
    })
    .map((r) => ({
      startingCashPaise: r.startingCashPaise,
      daily: r.daily,
      trades: r.pnl.map((netPnlPaise) => aTrade({ netPnlPaise })),
      chargesPaise: 0,
      tradedValuePaise: r.tradedValuePaise,
      bars: r.bars,
      barsInMarket: Math.floor(r.bars * r.inMarketShare),
    }));
}

describe('computeMetrics properties', () => {
  it('keeps drawdowns within [0, 100] % when equity stays at or above zero', () => {
    fc.assert(
      fc.property(runArb(0, 1_000_000_000), (run) => {
        const series = drawdownSeries(run.daily, run.startingCashPaise);
        const metrics = computeMetrics(run);
        for (const point of series) {
          expect(point.drawdownPct).toBeGreaterThanOrEqual(0);
          expect(point.drawdownPct).toBeLessThanOrEqual(100);
        }
        expect(metrics.maxDrawdownPct).toBeGreaterThanOrEqual(0);
        expect(metrics.maxDrawdownPct).toBeLessThanOrEqual(100);
        expect(metrics.maxDrawdownPct).toBe(Math.max(0, ...series.map((p) => p.drawdownPct)));
        expect(metrics.maxDrawdownPaise).toBe(Math.max(0, ...series.map((p) => p.drawdownPaise)));
        expect(metrics.maxDrawdownDays).toBeGreaterThanOrEqual(0);
        expect(metrics.maxDrawdownDays).toBeLessThanOrEqual(run.daily.length);
      }),
      { numRuns: 300 },
    );
  });

  it('does not change returns, Sharpe, Sortino or drawdown % when every amount is scaled', () => {
    fc.assert(
      fc.property(runArb(0, 1_000_000_000), fc.integer({ min: 2, max: 1_000 }), (run, k) => {
        const scaled: MetricsInput = {
          ...run,
          startingCashPaise: run.startingCashPaise * k,
          daily: run.daily.map((d) => ({ date: d.date, equityPaise: d.equityPaise * k })),
        };
        const a = computeMetrics(run);
        const b = computeMetrics(scaled);
        expect(dailyReturns(scaled)).toEqual(dailyReturns(run));
        expect(b.sharpe).toBe(a.sharpe);
        expect(b.sortino).toBe(a.sortino);
        expect(b.totalReturnPct).toBe(a.totalReturnPct);
        expect(b.annualisedReturnPct).toBe(a.annualisedReturnPct);
        expect(b.maxDrawdownPct).toBe(a.maxDrawdownPct);
        expect(b.maxDrawdownDays).toBe(a.maxDrawdownDays);
        expect(b.netPnlPaise).toBe(a.netPnlPaise * k);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the win rate within [0, 100] % and the profit factor null or non-negative', () => {
    fc.assert(
      fc.property(runArb(0, 1_000_000), (run) => {
        const m = computeMetrics(run);
        if (run.trades.length === 0) {
          expect(m.winRatePct).toBeNull();
          expect(m.expectancyPaise).toBeNull();
        } else {
          expect(m.winRatePct).not.toBeNull();
          expect(m.winRatePct!).toBeGreaterThanOrEqual(0);
          expect(m.winRatePct!).toBeLessThanOrEqual(100);
        }
        if (m.profitFactor !== null) expect(m.profitFactor).toBeGreaterThanOrEqual(0);
        expect(m.profitFactor === null).toBe(!run.trades.some((t) => t.netPnlPaise < 0));
        expect(m.exposurePct).toBeGreaterThanOrEqual(0);
        expect(m.exposurePct).toBeLessThanOrEqual(100);
      }),
      { numRuns: 300 },
    );
  });

  it('never yields NaN or Infinity, even when equity falls to zero or below', () => {
    fc.assert(
      fc.property(runArb(-1_000_000, 1_000_000_000_000), (run) => {
        for (const [key, value] of Object.entries(computeMetrics(run))) {
          if (value !== null) expect(Number.isFinite(value), `${key} = ${String(value)}`).toBe(true);
        }
        for (const day of dailyReturns(run)) {
          if (day.returnPct !== null) expect(Number.isFinite(day.returnPct)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps net P&L exact and compounds monthly returns to the total return', () => {
    fc.assert(
      fc.property(runArb(1, 1_000_000_000), (run) => {
        const m = computeMetrics(run);
        expect(m.netPnlPaise).toBe(m.finalEquityPaise - run.startingCashPaise);
        expect(Number.isSafeInteger(m.netPnlPaise)).toBe(true);
        const growth = monthlyReturns(run.daily, run.startingCashPaise).reduce(
          (product, month) => product * (1 + (month.returnPct ?? Number.NaN) / 100),
          1,
        );
        const expected = m.finalEquityPaise / run.startingCashPaise;
        // Each month's factor 1 + r/100 carries a relative rounding error (up to ~1e-7 where a fall to 1 paise
        // from crores cancels digits); over at most 60 months the product stays within 1e-5 relative.
        expect(Math.abs(growth - expected)).toBeLessThanOrEqual(1e-5 * expected);
      }),
      { numRuns: 300 },
    );
  });
});
