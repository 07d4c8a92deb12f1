// Paper-account margin: a rough estimate of what the broker would block, |netQty| × price × rate, used only when
// no broker margin is known (paper trading and backtests). The rates are documented defaults, not exchange SPAN.
import { paise, type Paise, type Product } from '@kitepilot/core';

/** A margin rate per product in basis points of the position value (10 000 = 100 %). */
export type MarginRatesBps = Readonly<Record<Product, number>>;

/**
 * The default paper margin rates: MIS 20 % (SEBI's peak-margin floor for equity intraday, i.e. 5× leverage),
 * CNC 100 % (delivery is paid in full), NRML 20 % (an index-future SPAN + exposure order of magnitude; option buys
 * block their full premium in reality, so this under-states them), MTF 50 % (typical broker MTF funding).
 */
export const DEFAULT_MARGIN_RATES_BPS: MarginRatesBps = { MIS: 2000, CNC: 10_000, NRML: 2000, MTF: 5000 };

/** Returns ⌈|qty| × price × bps / 10 000⌉ in paise, computed exactly. */
export function marginForPaise(qty: number, pricePaise: Paise, bps: number): Paise {
  const value = BigInt(Math.abs(qty)) * BigInt(Math.abs(pricePaise)) * BigInt(bps);
  return paise(Number((value + 9999n) / 10_000n));
}
