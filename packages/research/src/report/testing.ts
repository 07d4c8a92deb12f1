// Builders for metrics and report tests: a trade and a whole backtest result with sensible defaults, each field
// overridable. The result's metrics are computed from its own daily equity and trades, as the runner does.
import type { BacktestResult, DailyEquity, TradeRecord } from '../backtest/backtest-result.ts';
import { computeMetrics } from '../metrics/compute-metrics.ts';

/** 2026-01-05 09:15:00 IST in epoch milliseconds, the default entry time of aTrade. */
export const TRADE_ENTRY_MS = Date.UTC(2026, 0, 5, 3, 45, 0);

/** Returns a long RELIANCE.NSE trade of 10 shares netting `netPnlPaise` (default ₹30.00) after ₹1.00 charges. */
export function aTrade(overrides: Partial<TradeRecord> = {}): TradeRecord {
  const netPnlPaise = overrides.netPnlPaise ?? 3000;
  const chargesPaise = overrides.chargesPaise ?? 100;
  return {
    strategyId: 'str_sma_cross',
    instrumentId: 'RELIANCE.NSE',
    direction: 'LONG',
    qty: 10,
    entryAtMs: TRADE_ENTRY_MS,
    entryPricePaise: 157_370,
    exitAtMs: TRADE_ENTRY_MS + 30 * 60_000,
    exitPricePaise: 157_370 + (netPnlPaise + chargesPaise) / 10,
    grossPnlPaise: netPnlPaise + chargesPaise,
    chargesPaise,
    netPnlPaise,
    bars: 30,
    ...overrides,
  };
}

/** Returns bar-close equity points: one per day at 15:29 IST, at the day's closing equity. */
function equityOf(daily: readonly DailyEquity[]): BacktestResult['equity'] {
  return daily.map((day) => ({
    atMs: Date.parse(`${day.date}T15:29:00+05:30`),
    equityPaise: day.equityPaise,
  }));
}

/** The parts of a result a test sets; the rest (metrics, equity, final equity) follows from them. */
export interface ResultOverrides extends Partial<Omit<BacktestResult, 'metrics'>> {
  readonly startingCashPaise?: number;
}

/** Returns a small two-month run of sma-cross with four trades; metrics computed from its daily equity. */
export function aBacktestResult(overrides: ResultOverrides = {}): BacktestResult {
  const startingCashPaise = overrides.startingCashPaise ?? 10_000_000;
  const daily = overrides.daily ?? [
    { date: '2026-01-05', equityPaise: 10_250_000 },
    { date: '2026-01-06', equityPaise: 10_100_000 },
    { date: '2026-01-07', equityPaise: 9_900_000 },
    { date: '2026-02-02', equityPaise: 10_400_000 },
    { date: '2026-02-03', equityPaise: 10_345_678 },
  ];
  const trades = overrides.trades ?? [
    aTrade({ netPnlPaise: 250_000 }),
    aTrade({ netPnlPaise: -150_000, direction: 'SHORT', instrumentId: 'INFY.NSE' }),
    aTrade({ netPnlPaise: -200_000 }),
    aTrade({ netPnlPaise: 445_678 }),
  ];
  const finalEquityPaise = daily.at(-1)?.equityPaise ?? startingCashPaise;
  const metrics = computeMetrics({
    startingCashPaise,
    daily,
    trades,
    chargesPaise: trades.reduce((sum, t) => sum + t.chargesPaise, 0),
    tradedValuePaise: trades.reduce((sum, t) => sum + 2 * t.qty * t.entryPricePaise, 0),
    bars: 375 * daily.length,
    barsInMarket: Math.min(
      375 * daily.length,
      trades.reduce((sum, t) => sum + t.bars, 0),
    ),
  });
  const { startingCashPaise: _start, ...rest } = overrides;
  return {
    runId: 'run_01JH2METRICS',
    strategy: 'sma-cross',
    params: { fast: 9, slow: 21, product: 'MIS' },
    configHash: 'c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc',
    config: {
      data: { instruments: ['RELIANCE.NSE', 'INFY.NSE'], interval: '1m' },
      cashPaise: startingCashPaise,
    },
    finalEquityPaise,
    equity: equityOf(daily),
    counts: { bars: 375 * daily.length, orders: 8, fills: 8, denials: 1, rejections: 0 },
    orderListHash: 'feedface00112233445566778899aabbccddeeff00112233445566778899aabb',
    warnings: [],
    startedAtMs: Date.UTC(2026, 1, 4, 12, 0, 0),
    finishedAtMs: Date.UTC(2026, 1, 4, 12, 0, 2, 500),
    barsPerSecond: 750,
    ...rest,
    daily,
    trades,
    metrics,
  };
}
