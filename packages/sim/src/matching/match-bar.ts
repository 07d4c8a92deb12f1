import type { Bar, OrderType, Paise, Side } from '@kitepilot/core';
import type { LimitFillRule } from '../sim-fill-options.ts';
import { slipMarketFill, type MarketSlipOptions } from './market-slip.ts';
import type { MatchedFill, PriceGrid } from './match-types.ts';
import { participationCap, isStopTriggered, limitReached } from './match-resting.ts';
import { withinLimit, worsenByTicks } from './price-grid.ts';

/** A working order as bar matching sees it. */
export interface BarOrder {
  readonly side: Side;
  readonly orderType: OrderType;
  /** Open quantity, a whole number of lots. */
  readonly qty: number;
  readonly limitPricePaise: Paise | null;
  readonly triggerPricePaise: Paise | null;
  /** True for a stop (SL, SL-M) whose trigger was already reached; ignored for MARKET and LIMIT. */
  readonly triggered: boolean;
  /**
   * True when the order became active between bars and this is the first bar it meets (barFill `ohlc`):
   * a LIMIT then takes the open when the open is at or better than its limit (default false).
   */
  readonly takesOpen?: boolean;
}

/** The knobs of bar matching. */
export interface BarMatchOptions extends MarketSlipOptions {
  readonly limitFillRule: LimitFillRule;
  readonly volumeParticipation: number | null;
}

/** The outcome of matching one order against one bar. */
export interface BarMatch {
  /** True when a stop's trigger was reached in this bar. */
  readonly triggered: boolean;
  readonly fills: readonly MatchedFill[];
  /** Where on the bar's path the first thing happened (0 = open … 3 = close), to order events across orders. */
  readonly step: number;
}

/**
 * Returns the assumed price path through a bar, the adverse one for the order's side: a buy sees
 * open → high → low → close, a sell open → low → high → close. So a stop (a buy stop above, a sell stop
 * below) is always reached before a target on the same side, whichever way the bar closed — the
 * conservative rule "stop before target when both are touched".
 */
export function ohlcPath(side: Side, bar: Bar): readonly [Paise, Paise, Paise, Paise] {
  return side === 'BUY'
    ? [bar.openPaise, bar.highPaise, bar.lowPaise, bar.closePaise]
    : [bar.openPaise, bar.lowPaise, bar.highPaise, bar.closePaise];
}

const NOTHING: BarMatch = { triggered: false, fills: [], step: 4 };

/**
 * Matches a working order against a bar along ohlcPath. A stop triggers at the open when the bar gaps
 * through the trigger (at the open price), else at its trigger price on the first segment that reaches
 * it. A market-like order (MARKET, triggered SL-M) fills at the open — or at the trigger point — worsened
 * by `slippageTicks` and the `slippage` model (slipMarketFill; no market protection applies). A LIMIT
 * with `takesOpen` fills at the open when the open is at or better than its limit. A limit-like order (LIMIT, triggered SL) that is marketable at the trigger point
 * fills there (never beyond its limit); otherwise it rests and fills at its own limit price at the first
 * path point that reaches the limit by `limitFillRule`. Quantity is capped by `volumeParticipation` × the
 * bar's volume when set. Fills are all-or-nothing per bar otherwise.
 */
export function matchOnBar(order: BarOrder, bar: Bar, grid: PriceGrid, options: BarMatchOptions): BarMatch {
  const { side } = order;
  const path = ohlcPath(side, bar);
  const isStop = order.orderType === 'SL' || order.orderType === 'SL-M';
  const marketLike = order.orderType === 'MARKET' || order.orderType === 'SL-M';
  const qty = participationCap(order.qty, bar.volume, options.volumeParticipation, grid.lotSize);
  let step = 0;
  let pointPrice: Paise = bar.openPaise;
  let triggeredNow = false;
  if (isStop && !order.triggered) {
    const trigger = order.triggerPricePaise;
    if (trigger === null) return NOTHING;
    const at = path.findIndex((p) => isStopTriggered(side, trigger, p));
    if (at < 0) return NOTHING;
    step = at;
    pointPrice = at === 0 ? bar.openPaise : trigger;
    triggeredNow = true;
  }
  const result = (fills: MatchedFill[], fillStep: number): BarMatch => ({
    triggered: triggeredNow,
    fills,
    step: triggeredNow ? step : fillStep,
  });
  if (qty <= 0) return result([], step);
  if (marketLike) {
    const price = slipMarketFill(pointPrice, side, qty, grid, options, { bar, tick: null });
    return result([{ qty, pricePaise: price, level: null }], step);
  }
  const limit = order.limitPricePaise;
  if (limit === null) return result([], step);
  if (!isStop && order.takesOpen === true && withinLimit(side, bar.openPaise, limit)) {
    return result([{ qty, pricePaise: bar.openPaise, level: null }], 0);
  }
  if (triggeredNow && withinLimit(side, pointPrice, limit)) {
    const slipped = worsenByTicks(pointPrice, side, options.slippageTicks, grid.tickSizePaise);
    const price = withinLimit(side, slipped, limit) ? slipped : limit;
    return result([{ qty, pricePaise: price, level: null }], step);
  }
  for (let j = step; j < path.length; j++) {
    const p = path[j];
    if (p !== undefined && limitReached(side, limit, p, options.limitFillRule)) {
      return result([{ qty, pricePaise: limit, level: null }], j);
    }
  }
  return result([], step);
}
