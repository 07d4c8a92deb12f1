import { InvariantError } from '@kitepilot/core';
import type { SlippageInput, SlippageModel } from './slippage-model.ts';
import { checkRange } from './slippage-model.ts';

/** Options of VolatilityParticipationSlippage. */
export interface VolatilityParticipationSlippageOptions {
  /** The impact coefficient (finite, ≥ 0; at most 1 000). */
  readonly k: number;
  /** The cap as a share of the bar's range high − low (finite, in [0, 100]; default 1). */
  readonly maxRangeFraction?: number;
}

/**
 * The square-root market-impact model: k × σ × √(qty / volume) × price per unit, with
 * σ = (high − low) / close of the bar the fill happens on, capped at maxRangeFraction × (high − low); a
 * bar with zero volume gives the cap. On a tick (no bar given) the slippage is 0: a tick carries no
 * range of its own. The bar is the one the fill happens on, so a fill at a bar's open is charged with
 * that bar's range and volume (a cost estimate, not a signal: it does not feed back into decisions).
 */
export class VolatilityParticipationSlippage implements SlippageModel {
  /** The impact coefficient. */
  readonly k: number;
  /** The cap as a share of the bar's range. */
  readonly maxRangeFraction: number;

  /** Creates the model; throws InvariantError on a k or maxRangeFraction out of range. */
  constructor(options: VolatilityParticipationSlippageOptions) {
    this.k = checkRange('VolatilityParticipationSlippage k', options.k, 0, 1_000);
    this.maxRangeFraction = checkRange(
      'VolatilityParticipationSlippage maxRangeFraction',
      options.maxRangeFraction ?? 1,
      0,
      100,
    );
  }

  /** Returns min(k × σ × √(qty / volume) × price, maxRangeFraction × range); 0 without a bar. */
  slippagePaise(input: SlippageInput): number {
    const { bar } = input;
    if (bar === null) return 0;
    if (bar.closePaise <= 0) {
      throw new InvariantError(
        `bar ${bar.instrumentId} @${bar.start} has close ${bar.closePaise}; σ needs a close > 0`,
      );
    }
    const range = bar.highPaise - bar.lowPaise;
    const cap = this.maxRangeFraction * range;
    if (bar.volume <= 0) return cap;
    const sigma = range / bar.closePaise;
    const impact = this.k * sigma * Math.sqrt(input.qty / bar.volume) * input.pricePaise;
    return Math.min(impact, cap);
  }
}
