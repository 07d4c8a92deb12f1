import type { Bar, Paise, Side, Tick } from '@kitepilot/core';
import { slippedPricePaise, type SlippageModel } from '../slippage/slippage-model.ts';
import type { PriceGrid } from './match-types.ts';
import { worsenByTicks } from './price-grid.ts';

/** The slippage knobs of a market-like fill. */
export interface MarketSlipOptions {
  /** Ticks added against the order (applied first). */
  readonly slippageTicks: number;
  /** A slippage model applied after the ticks (SimFillOptions allows only one of the two). */
  readonly slippage?: SlippageModel | null;
}

/** Where a fill happens: on a bar or on a tick (the other null). */
export interface FillPlace {
  readonly bar: Bar | null;
  readonly tick: Tick | null;
}

/**
 * Returns the price of a market-like fill (MARKET, triggered SL-M) of `qty` at `pricePaise`: worsened by
 * `slippageTicks`, then by the slippage model's amount, on the grid against the order.
 */
export function slipMarketFill(
  pricePaise: Paise,
  side: Side,
  qty: number,
  grid: PriceGrid,
  options: MarketSlipOptions,
  place: FillPlace,
): Paise {
  const ticked = worsenByTicks(pricePaise, side, options.slippageTicks, grid.tickSizePaise);
  const model = options.slippage ?? null;
  if (model === null) return ticked;
  return slippedPricePaise(model, { side, qty, pricePaise: ticked, instrument: grid, ...place });
}
