import { leavesQty, type FillContext, type FillModel, type Order, type SimulatedFill } from '@kitepilot/core';
import { matchOnBar, type BarOrder } from './matching/match-bar.ts';
import { resolveFillOptions, type ResolvedFillOptions, type SimFillOptions } from './sim-fill-options.ts';

/**
 * Returns true when a stop order is known to have triggered: it reads OPEN or PARTIALLY_FILLED, or has
 * fills. Any other state (TRIGGER_PENDING, SUBMITTED, a pending change) counts as not yet triggered.
 */
export function stopTriggered(order: Order): boolean {
  return order.status === 'OPEN' || order.status === 'PARTIALLY_FILLED' || order.filledQty > 0;
}

/** Returns the bar-matching view of a core Order. */
export function barOrderOf(order: Order): BarOrder {
  return {
    side: order.side,
    orderType: order.orderType,
    qty: leavesQty(order),
    limitPricePaise: order.limitPricePaise,
    triggerPricePaise: order.triggerPricePaise,
    triggered: stopTriggered(order),
  };
}

/**
 * A FillModel for bar backtests: matches the order against the context's bar along the adverse
 * open → high → low → close (buy) or open → low → high → close (sell) path (see matchOnBar). Returns
 * nothing without a bar.
 */
export class OhlcPathFillModel implements FillModel {
  readonly #options: ResolvedFillOptions;

  /** Creates the model; slippageTicks, slippage, limitFillRule and volumeParticipation of `options` apply. */
  constructor(options: SimFillOptions = {}) {
    this.#options = resolveFillOptions(options);
  }

  /** Returns the fills of the order in the context's bar. */
  fill(context: FillContext): readonly SimulatedFill[] {
    if (context.bar === null) return [];
    const order = barOrderOf(context.order);
    if (order.qty <= 0) return [];
    const match = matchOnBar(order, context.bar, context.instrument, this.#options);
    return match.fills.map((f) => ({ qty: f.qty, pricePaise: f.pricePaise }));
  }
}
