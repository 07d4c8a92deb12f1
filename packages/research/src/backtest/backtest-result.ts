// What a backtest produces: the trade list, the equity curve, the closing equity of every trading day and the
// totals the metrics need. Money is integer paise; times are UTC epoch milliseconds (shown in IST by reports).
import type { JsonValue } from '@kitepilot/core';

/** One round trip: a position opened from flat and closed back to flat (partial exits are folded in). */
export interface TradeRecord {
  readonly strategyId: string;
  readonly instrumentId: string;
  /** LONG when the opening fill bought, SHORT when it sold. */
  readonly direction: 'LONG' | 'SHORT';
  /** The largest absolute quantity held during the trade. */
  readonly qty: number;
  readonly entryAtMs: number;
  /** Quantity-weighted average price of the opening fills, in paise (may be fractional: an average). */
  readonly entryPricePaise: number;
  readonly exitAtMs: number;
  /** Quantity-weighted average price of the closing fills, in paise (may be fractional: an average). */
  readonly exitPricePaise: number;
  /** Realised P&L before charges, in paise. */
  readonly grossPnlPaise: number;
  /** Charges of every fill of the trade, in paise. */
  readonly chargesPaise: number;
  /** grossPnlPaise − chargesPaise. */
  readonly netPnlPaise: number;
  /** Number of bars (of the run's data) the position was open. */
  readonly bars: number;
}

/** Account equity (cash + marked positions − charges paid) at one time. */
export interface EquityPoint {
  readonly atMs: number;
  readonly equityPaise: number;
}

/** The equity at the last bar of one trading day (IST date `YYYY-MM-DD`). */
export interface DailyEquity {
  readonly date: string;
  readonly equityPaise: number;
}

/** Everything the metrics are computed from. */
export interface MetricsInput {
  readonly startingCashPaise: number;
  /** The closing equity of every trading day in the data, in date order (a day without bars is not listed). */
  readonly daily: readonly DailyEquity[];
  readonly trades: readonly TradeRecord[];
  /** Total charges of every fill (also of trades still open at the end), in paise. */
  readonly chargesPaise: number;
  /** Sum of |qty × price| of every fill, in paise. */
  readonly tradedValuePaise: number;
  /** Bars handled, and bars at whose close a position was open. */
  readonly bars: number;
  readonly barsInMarket: number;
}

/**
 * The statistics of a run. Conventions: returns are of equity; daily returns are close-to-close between
 * consecutive trading days in the data (the first against the starting cash); Sharpe and Sortino use a zero
 * risk-free rate and 252 trading days a year; percentages are percent (12.5 = 12.5 %). A ratio that is
 * undefined (no trades, zero variance, no losses) is null, never Infinity or NaN.
 */
export interface BacktestMetrics {
  readonly startingCashPaise: number;
  readonly finalEquityPaise: number;
  readonly netPnlPaise: number;
  readonly totalReturnPct: number;
  /** Compound annual growth over the trading days in the data (252 a year); null with no trading day. */
  readonly annualisedReturnPct: number | null;
  /** mean(daily) / sample-stdev(daily) × √252; null with fewer than 2 days or zero variance. */
  readonly sharpe: number | null;
  /** mean(daily) / √(mean(min(daily, 0)²)) × √252; null when no day lost. */
  readonly sortino: number | null;
  /** Largest peak-to-trough fall of the daily closing equity (peak includes the starting cash), in percent. */
  readonly maxDrawdownPct: number;
  readonly maxDrawdownPaise: number;
  /** Trading days from the peak before the largest drawdown until equity regained it (or the end). */
  readonly maxDrawdownDays: number;
  /** annualisedReturnPct / maxDrawdownPct; null when either is null or the drawdown is 0. */
  readonly calmar: number | null;
  readonly trades: number;
  /** Share of trades with netPnl > 0, percent; null with no trades. */
  readonly winRatePct: number | null;
  /** Sum of winning net P&L / |sum of losing net P&L|; null with no losing trade. */
  readonly profitFactor: number | null;
  /** Mean net P&L per trade, in paise; null with no trades. */
  readonly expectancyPaise: number | null;
  /** Share of bars at whose close a position was open, percent. */
  readonly exposurePct: number;
  /** Traded value / starting cash (e.g. 12.3 = the capital traded 12.3 times). */
  readonly turnover: number;
  readonly tradedValuePaise: number;
  readonly chargesPaise: number;
  readonly tradingDays: number;
}

/** A stored or printed backtest run. */
export interface BacktestResult {
  readonly runId: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, JsonValue>>;
  /** SHA-256 of the canonical JSON of the run's whole configuration (data, strategy, models, charges). */
  readonly configHash: string;
  /** The run's configuration as given (data description, fill, slippage, charges, product, cash, …). */
  readonly config: Readonly<Record<string, JsonValue>>;
  readonly metrics: BacktestMetrics;
  readonly finalEquityPaise: number;
  readonly trades: readonly TradeRecord[];
  readonly daily: readonly DailyEquity[];
  /** The equity curve at bar closes, thinned to at most a few thousand points for storage and charts. */
  readonly equity: readonly EquityPoint[];
  /** Orders sent, fills, risk denials and rejections of the run. */
  readonly counts: {
    readonly bars: number;
    readonly orders: number;
    readonly fills: number;
    readonly denials: number;
    readonly rejections: number;
  };
  /** SHA-256 of the canonical order list (every order's intent, side, qty, type, fill qty and average price). */
  readonly orderListHash: string;
  /** Warnings about the data (e.g. bars on a day the calendar calls a holiday), each once. */
  readonly warnings: readonly string[];
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** Bars handled per second of the kernel run (data already loaded). */
  readonly barsPerSecond: number;
}
