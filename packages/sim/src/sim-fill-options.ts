import { InvariantError } from '@kitepilot/core';
import type { SlippageModel } from './slippage/slippage-model.ts';

/** How a resting LIMIT order meets the last traded price: strictly through it, or touching it. */
export type LimitFillRule = 'through' | 'touch';

/**
 * How SimExecutionClient fills orders while an instrument's market is a bar (fed by onBar); a market fed
 * by ticks is not affected. An order that arrives at the venue after a bar, at that bar's close time:
 * - `close` (default): is matched at once against the bar's close as the last price, like a tick without
 *   depth (a MARKET fills at the close worsened by the slippage, within market protection; a marketable
 *   LIMIT fills at the close; a stop triggers when the close reached its trigger). Working orders are then
 *   matched on each later bar along the adverse OHLC path (matchOnBar).
 * - `ohlc`: is not matched on arrival (nor after a modification): it waits for the next bar of its
 *   instrument. There a MARKET fills at the open worsened by the slippage, a LIMIT fills at the open when
 *   the open is at or better than its limit, and otherwise (and on every later bar, and for every stop)
 *   the order is matched along the adverse OHLC path (matchOnBar): a stop triggers at the open on a gap,
 *   else at its trigger; a triggered SL-M fills there worsened by the slippage.
 * - `next-open`: is not matched on arrival; every working order is matched only against the open of the
 *   bars after it arrived (matchAtOpen, the rule of NextBarOpenFillModel): a MARKET fills at the open
 *   worsened by the slippage; a LIMIT fills at the open when the open is at or better than its limit; a
 *   stop triggers when an open reaches its trigger and then fills at that open like MARKET (SL-M) or like
 *   LIMIT (SL). Highs and lows are ignored.
 * No market protection applies to a fill at a bar's open or inside a bar (only `close` arrival fills, at
 * the last price, are protected). With `ohlc` and `next-open` an IOC order that is not filled by the
 * first bar it meets is cancelled there; an IOC stop counts from its trigger, as on ticks. A MARKET order
 * still needs a price to be accepted: it is rejected when no bar or tick was seen yet.
 */
export type BarFillPolicy = 'close' | 'ohlc' | 'next-open';

/** The bar fill policies, in documentation order. */
export const BAR_FILL_POLICIES: readonly BarFillPolicy[] = ['close', 'ohlc', 'next-open'];

/** Tunables of the simulated fills; every field has a documented default. */
export interface SimFillOptions {
  /** Ticks by which the remainder beyond the visible depth is worsened from the last visible level (default 1). */
  readonly beyondDepthTicks?: number;
  /**
   * Ticks of slippage added to the last price when a tick has no depth, or to a bar price (default 0).
   * Not together with `slippage` (> 0 with a model set throws InvariantError).
   */
  readonly slippageTicks?: number;
  /**
   * A slippage model for market-like fills (MARKET, triggered SL-M) priced off a reference price: a bar
   * price, or the last price of a tick without visible depth on the order's side (a depth walk already
   * pays the spread). The price is worsened by the model's amount and rounded against the order onto the
   * tick grid; limit-like fills (LIMIT, SL) are never slipped. Default null (none).
   */
  readonly slippage?: SlippageModel | null;
  /** Kite-style market protection for MARKET and triggered SL-M orders in percent (default 2; null: none). */
  readonly marketProtectionPct?: number | null;
  /** When a resting LIMIT fills: the last price trades through the limit (default) or touches it. */
  readonly limitFillRule?: LimitFillRule;
  /**
   * Share of the traded quantity a resting order may take (0 < p ≤ 1): of the tick's last traded quantity,
   * or of the bar's volume; null (default) = no cap.
   */
  readonly volumeParticipation?: number | null;
  /** How orders fill while the market is a bar (default `close`); see BarFillPolicy. */
  readonly barFill?: BarFillPolicy;
}

/** SimFillOptions with every default filled in. */
export interface ResolvedFillOptions {
  readonly beyondDepthTicks: number;
  readonly slippageTicks: number;
  readonly slippage: SlippageModel | null;
  readonly marketProtectionPct: number | null;
  readonly limitFillRule: LimitFillRule;
  readonly volumeParticipation: number | null;
  readonly barFill: BarFillPolicy;
}

/** The defaults of SimFillOptions. */
export const DEFAULT_FILL_OPTIONS: ResolvedFillOptions = {
  beyondDepthTicks: 1,
  slippageTicks: 0,
  slippage: null,
  marketProtectionPct: 2,
  limitFillRule: 'through',
  volumeParticipation: null,
  barFill: 'close',
};

function ticks(name: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvariantError(`${name} ${n} must be an integer ≥ 0`);
  return n;
}

/** Returns the options with defaults applied; throws InvariantError on an out-of-range value. */
export function resolveFillOptions(options: SimFillOptions = {}): ResolvedFillOptions {
  const d = DEFAULT_FILL_OPTIONS;
  const protection =
    options.marketProtectionPct === undefined ? d.marketProtectionPct : options.marketProtectionPct;
  if (protection !== null && (!Number.isFinite(protection) || protection <= 0 || protection > 100)) {
    throw new InvariantError(`marketProtectionPct ${protection} must be in (0, 100] or null`);
  }
  const participation =
    options.volumeParticipation === undefined ? d.volumeParticipation : options.volumeParticipation;
  if (
    participation !== null &&
    (!Number.isFinite(participation) || participation <= 0 || participation > 1)
  ) {
    throw new InvariantError(`volumeParticipation ${participation} must be in (0, 1] or null`);
  }
  const rule = options.limitFillRule ?? d.limitFillRule;
  if (rule !== 'through' && rule !== 'touch') {
    throw new InvariantError(`limitFillRule ${String(rule)} must be 'through' or 'touch'`);
  }
  const barFill = options.barFill ?? d.barFill;
  if (!BAR_FILL_POLICIES.includes(barFill)) {
    throw new InvariantError(`barFill ${String(barFill)} must be one of ${BAR_FILL_POLICIES.join(', ')}`);
  }
  const slippage = options.slippage ?? d.slippage;
  if (slippage !== null && typeof slippage.slippagePaise !== 'function') {
    throw new InvariantError('slippage must be a SlippageModel (an object with slippagePaise)');
  }
  const slippageTicks = ticks('slippageTicks', options.slippageTicks ?? d.slippageTicks);
  // One source of slippage: ticks and a model together would charge the same fill twice.
  if (slippage !== null && slippageTicks > 0) {
    throw new InvariantError(
      `slippageTicks ${slippageTicks} and a slippage model cannot both be set; use one of them`,
    );
  }
  return {
    beyondDepthTicks: ticks('beyondDepthTicks', options.beyondDepthTicks ?? d.beyondDepthTicks),
    slippageTicks,
    slippage,
    marketProtectionPct: protection,
    limitFillRule: rule,
    volumeParticipation: participation,
    barFill,
  };
}
