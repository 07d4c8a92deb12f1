import type { Paise, Side } from '@kitepilot/core';
import type { LimitFillRule } from '../sim-fill-options.ts';
import type { MatchedFill } from './match-types.ts';
import { lotFloor } from './price-grid.ts';

/** Returns true when the last price reaches a stop's trigger (buy: last ≥ trigger; sell: last ≤ trigger). */
export function isStopTriggered(side: Side, triggerPricePaise: Paise, lastPricePaise: Paise): boolean {
  return side === 'BUY' ? lastPricePaise >= triggerPricePaise : lastPricePaise <= triggerPricePaise;
}

/** Returns true when a traded price reaches a resting limit by the rule (through: strictly better; touch: equal too). */
export function limitReached(
  side: Side,
  limitPaise: Paise,
  tradedPaise: Paise,
  rule: LimitFillRule,
): boolean {
  if (rule === 'touch') return side === 'BUY' ? tradedPaise <= limitPaise : tradedPaise >= limitPaise;
  return side === 'BUY' ? tradedPaise < limitPaise : tradedPaise > limitPaise;
}

/** A resting LIMIT order (or a triggered SL that did not fill at once). */
export interface RestingOrder {
  readonly side: Side;
  readonly limitPricePaise: Paise;
  /** Open quantity, a whole number of lots. */
  readonly qty: number;
  readonly lotSize: number;
}

/** The trade a tick reports. */
export interface TradePrint {
  readonly lastPricePaise: Paise;
  /** The tick's last traded quantity, or null when the mode does not carry it. */
  readonly lastTradedQty: number | null;
}

/** Returns the quantity a participation cap allows out of `tradedQty` (whole lots), or `qty` when uncapped. */
export function participationCap(
  qty: number,
  tradedQty: number | null,
  participation: number | null,
  lotSize: number,
): number {
  if (participation === null || tradedQty === null) return qty;
  return Math.min(qty, lotFloor(Math.floor(tradedQty * participation), lotSize));
}

/**
 * Returns the fill of a resting limit on a new trade: when the last price reaches the limit by `rule`,
 * the order fills at its own limit price (a passive order gets no price improvement), for its open
 * quantity capped by `participation` × the last traded quantity when both are known; null otherwise.
 */
export function matchRestingLimit(
  order: RestingOrder,
  print: TradePrint,
  rule: LimitFillRule,
  participation: number | null,
): MatchedFill | null {
  if (!limitReached(order.side, order.limitPricePaise, print.lastPricePaise, rule)) return null;
  const qty = participationCap(order.qty, print.lastTradedQty, participation, order.lotSize);
  return qty > 0 ? { qty, pricePaise: order.limitPricePaise, level: null } : null;
}
