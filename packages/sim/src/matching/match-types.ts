import type { Paise } from '@kitepilot/core';

/** The instrument facts matching needs: the price grid and the lot. */
export interface PriceGrid {
  readonly tickSizePaise: Paise;
  readonly lotSize: number;
}

/** One simulated execution; `level` is the depth level it consumed, or null (beyond depth, no depth, resting, bar). */
export interface MatchedFill {
  readonly qty: number;
  readonly pricePaise: Paise;
  readonly level: number | null;
}
