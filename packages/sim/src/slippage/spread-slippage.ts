import type { DepthLevel, Tick } from '@kitepilot/core';
import type { SlippageInput, SlippageModel } from './slippage-model.ts';
import { checkRange } from './slippage-model.ts';

/** Options of SpreadSlippage. */
export interface SpreadSlippageOptions {
  /** The spread assumed when no quoted spread is known, in bps of the price (finite, in [0, 10 000]). */
  readonly fallbackSpreadBps: number;
}

function best(levels: readonly DepthLevel[]): DepthLevel | null {
  return levels.find((l) => l.qty > 0 && l.pricePaise > 0) ?? null;
}

/** Returns the quoted spread of a tick (best ask − best bid, never below 0), or null without both sides. */
export function quotedSpreadPaise(tick: Tick | null): number | null {
  if (tick === null || tick.depth === null) return null;
  const ask = best(tick.depth.asks);
  const bid = best(tick.depth.bids);
  if (ask === null || bid === null) return null;
  return Math.max(0, ask.pricePaise - bid.pricePaise);
}

/**
 * Slippage of half the bid-ask spread: half the quoted spread (best ask − best bid of the tick's depth,
 * first levels with quantity) when the fill happens on a tick with both sides; otherwise (bars carry no
 * spread, ltp/quote ticks no depth) half of `fallbackSpreadBps` of the price. SimExecutionClient walks the
 * depth of a full-mode tick itself, which already pays the spread, so there it meets this model only on
 * ticks without visible depth on the order's side.
 */
export class SpreadSlippage implements SlippageModel {
  /** The fallback spread in bps of the price. */
  readonly fallbackSpreadBps: number;

  /** Creates the model; throws InvariantError on a fallback outside [0, 10 000]. */
  constructor(options: SpreadSlippageOptions) {
    this.fallbackSpreadBps = checkRange(
      'SpreadSlippage fallbackSpreadBps',
      options.fallbackSpreadBps,
      0,
      10_000,
    );
  }

  /** Returns half the quoted spread, or half the fallback spread of the price. */
  slippagePaise(input: SlippageInput): number {
    const quoted = quotedSpreadPaise(input.tick);
    if (quoted !== null) return quoted / 2;
    return (input.pricePaise * this.fallbackSpreadBps) / 20_000;
  }
}
