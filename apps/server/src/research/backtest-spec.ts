// A backtest as a person asks for it (CLI flags, API body): strings checked here into the ports runBacktest takes.
// Every refusal names the flag, the value and what is allowed.
import { isBarInterval, type BarInterval, type FeeModel } from '@kitepilot/core';
import { PercentFeeModel, ZerodhaFeeModel } from '@kitepilot/charges';
import {
  FixedBpsSlippage,
  FixedLatency,
  SpreadSlippage,
  VolatilityParticipationSlippage,
  type LatencyModel,
  type SimFillOptions,
  type SlippageModel,
} from '@kitepilot/sim';
import { KITE_INTERVAL_NAMES } from '../market-data/backfill-runner.ts';

/** Where the bars come from. */
export type BacktestData =
  | { readonly kind: 'csv'; readonly path: string }
  | { readonly kind: 'parquet'; readonly path: string }
  | {
      readonly kind: 'store';
      readonly symbol: string;
      readonly interval: BarInterval;
      /** IST dates `YYYY-MM-DD`, inclusive. */
      readonly from: string;
      readonly to: string;
    }
  | {
      /** Recorded ticks of the store: the tick-level fill model (venue matching on last price and depth). */
      readonly kind: 'ticks';
      readonly symbol: string;
      /** IST dates `YYYY-MM-DD`, inclusive. */
      readonly from: string;
      readonly to: string;
      /** `simulated` reads what `kitepilot ingest --demo` recorded. */
      readonly namespace: 'real' | 'simulated';
    };

/** The fill policies of bar backtests (SimFillOptions.barFill). */
export const FILL_POLICIES = ['next-open', 'ohlc', 'close'] as const;
export type FillPolicy = (typeof FILL_POLICIES)[number];

/** One backtest request. */
export interface BacktestSpec {
  readonly data: BacktestData;
  /** The instrument, e.g. `NSE:INFY` (required for files; the store query names it). */
  readonly symbol: string;
  readonly interval?: BarInterval;
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  readonly qty?: number;
  readonly product: 'MIS' | 'CNC' | 'NRML';
  readonly cashRupees: number;
  /** `none`, `zerodha` or `pct:X`. */
  readonly charges: string;
  readonly fill: FillPolicy;
  /** `none`, `bps:N`, `spread:N` (fallback spread in bps) or `vol:K`. */
  readonly slippage: string;
  readonly latencyMs: number;
  /** Tick size and lot size when the instruments master does not know the symbol (defaults ₹0.05 and 1). */
  readonly tickSizeRupees?: number;
  readonly lotSize?: number;
  /** The daily loss cap in rupees (default 5 % of the cash). */
  readonly dailyLossCapRupees?: number;
}

/** A backtest request that cannot run as given. */
export class BacktestSpecError extends Error {
  override readonly name = 'BacktestSpecError';
}

/** Returns the fee model of `--charges`. */
export function feeModelOf(charges: string): FeeModel | null {
  if (charges === 'none') return null;
  if (charges === 'zerodha') return new ZerodhaFeeModel();
  if (charges.startsWith('pct:')) {
    try {
      return new PercentFeeModel(charges.slice(4));
    } catch (error) {
      throw new BacktestSpecError(`--charges ${charges}: ${(error as Error).message}`);
    }
  }
  throw new BacktestSpecError(
    `--charges ${JSON.stringify(charges)} must be none, zerodha or pct:X (X percent per side)`,
  );
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new BacktestSpecError(`${flag} ${JSON.stringify(text)} must be a number ≥ 0`);
  }
  return n;
}

/** Returns the slippage model of `--slippage`, or null for none. */
export function slippageOf(slippage: string): SlippageModel | null {
  if (slippage === 'none') return null;
  const [kind, value = ''] = slippage.split(':', 2);
  try {
    if (kind === 'bps') return new FixedBpsSlippage(positiveNumber('--slippage bps:', value));
    if (kind === 'spread')
      return new SpreadSlippage({ fallbackSpreadBps: positiveNumber('--slippage spread:', value) });
    if (kind === 'vol')
      return new VolatilityParticipationSlippage({ k: positiveNumber('--slippage vol:', value) });
  } catch (error) {
    if (error instanceof BacktestSpecError) throw error;
    throw new BacktestSpecError(`--slippage ${slippage}: ${(error as Error).message}`);
  }
  throw new BacktestSpecError(
    `--slippage ${JSON.stringify(slippage)} must be none, bps:N (fixed basis points), spread:N (half a spread of N bps) or vol:K (K × bar range × √participation)`,
  );
}

/** Returns the venue options of a spec. */
export function fillOptionsOf(spec: Pick<BacktestSpec, 'fill' | 'slippage'>): SimFillOptions {
  if (!(FILL_POLICIES as readonly string[]).includes(spec.fill)) {
    throw new BacktestSpecError(
      `--fill ${JSON.stringify(spec.fill)} must be one of ${FILL_POLICIES.join(', ')}`,
    );
  }
  const slippage = slippageOf(spec.slippage);
  return { barFill: spec.fill, ...(slippage === null ? {} : { slippage }) };
}

/** Returns the latency model of `--latency-ms`, or undefined for none. */
export function latencyOf(ms: number): LatencyModel | undefined {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new BacktestSpecError(`--latency-ms ${ms} must be a whole number of milliseconds ≥ 0`);
  }
  return ms === 0 ? undefined : new FixedLatency(ms);
}

/** Returns the interval of `--interval`, refusing unknown ones. */
export function intervalOf(text: string): BarInterval {
  const interval = KITE_INTERVAL_NAMES[text] ?? text;
  if (!isBarInterval(interval)) {
    throw new BacktestSpecError(
      `--interval ${JSON.stringify(text)} must be one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 60m, 1d (or Kite's minute, 5minute, …, day)`,
    );
  }
  return interval;
}
