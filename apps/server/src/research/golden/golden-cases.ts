// The golden backtest cases: every built-in strategy on the shared fixture, with the spec each runs. A case's
// golden file is strategies/<strategy>/golden/<case>.json (see golden-file.ts).
import { fileURLToPath } from 'node:url';
import { instrumentId, type InstrumentId } from '@kitepilot/core';
import type { BacktestSpec, FillPolicy } from '../backtest-spec.ts';
import { weekdaysFrom, type GoldenBarsOptions } from './golden-bars.ts';

/** The instrument of the fixture. */
export const GOLDEN_SYMBOL = 'NSE:INFY';
export const GOLDEN_INSTRUMENT: InstrumentId = instrumentId('INFY', 'NSE');

/**
 * The shared fixture: 20 NSE trading days of January 2025 (no exchange holiday falls on them), 7 500 one-minute bars
 * of one instrument around ₹1 500. Seed 21 was chosen because sma-cross (20/60, stop 0.3 %) then exits by down-cross,
 * by stop, by the square-off LIMIT and by its MARKET escalation, and every other strategy trades on most days.
 */
export const GOLDEN_FIXTURE: GoldenBarsOptions = {
  instrumentId: GOLDEN_INSTRUMENT,
  seed: 21,
  dates: weekdaysFrom('2025-01-01', 20),
  startPricePaise: 150_000,
};

/** The file name the fixture CSV is written under (it appears in each run's configuration). */
export const GOLDEN_CSV_NAME = 'golden-bars.csv';

/** One golden backtest. */
export interface GoldenCase {
  readonly strategy: 'sma-cross' | 'orb' | 'vwap-reversion' | 'time-window';
  /** The golden file's name without `.json`. */
  readonly name: string;
  /** What the case pins, in a sentence. */
  readonly about: string;
  readonly params: Readonly<Record<string, string>>;
  readonly product: 'MIS' | 'CNC';
  readonly fill: FillPolicy;
}

/** Every golden case: at least one per built-in strategy; sma-cross also per fill policy and as CNC. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    strategy: 'sma-cross',
    name: 'mis-next-open',
    about: 'intraday crossover, fills at the next open; exits by down-cross, stop and the 15:20 square-off',
    params: { fast: '20', slow: '60', stopPct: '0.3' },
    product: 'MIS',
    fill: 'next-open',
  },
  {
    strategy: 'sma-cross',
    name: 'mis-ohlc',
    about:
      'the same rules under the ohlc fill policy (MARKET at the next open, the square-off LIMIT along the bar)',
    params: { fast: '20', slow: '60', stopPct: '0.3' },
    product: 'MIS',
    fill: 'ohlc',
  },
  {
    strategy: 'sma-cross',
    name: 'mis-close',
    about: 'the same rules under the close fill policy (MARKET at the close of the deciding bar)',
    params: { fast: '20', slow: '60', stopPct: '0.3' },
    product: 'MIS',
    fill: 'close',
  },
  {
    strategy: 'sma-cross',
    name: 'cnc-next-open',
    about: 'slow averages on delivery (CNC): positions held overnight, no square-off, delivery charges',
    params: { fast: '50', slow: '200', stopPct: '2' },
    product: 'CNC',
    fill: 'next-open',
  },
  {
    strategy: 'orb',
    name: 'mis-next-open',
    about: '15-minute opening range breakout, target 2R, exit at 15:10',
    params: {},
    product: 'MIS',
    fill: 'next-open',
  },
  {
    strategy: 'vwap-reversion',
    name: 'mis-next-open',
    about: 'fade 0.5 % stretches from the session VWAP between 09:30 and 15:00',
    params: {},
    product: 'MIS',
    fill: 'next-open',
  },
  {
    strategy: 'time-window',
    name: 'mis-buy-next-open',
    about: 'buy at 09:30, sell at 15:00, stop 1 %, target 2 %',
    params: {},
    product: 'MIS',
    fill: 'next-open',
  },
  {
    strategy: 'time-window',
    name: 'mis-sell-ohlc',
    about: 'short at 10:00, cover at 14:30, stop 0.5 %, target 1 %, under the ohlc fill policy',
    params: { side: 'SELL', buyTime: '10:00', sellTime: '14:30', stopLossPct: '0.5', targetPct: '1' },
    product: 'MIS',
    fill: 'ohlc',
  },
];

/** The common terms of every case: 10 shares, ₹10 lakh, Zerodha charges, no slippage or latency. */
export function specOf(c: GoldenCase, csvPath: string): BacktestSpec {
  return {
    data: { kind: 'csv', path: csvPath },
    symbol: GOLDEN_SYMBOL,
    strategy: c.strategy,
    params: c.params,
    qty: 10,
    product: c.product,
    cashRupees: 1_000_000,
    charges: 'zerodha',
    fill: c.fill,
    slippage: 'none',
    latencyMs: 0,
  };
}

/** Returns the path of a case's golden file: strategies/<strategy>/golden/<name>.json in the repository. */
export function goldenPath(c: GoldenCase): string {
  return fileURLToPath(
    new URL(`../../../../../strategies/${c.strategy}/golden/${c.name}.json`, import.meta.url),
  );
}
