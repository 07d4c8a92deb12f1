// Properties of stitchOutOfSample over generated test periods:
//   1. one period stitched from its own starting cash is that period unchanged (equity, trades, metrics);
//   2. chaining keeps each period's daily returns: the stitched total growth is the product of the periods'
//      growths, up to the half-paisa rounding of each day;
//   3. trades, charges and traded value are the concatenation and sums of the periods'.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DailyEquity } from '../backtest/backtest-result.ts';
import { computeMetrics } from '../metrics/compute-metrics.ts';
import { aTrade } from '../report/testing.ts';
import { stitchOutOfSample, type OutOfSampleResult } from './stitch-out-of-sample.ts';

const DAY_MS = 86_400_000;

function aPeriod(firstDay: number, equities: readonly number[], overrides: Partial<OutOfSampleResult> = {}) {
  const daily: DailyEquity[] = equities.map((equityPaise, i) => ({
    date: new Date(Date.UTC(2025, 0, 6) + (firstDay + i) * DAY_MS).toISOString().slice(0, 10),
    equityPaise,
  }));
  return {
    startingCashPaise: 1_000_000,
    daily,
    trades: [aTrade({ netPnlPaise: (equities.at(-1) ?? 1_000_000) - 1_000_000 })],
    chargesPaise: 100,
    tradedValuePaise: 5_000_000,
    bars: 750,
    barsInMarket: 75,
    ...overrides,
  } satisfies OutOfSampleResult;
}

describe('stitchOutOfSample', () => {
  it('chains each period from the previous end, compounding its returns', () => {
    const a = aPeriod(0, [1_010_000, 1_020_000]);
    const b = aPeriod(7, [990_000, 1_100_000]);
    const stitched = stitchOutOfSample(1_000_000, [a, b]);
    // b starts from a's end (₹10,200.00): 1_020_000 × 990_000 / 1_000_000 = 1_009_800; × 1.1 = 1_122_000.
    expect(stitched.daily).toEqual([
      { date: '2025-01-06', equityPaise: 1_010_000 },
      { date: '2025-01-07', equityPaise: 1_020_000 },
      { date: '2025-01-13', equityPaise: 1_009_800 },
      { date: '2025-01-14', equityPaise: 1_122_000 },
    ]);
    expect(stitched.trades).toEqual([...a.trades, ...b.trades]);
    expect(stitched.periods).toBe(2);
    expect(stitched.metrics).toEqual(
      computeMetrics({
        startingCashPaise: 1_000_000,
        daily: stitched.daily,
        trades: stitched.trades,
        chargesPaise: 200,
        tradedValuePaise: 10_000_000,
        bars: 1500,
        barsInMarket: 150,
      }),
    );
  });

  it('rounds half-up to the paisa, exactly for large equity', () => {
    const a = aPeriod(0, [3], { startingCashPaise: 2 });
    const b = aPeriod(1, [3], { startingCashPaise: 2 });
    // 1 × 3 / 2 = 1.5 → 2; then 2 × 3 / 2 = 3.
    expect(stitchOutOfSample(1, [a, b]).daily.map((d) => d.equityPaise)).toEqual([2, 3]);
    const big = aPeriod(0, [3_000_000_000_000_001], { startingCashPaise: 3_000_000_000_000_000 });
    expect(
      stitchOutOfSample(3_000_000_000_000_000, [big, aPeriod(1, [1_000_000])]).daily.at(-1)?.equityPaise,
    ).toBe(3_000_000_000_000_001);
  });

  it('gives the starting cash and no days for no periods', () => {
    const stitched = stitchOutOfSample(500_000, []);
    expect(stitched.daily).toEqual([]);
    expect(stitched.metrics.finalEquityPaise).toBe(500_000);
    expect(stitched.metrics.trades).toBe(0);
  });

  it('refuses overlapping periods and non-positive cash, naming them', () => {
    expect(() => stitchOutOfSample(1_000_000, [aPeriod(0, [1, 2, 3]), aPeriod(2, [4])])).toThrow(
      'period 1: day 2025-01-08 does not follow 2025-01-08 (periods overlap or are out of order)',
    );
    expect(() => stitchOutOfSample(0, [])).toThrow('starting cash 0 paise is not a positive safe integer');
    expect(() => stitchOutOfSample(1, [aPeriod(0, [1], { startingCashPaise: -5 })])).toThrow(
      'period 0: starting cash -5 paise',
    );
  });

  it('is the period itself for one period, and compounds the periods for many', () => {
    const period = fc
      .tuple(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 500_000, max: 2_000_000 }), { minLength: 1, maxLength: 6 }),
      )
      .map(([gap, equities]) => ({ gap, equities }));
    fc.assert(
      fc.property(fc.array(period, { minLength: 1, maxLength: 6 }), (specs) => {
        let day = 0;
        const periods = specs.map(({ gap, equities }) => {
          const p = aPeriod(day + gap, equities);
          day += gap + equities.length;
          return p;
        });
        const first = periods[0]!;
        const alone = stitchOutOfSample(first.startingCashPaise, [first]);
        expect(alone.daily).toEqual(first.daily);
        const stitched = stitchOutOfSample(1_000_000, periods);
        expect(stitched.daily).toHaveLength(periods.reduce((n, p) => n + p.daily.length, 0));
        expect(stitched.trades).toHaveLength(periods.length);
        expect(stitched.metrics.chargesPaise).toBe(100 * periods.length);
        const growth = periods.reduce(
          (g, p) => g * ((p.daily.at(-1)?.equityPaise ?? 0) / p.startingCashPaise),
          1,
        );
        // Each period's end is rounded once (≤ ½ paisa) and then scaled by later growths (each < 4).
        const tolerance = periods.length * 4 ** periods.length;
        expect(Math.abs((stitched.daily.at(-1)?.equityPaise ?? 0) - 1_000_000 * growth)).toBeLessThanOrEqual(
          tolerance,
        );
      }),
    );
  });
});
