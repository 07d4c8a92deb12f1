import type { Bar } from '@kitepilot/core';
import type { BarMatch, BarMatchOptions, BarOrder } from './match-bar.ts';
import { slipMarketFill } from './market-slip.ts';
import type { PriceGrid } from './match-types.ts';
import { isStopTriggered, participationCap } from './match-resting.ts';
import { withinLimit } from './price-grid.ts';

const NOTHING: BarMatch = { triggered: false, fills: [], step: 0 };

/**
 * Matches a working order against the open of a bar only (the rest of the bar is ignored): a stop
 * triggers when the open reaches its trigger; then a market-like order (MARKET, triggered SL-M) fills at
 * the open worsened by `slippageTicks` and the `slippage` model (no market protection applies), and a
 * limit-like order (LIMIT, triggered SL) fills at the open when the open is at or better than its limit,
 * else keeps waiting. Quantity is capped by `volumeParticipation` × the bar's volume when set. Every
 * event is at step 0.
 */
export function matchAtOpen(
  order: BarOrder,
  bar: Bar,
  grid: PriceGrid,
  options: Pick<BarMatchOptions, 'slippageTicks' | 'slippage' | 'volumeParticipation'>,
): BarMatch {
  const { side } = order;
  const open = bar.openPaise;
  const isStop = order.orderType === 'SL' || order.orderType === 'SL-M';
  let triggered = false;
  if (isStop && !order.triggered) {
    const trigger = order.triggerPricePaise;
    if (trigger === null || !isStopTriggered(side, trigger, open)) return NOTHING;
    triggered = true;
  }
  const qty = participationCap(order.qty, bar.volume, options.volumeParticipation, grid.lotSize);
  if (qty <= 0) return { triggered, fills: [], step: 0 };
  if (order.orderType === 'MARKET' || order.orderType === 'SL-M') {
    const price = slipMarketFill(open, side, qty, grid, options, { bar, tick: null });
    return { triggered, fills: [{ qty, pricePaise: price, level: null }], step: 0 };
  }
  const limit = order.limitPricePaise;
  if (limit === null || !withinLimit(side, open, limit)) return { triggered, fills: [], step: 0 };
  return { triggered, fills: [{ qty, pricePaise: open, level: null }], step: 0 };
}
