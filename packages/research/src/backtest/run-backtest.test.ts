import { istToEpochMs, NseCalendar, paise, type Bar, type InstrumentId } from '@kitepilot/core';
import {
  anInstrument,
  type Strategy,
  type StrategyContext,
  type StrategyDefinition,
} from '@kitepilot/engine';
import { ZerodhaFeeModel } from '@kitepilot/charges';
import { describe, expect, it } from 'vitest';
import { barSeriesFromBars, type BarSeries } from '../bars/bar-series.ts';
import type { BacktestOptions } from './backtest-environment.ts';
import { runBacktest } from './run-backtest.ts';

const instrument = anInstrument();
const calendar = new NseCalendar();

/** Minute bars of one IST day from 09:15: closes in rupees, open = previous close, high/low ±1 rupee. */
function dayBars(date: string, closes: readonly number[], id: InstrumentId = instrument.id, gap = 0): Bar[] {
  const first = istToEpochMs(date, '09:15');
  let previous = closes[0] ?? 100;
  return closes.map((c, i) => {
    const open = previous + (i === 0 ? 0 : gap);
    previous = c;
    return {
      instrumentId: id,
      interval: '1m',
      start: first + i * 60_000,
      openPaise: paise(open * 100),
      highPaise: paise(Math.max(open, c) * 100 + 100),
      lowPaise: paise(Math.min(open, c) * 100 - 100),
      closePaise: paise(c * 100),
      volume: 1_000,
      oi: null,
      origin: 'historical',
    };
  });
}

/** Buys `qty` on the close of bar `buyAt` and sells on the close of bar `sellAt` (indices within the run). */
function scripted(
  buyAt: number,
  sellAt: number | null,
  product: 'MIS' | 'CNC' = 'MIS',
): StrategyDefinition<never> {
  return {
    name: 'scripted',
    description: 'buys and sells at fixed bars',
    params: {},
    create: (): Strategy => {
      let n = -1;
      return {
        onStart(ctx: StrategyContext) {
          ctx.subscribe(instrument.id, { bars: ['1m'] });
        },
        onBar(ctx: StrategyContext, bar: Bar) {
          n++;
          if (n === buyAt) {
            ctx.submit({
              instrumentId: bar.instrumentId,
              side: 'BUY',
              qty: 10,
              orderType: 'MARKET',
              product,
              stopLossPaise: paise(bar.closePaise - 10_000),
              reason: 'scripted entry',
            });
          }
          if (n === sellAt) {
            ctx.submit({
              instrumentId: bar.instrumentId,
              side: 'SELL',
              qty: 10,
              orderType: 'MARKET',
              product,
              stopLossPaise: null,
              reason: 'scripted exit',
            });
          }
        },
      };
    },
  };
}

function options(
  series: BarSeries,
  fill: 'close' | 'ohlc' | 'next-open',
  strategy: StrategyDefinition<never>,
  product: 'MIS' | 'CNC' = 'MIS',
): BacktestOptions {
  return {
    product,
    runId: 'run_test1',
    series,
    instrument,
    strategy,
    params: {},
    startingCashPaise: 10_00_000_00,
    fees: null,
    chargesLabel: 'none',
    fill: { barFill: fill } as never,
    fillLabel: fill,
    referenceCalendar: calendar,
    data: { source: 'test' },
  };
}

const closes = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109];

