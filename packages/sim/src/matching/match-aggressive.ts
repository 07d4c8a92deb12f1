import type { Bar, Depth, DepthLevel, Paise, Side, Tick } from '@kitepilot/core';
import { slipMarketFill, type MarketSlipOptions } from './market-slip.ts';
import type { MatchedFill, PriceGrid } from './match-types.ts';
import { lotFloor, marketProtectionLimit, roundAgainst, withinLimit, worsenByTicks } from './price-grid.ts';

/** An order that takes liquidity now: a MARKET order, a marketable LIMIT, or a stop that just triggered. */
export interface AggressiveOrder {
  readonly side: Side;
  /** Quantity to execute (the order's open quantity), a whole number of lots. */
  readonly qty: number;
  /** The limit price, or null for a market-like order (MARKET, SL-M). */
  readonly limitPricePaise: Paise | null;
  /** Market protection in percent for a market-like order, or null for none (ignored with a limit). */
  readonly protectionPct: number | null;
}

/** The market an aggressive order meets: the last price and, in full mode, the depth. */
export interface AggressiveMarket {
  readonly lastPricePaise: Paise;
  readonly depth: Depth | null;
  /** Quantity earlier orders already took from each opposite level of this depth, by level index. */
  readonly usedQty: readonly number[];
  /** The tick the last price comes from, for the slippage model (default null). */
  readonly tick?: Tick | null;
  /** The bar the last price comes from (its close), for the slippage model (default null). */
  readonly bar?: Bar | null;
}

/** The price knobs of aggressive matching. */
export interface AggressiveOptions extends MarketSlipOptions {
  readonly beyondDepthTicks: number;
}

/** The outcome of aggressive matching. */
export interface AggressiveMatch {
  readonly fills: readonly MatchedFill[];
  /** Quantity left unfilled. */
  readonly leavesQty: number;
  /** Why quantity was left: the order's limit or the market protection; null when all filled. */
  readonly stoppedBy: 'limit' | 'protection' | null;
  /** The protection price used, or null. */
  readonly protectionLimitPaise: Paise | null;
}

function visible(level: DepthLevel): boolean {
  return level.qty > 0 && level.pricePaise > 0;
}

/**
 * Matches an order that takes liquidity. With depth (full mode) it walks the opposite side best first,
 * one fill per level at the level's price for the level's unused quantity (whole lots); the remainder
 * beyond the visible depth fills at once at the last visible level worsened by `beyondDepthTicks`.
 * Without depth (ltp/quote mode, or an empty side) everything fills at the last price worsened by
 * `slippageTicks`, and a market-like order also by the `slippage` model (slipMarketFill); a depth walk
 * already pays the spread and the book's impact, so no model is added to it. Prices are rounded onto the grid against the order. Matching stops, leaving the
 * rest, at the first price beyond the limit (or beyond the protection price for a market-like order).
 */
export function matchAggressive(
  order: AggressiveOrder,
  market: AggressiveMarket,
  grid: PriceGrid,
  options: AggressiveOptions,
): AggressiveMatch {
  const { side } = order;
  const tick = grid.tickSizePaise;
  const protection =
    order.limitPricePaise === null && order.protectionPct !== null
      ? marketProtectionLimit(market.lastPricePaise, side, order.protectionPct, tick)
      : null;
  const cap = order.limitPricePaise ?? protection;
  const stopReason = order.limitPricePaise !== null ? 'limit' : 'protection';
  const fills: MatchedFill[] = [];
  let leaves = order.qty;
  const done = (stopped: boolean): AggressiveMatch => ({
    fills,
    leavesQty: leaves,
    stoppedBy: stopped && leaves > 0 ? stopReason : null,
    protectionLimitPaise: protection,
  });
  const allowed = (price: Paise): boolean => cap === null || withinLimit(side, price, cap);

  const levels = market.depth === null ? [] : side === 'BUY' ? market.depth.asks : market.depth.bids;
  let lastVisible: Paise | null = null;
  for (let i = 0; i < levels.length && leaves > 0; i++) {
    const level = levels[i];
    if (level === undefined || !visible(level)) continue;
    const price = roundAgainst(level.pricePaise, side, tick);
    if (!allowed(price)) return done(true);
    lastVisible = price;
    const available = level.qty - (market.usedQty[i] ?? 0);
    const take = lotFloor(Math.min(leaves, available), grid.lotSize);
    if (take <= 0) continue;
    fills.push({ qty: take, pricePaise: price, level: i });
    leaves -= take;
  }
  if (leaves === 0) return done(false);
  const price =
    lastVisible !== null
      ? worsenByTicks(lastVisible, side, options.beyondDepthTicks, tick)
      : order.limitPricePaise === null
        ? slipMarketFill(market.lastPricePaise, side, leaves, grid, options, {
            bar: market.bar ?? null,
            tick: market.tick ?? null,
          })
        : worsenByTicks(market.lastPricePaise, side, options.slippageTicks, tick);
  if (!allowed(price)) return done(true);
  fills.push({ qty: leaves, pricePaise: price, level: null });
  leaves = 0;
  return done(false);
}
