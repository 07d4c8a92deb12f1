// The out-of-sample equity curve of a walk-forward study: the test periods' daily equity chained end to end. Each
// test period was run on its own from the same starting cash; stitched, it starts from the previous period's
// ending equity, so its daily returns are kept and compound: equity = previous end × period equity / period
// starting cash, rounded half-up to the paisa (exact BigInt arithmetic). Trades, charges and traded value are
// concatenated as traded (each period on its own starting cash); the stitched metrics come from computeMetrics over
// the chained daily equity and the concatenated trades.
import { divRound } from '@kitepilot/core';
import type { BacktestMetrics, DailyEquity, TradeRecord } from '../backtest/backtest-result.ts';
import { computeMetrics } from '../metrics/compute-metrics.ts';

/** What one test period contributes to the stitched result. */
export interface OutOfSampleResult {
  readonly startingCashPaise: number;
  /** The period's closing equity per trading day, from its own starting cash. */
  readonly daily: readonly DailyEquity[];
  readonly trades: readonly TradeRecord[];
  readonly chargesPaise: number;
  readonly tradedValuePaise: number;
  readonly bars: number;
  readonly barsInMarket: number;
}

/** The test periods chained into one run. */
export interface StitchedResult {
  readonly startingCashPaise: number;
  readonly daily: readonly DailyEquity[];
  readonly trades: readonly TradeRecord[];
  readonly metrics: BacktestMetrics;
  /** How many test periods were chained. */
  readonly periods: number;
}

/**
 * Returns the periods (in time order, none overlapping) chained from `startingCashPaise`. Throws a RangeError when a
 * period's starting cash is not positive or its days do not follow the previous period's.
 */
export function stitchOutOfSample(
  startingCashPaise: number,
  periods: readonly OutOfSampleResult[],
): StitchedResult {
  if (!Number.isSafeInteger(startingCashPaise) || startingCashPaise <= 0) {
    throw new RangeError(`starting cash ${startingCashPaise} paise is not a positive safe integer`);
  }
  const daily: DailyEquity[] = [];
  const trades: TradeRecord[] = [];
  let chargesPaise = 0;
  let tradedValuePaise = 0;
  let bars = 0;
  let barsInMarket = 0;
  let base = BigInt(startingCashPaise);
  periods.forEach((period, p) => {
    if (!Number.isSafeInteger(period.startingCashPaise) || period.startingCashPaise <= 0) {
      throw new RangeError(
        `period ${p}: starting cash ${period.startingCashPaise} paise is not a positive safe integer`,
      );
    }
    const cash = BigInt(period.startingCashPaise);
    let end = base;
    for (const day of period.daily) {
      const last = daily.at(-1);
      if (last !== undefined && day.date <= last.date) {
        throw new RangeError(
          `period ${p}: day ${day.date} does not follow ${last.date} (periods overlap or are out of order)`,
        );
      }
      end = divRound(base * BigInt(day.equityPaise), cash, 'half-up');
      daily.push({ date: day.date, equityPaise: Number(end) });
    }
    base = end;
    trades.push(...period.trades);
    chargesPaise += period.chargesPaise;
    tradedValuePaise += period.tradedValuePaise;
    bars += period.bars;
    barsInMarket += period.barsInMarket;
  });
  const metrics = computeMetrics({
    startingCashPaise,
    daily,
    trades,
    chargesPaise,
    tradedValuePaise,
    bars,
    barsInMarket,
  });
  return { startingCashPaise, daily, trades, metrics, periods: periods.length };
}
