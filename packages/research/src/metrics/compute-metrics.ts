// The statistics of a backtest run, computed exactly as the doc comments of BacktestMetrics define them.
// Sums of paise stay exact integers (checked against overflow); only ratios are floating point. A ratio that is
// undefined comes out as null, never NaN or Infinity.
import type { BacktestMetrics, MetricsInput, TradeRecord } from '../backtest/backtest-result.ts';
import { assertDailyEquity, dailyReturns, drawdownSeries } from './equity-series.ts';

/** Trading days in a year, for annualising (BacktestMetrics conventions). */
export const TRADING_DAYS_PER_YEAR = 252;

/** The largest drawdown of a run: its size and how long it lasted. */
export interface MaxDrawdown {
  /** The largest percentage fall from a running peak (0 when equity never fell). */
  readonly pct: number;
  /** The largest fall from a running peak in paise (it may belong to another episode than `pct`). */
  readonly paise: number;
  /** Trading days from the peak before the largest percentage fall until equity regained it, or the last day. */
  readonly days: number;
}

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} ${value} is not a non-negative safe integer`);
  }
}

/** Returns a + b; throws a RangeError when the exact sum leaves the safe integer range. */
function addExact(a: number, b: number, what: string): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`${what} overflows safe integer paise at ${a} + ${b}`);
  return sum;
}

/** Returns `value` when it is finite, else null (a guard for results like an overflowing power). */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function assertInput(input: MetricsInput): void {
  assertDailyEquity(input.daily, input.startingCashPaise);
  assertCount(input.chargesPaise, 'chargesPaise');
  assertCount(input.tradedValuePaise, 'tradedValuePaise');
  assertCount(input.bars, 'bars');
  assertCount(input.barsInMarket, 'barsInMarket');
  if (input.barsInMarket > input.bars) {
    throw new RangeError(`barsInMarket ${input.barsInMarket} exceeds bars ${input.bars}`);
  }
  for (const [index, trade] of input.trades.entries()) {
    if (!Number.isSafeInteger(trade.netPnlPaise)) {
      throw new RangeError(
        `trades[${index}].netPnlPaise ${trade.netPnlPaise} of ${trade.instrumentId} is not a safe integer`,
      );
    }
  }
}

/** Returns the largest drawdown of the daily closing equity, the starting cash counting as the first peak. */
export function maxDrawdown(input: Pick<MetricsInput, 'startingCashPaise' | 'daily'>): MaxDrawdown {
  const series = drawdownSeries(input.daily, input.startingCashPaise);
  // Positions: 0 is the start (starting cash), day i of `daily` is position i + 1.
  let peakPosition = 0;
  let worstPct = 0;
  let worstPeakPosition = 0;
  let worstPeakPaise = input.startingCashPaise;
  let worstPosition = 0;
  let maxPaise = 0;
  for (const [index, point] of series.entries()) {
    const position = index + 1;
    if (point.drawdownPaise === 0) peakPosition = position;
    maxPaise = Math.max(maxPaise, point.drawdownPaise);
    if (point.drawdownPct > worstPct) {
      worstPct = point.drawdownPct;
      worstPeakPosition = peakPosition;
      worstPeakPaise = point.peakPaise;
      worstPosition = position;
    }
  }
  if (worstPct === 0) return { pct: 0, paise: maxPaise, days: 0 };
  let endPosition = series.length;
  for (let position = worstPosition + 1; position <= series.length; position++) {
    if ((series[position - 1]?.equityPaise ?? 0) >= worstPeakPaise) {
      endPosition = position;
      break;
    }
  }
  return { pct: worstPct, paise: maxPaise, days: endPosition - worstPeakPosition };
}

/** Returns the Sharpe ratio of daily returns (zero risk-free rate, annualised by √252), or null when undefined. */
export function sharpeRatio(returns: readonly number[]): number | null {
  const n = returns.length;
  if (n < 2) return null;
  // Identical returns have zero variance; testing equality avoids a rounding residue posing as variance.
  if (returns.every((r) => r === returns[0])) return null;
  const mean = returns.reduce((sum, r) => sum + r, 0) / n;
  const variance = returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (n - 1);
  const stdev = Math.sqrt(variance);
  if (!(stdev > 0)) return null;
  return finiteOrNull((mean / stdev) * Math.sqrt(TRADING_DAYS_PER_YEAR));
}

/** Returns the Sortino ratio: mean / √(mean(min(r, 0)²)) × √252 over all days; null when no day lost. */
export function sortinoRatio(returns: readonly number[]): number | null {
  const n = returns.length;
  if (!returns.some((r) => r < 0)) return null;
  const mean = returns.reduce((sum, r) => sum + r, 0) / n;
  const downside = Math.sqrt(returns.reduce((sum, r) => sum + Math.min(r, 0) ** 2, 0) / n);
  if (!(downside > 0)) return null;
  return finiteOrNull((mean / downside) * Math.sqrt(TRADING_DAYS_PER_YEAR));
}

/**
 * Returns the compound annual growth in percent over `tradingDays` (252 a year): null with no trading day,
 * when the final equity is negative (no real root) or when the power overflows.
 */
export function annualisedReturnPct(
  startingCashPaise: number,
  finalEquityPaise: number,
  tradingDays: number,
): number | null {
  if (tradingDays <= 0 || finalEquityPaise < 0) return null;
  const growth = finalEquityPaise / startingCashPaise;
  return finiteOrNull((growth ** (TRADING_DAYS_PER_YEAR / tradingDays) - 1) * 100);
}

interface TradeStats {
  readonly winRatePct: number | null;
  readonly profitFactor: number | null;
  readonly expectancyPaise: number | null;
}

function tradeStats(trades: readonly TradeRecord[]): TradeStats {
  if (trades.length === 0) return { winRatePct: null, profitFactor: null, expectancyPaise: null };
  let wins = 0;
  let winPaise = 0;
  let lossPaise = 0;
  let netPaise = 0;
  for (const trade of trades) {
    netPaise = addExact(netPaise, trade.netPnlPaise, 'sum of trade net P&L');
    if (trade.netPnlPaise > 0) {
      wins++;
      winPaise = addExact(winPaise, trade.netPnlPaise, 'sum of winning trades');
    } else if (trade.netPnlPaise < 0) {
      lossPaise = addExact(lossPaise, trade.netPnlPaise, 'sum of losing trades');
    }
  }
  return {
    winRatePct: (wins / trades.length) * 100,
    profitFactor: lossPaise === 0 ? null : winPaise / -lossPaise,
    expectancyPaise: netPaise / trades.length,
  };
}

/** Returns the statistics of a run (BacktestMetrics); throws a RangeError naming the value on malformed input. */
export function computeMetrics(input: MetricsInput): BacktestMetrics {
  assertInput(input);
  const startingCashPaise = input.startingCashPaise;
  const tradingDays = input.daily.length;
  const finalEquityPaise = input.daily.at(-1)?.equityPaise ?? startingCashPaise;
  const netPnlPaise = finalEquityPaise - startingCashPaise;
  if (!Number.isSafeInteger(netPnlPaise)) {
    throw new RangeError(`net P&L ${finalEquityPaise} − ${startingCashPaise} overflows safe integer paise`);
  }

  const returns = dailyReturns(input).map((day) => day.returnPct);
  // After the equity reached zero or below, daily returns are undefined, and so are the ratios built on them.
  const definedReturns = returns.every((r) => r !== null) ? (returns as number[]) : null;
  const sharpe = definedReturns === null ? null : sharpeRatio(definedReturns);
  const sortino = definedReturns === null ? null : sortinoRatio(definedReturns);

  const annualised = annualisedReturnPct(startingCashPaise, finalEquityPaise, tradingDays);
  const drawdown = maxDrawdown(input);
  const calmar = annualised === null || drawdown.pct === 0 ? null : finiteOrNull(annualised / drawdown.pct);

  return {
    startingCashPaise,
    finalEquityPaise,
    netPnlPaise,
    totalReturnPct: (netPnlPaise / startingCashPaise) * 100,
    annualisedReturnPct: annualised,
    sharpe,
    sortino,
    maxDrawdownPct: drawdown.pct,
    maxDrawdownPaise: drawdown.paise,
    maxDrawdownDays: drawdown.days,
    calmar,
    trades: input.trades.length,
    ...tradeStats(input.trades),
    exposurePct: input.bars === 0 ? 0 : (input.barsInMarket / input.bars) * 100,
    turnover: input.tradedValuePaise / startingCashPaise,
    tradedValuePaise: input.tradedValuePaise,
    chargesPaise: input.chargesPaise,
    tradingDays,
  };
}
