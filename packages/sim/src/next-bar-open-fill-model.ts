import type { FillContext, FillModel, SimulatedFill } from '@kitepilot/core';
import { isStopTriggered } from './matching/match-resting.ts';
import { participationCap } from './matching/match-resting.ts';
import { withinLimit, worsenByTicks } from './matching/price-grid.ts';
import { barOrderOf } from './ohlc-path-fill-model.ts';
import { resolveFillOptions, type ResolvedFillOptions, type SimFillOptions } from './sim-fill-options.ts';

/**
 * A FillModel that looks only at the open of the context's bar (the bar after the order was sent): a
 * MARKET order fills at the open worsened by slippageTicks; a LIMIT fills at the open when the open is at
 * or better than its limit; a stop triggers when the open reaches its trigger, then an SL-M fills like
 * MARKET and an SL like LIMIT. Nothing fills otherwise (the order waits for the next bar).
 */
export class NextBarOpenFillModel implements FillModel {
  readonly #options: ResolvedFillOptions;

  /** Creates the model; slippageTicks and volumeParticipation of `options` apply. */
  constructor(options: SimFillOptions = {}) {
    this.#options = resolveFillOptions(options);
  }

  /** Returns the fills of the order at the open of the context's bar. */
  fill(context: FillContext): readonly SimulatedFill[] {
    const { bar, instrument } = context;
    if (bar === null) return [];
    const order = barOrderOf(context.order);
    const qty = participationCap(
      order.qty,
      bar.volume,
      this.#options.volumeParticipation,
      instrument.lotSize,
    );
    if (qty <= 0) return [];
    const open = bar.openPaise;
    const isStop = order.orderType === 'SL' || order.orderType === 'SL-M';
    if (isStop && !order.triggered) {
      if (order.triggerPricePaise === null || !isStopTriggered(order.side, order.triggerPricePaise, open))
        return [];
    }
    if (order.orderType === 'MARKET' || order.orderType === 'SL-M') {
      const price = worsenByTicks(open, order.side, this.#options.slippageTicks, instrument.tickSizePaise);
      return [{ qty, pricePaise: price }];
    }
    const limit = order.limitPricePaise;
    if (limit === null || !withinLimit(order.side, open, limit)) return [];
    return [{ qty, pricePaise: open }];
  }
}
