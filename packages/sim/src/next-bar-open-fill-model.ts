import type { FillContext, FillModel, SimulatedFill } from '@kitepilot/core';
import { matchAtOpen } from './matching/match-open.ts';
import { barOrderOf } from './ohlc-path-fill-model.ts';
import { resolveFillOptions, type ResolvedFillOptions, type SimFillOptions } from './sim-fill-options.ts';

/**
 * A FillModel that looks only at the open of the context's bar (the bar after the order was sent): a
 * MARKET order fills at the open worsened by slippageTicks (and the slippage model); a LIMIT fills at the
 * open when the open is at or better than its limit; a stop triggers when the open reaches its trigger,
 * then an SL-M fills like MARKET and an SL like LIMIT. Nothing fills otherwise (the order waits for the
 * next bar). See matchAtOpen.
 */
export class NextBarOpenFillModel implements FillModel {
  readonly #options: ResolvedFillOptions;

  /** Creates the model; slippageTicks, slippage and volumeParticipation of `options` apply. */
  constructor(options: SimFillOptions = {}) {
    this.#options = resolveFillOptions(options);
  }

  /** Returns the fills of the order at the open of the context's bar. */
  fill(context: FillContext): readonly SimulatedFill[] {
    const { bar, instrument } = context;
    if (bar === null) return [];
    const order = barOrderOf(context.order);
    if (order.qty <= 0) return [];
    const match = matchAtOpen(order, bar, instrument, this.#options);
    return match.fills.map((f) => ({ qty: f.qty, pricePaise: f.pricePaise }));
  }
}