describe('runBacktest', () => {
  it('fills a market order decided on a bar at that close (close) or the next open (ohlc, next-open)', async () => {
    const series = barSeriesFromBars(dayBars('2026-03-02', closes));
    const atClose = await runBacktest(options(series, 'close', scripted(2, 5)));
    expect(atClose.trades).toHaveLength(1);
    expect(atClose.trades[0]?.entryPricePaise).toBe(102_00);
    expect(atClose.trades[0]?.exitPricePaise).toBe(105_00);
    expect(atClose.trades[0]?.grossPnlPaise).toBe(10 * 300);
    const nextOpen = await runBacktest(options(series, 'ohlc', scripted(2, 5)));
    // The open of bar 3 is the close of bar 2 in this data: 102; exit at the open of bar 6 = 105.
    expect(nextOpen.trades[0]?.entryPricePaise).toBe(102_00);
    expect(nextOpen.trades[0]?.entryAtMs).toBe(istToEpochMs('2026-03-02', '09:18'));
    expect(nextOpen.finalEquityPaise).toBe(10_00_000_00 + 3_000);
  });

  it('tells the three fill policies apart when bars gap at the open', async () => {
    // Each open is ₹0.50 above the previous close: close fills at 102 / 105, next-bar fills at 102.50 / 105.50.
    const series = barSeriesFromBars(dayBars('2026-03-02', closes, instrument.id, 0.5));
    for (const fill of ['close', 'ohlc', 'next-open'] as const) {
      const result = await runBacktest(options(series, fill, scripted(2, 5)));
      const trade = result.trades[0];
      const nextBar = fill !== 'close';
      expect([fill, trade?.entryPricePaise, trade?.exitPricePaise]).toEqual([
        fill,
        nextBar ? 102_50 : 102_00,
        nextBar ? 105_50 : 105_00,
      ]);
    }
  });

  it('squares off an MIS position at the cutoff and counts equity per day', async () => {
    const day1 = dayBars(
      '2026-03-02',
      Array.from({ length: 375 }, (_, i) => 100 + (i % 7)),
    );
    const day2 = dayBars(
      '2026-03-03',
      Array.from({ length: 375 }, (_, i) => 100 + (i % 5)),
    );
    const series = barSeriesFromBars([...day1, ...day2]);
    const result = await runBacktest(options(series, 'close', scripted(10, null)));
    expect(result.trades).toHaveLength(1);
    const trade = result.trades[0];
    // Squared off by the scheduler at 15:20 IST on the first day.
    expect(trade?.exitAtMs).toBe(istToEpochMs('2026-03-02', '15:20'));
    expect(result.daily.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03']);
    expect(result.daily[1]?.equityPaise).toBe(result.finalEquityPaise);
    expect(result.counts.bars).toBe(750);
    expect(result.metrics.trades).toBe(1);
  });

  it('holds a CNC position across days: no square-off, marked at the last close, named in a warning', async () => {
    const day1 = dayBars(
      '2026-03-02',
      Array.from({ length: 375 }, (_, i) => 100 + (i % 7)),
    );
    const day2 = dayBars(
      '2026-03-03',
      Array.from({ length: 375 }, () => 120),
    );
    const series = barSeriesFromBars([...day1, ...day2]);
    const result = await runBacktest(options(series, 'close', scripted(10, null, 'CNC'), 'CNC'));
    expect(result.trades).toHaveLength(0);
    expect(result.counts.orders).toBe(1);
    // Bought 10 at the close of bar 10 (₹103), marked at ₹120 at the end.
    expect(result.finalEquityPaise).toBe(10_00_000_00 + 10 * 1_700);
    expect(result.warnings.join('\n')).toMatch(/position of 10 .* still open at the end of the data/);
    expect(result.metrics.exposurePct).toBeGreaterThan(95);
  });

  it('refuses charges that cannot price the data before running', async () => {
    const series = barSeriesFromBars(dayBars('2020-03-02', closes));
    await expect(
      runBacktest({
        ...options(series, 'close', scripted(2, 5)),
        fees: new ZerodhaFeeModel(),
        chargesLabel: 'zerodha',
      }),
    ).rejects.toThrow(/charges zerodha cannot price this data: trade date 2020-03-02 is before the first/);
  });

  it('refuses MIS on daily bars', async () => {
    const bars = dayBars('2026-03-02', [100]).map((b) => ({
      ...b,
      interval: '1d' as const,
      start: istToEpochMs('2026-03-02', '00:00'),
    }));
    await expect(runBacktest(options(barSeriesFromBars(bars), 'close', scripted(0, null)))).rejects.toThrow(
      /MIS squares off every day at the cutoff: it needs intraday bars/,
    );
  });
});
