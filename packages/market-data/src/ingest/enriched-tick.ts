import type { InstrumentId, Tick } from '@kitepilot/core';

/**
 * The last accepted tick of an instrument with values derived from it. Not stored: the tick store keeps the raw
 * tick (depth included), from which these are recomputed on read with `enrichTick`.
 */
export interface EnrichedTick {
  readonly instrumentId: InstrumentId;
  readonly tick: Tick;
  /** Best ask − best bid in paise (full mode with both sides quoted), else null. */
  readonly spreadPaise: number | null;
  /**
   * (best bid + best ask) / 2 in paise, else null. An analytic, not a tradable price: it is exact and may end in
   * .5 (half of an integer sum), never rounded.
   */
  readonly midPaise: number | null;
  /**
   * Order-book imbalance of the five depth levels, (Σ bid qty − Σ ask qty) / (Σ bid qty + Σ ask qty) in [−1, 1];
   * null without depth or when both sides are empty.
   */
  readonly depthImbalance: number | null;
  /**
   * The same ratio over the whole book's pending quantities (`totalBuyQty`, `totalSellQty`, quote and full mode);
   * null when absent or both zero.
   */
  readonly bookImbalance: number | null;
}

function imbalance(bid: number, ask: number): number | null {
  const total = bid + ask;
  return total === 0 ? null : (bid - ask) / total;
}

/** Returns the tick with spread, mid and order-book imbalances derived from its depth and book totals. */
export function enrichTick(instrumentId: InstrumentId, tick: Tick): EnrichedTick {
  let spreadPaise: number | null = null;
  let midPaise: number | null = null;
  let depthImbalance: number | null = null;
  const depth = tick.depth;
  if (depth !== null) {
    // An empty depth level is sent as price 0 (kite-connect.md §4, full quote depth): it is no quote.
    const bestBid = depth.bids[0];
    const bestAsk = depth.asks[0];
    if (bestBid !== undefined && bestAsk !== undefined && bestBid.pricePaise > 0 && bestAsk.pricePaise > 0) {
      spreadPaise = bestAsk.pricePaise - bestBid.pricePaise;
      midPaise = (bestAsk.pricePaise + bestBid.pricePaise) / 2;
    }
    let bidQty = 0;
    let askQty = 0;
    for (const l of depth.bids) bidQty += l.qty;
    for (const l of depth.asks) askQty += l.qty;
    depthImbalance = imbalance(bidQty, askQty);
  }
  const bookImbalance =
    tick.totalBuyQty === null || tick.totalSellQty === null
      ? null
      : imbalance(tick.totalBuyQty, tick.totalSellQty);
  return { instrumentId, tick, spreadPaise, midPaise, depthImbalance, bookImbalance };
}
