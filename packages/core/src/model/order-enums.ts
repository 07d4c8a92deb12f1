// String unions for the order enums of kite-connect.md §7, each with its list for validation.

/** Order sides. */
export const SIDES = ['BUY', 'SELL'] as const;
/** BUY or SELL (Kite `transaction_type`). */
export type Side = (typeof SIDES)[number];

/** Order types. */
export const ORDER_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const;
/** MARKET, LIMIT, SL (stop-limit) or SL-M (stop-market). */
export type OrderType = (typeof ORDER_TYPES)[number];

/** Products. */
export const PRODUCTS = ['MIS', 'CNC', 'NRML', 'MTF'] as const;
/** MIS (intraday), CNC (delivery), NRML (carry-forward F&O), MTF (margin trading). */
export type Product = (typeof PRODUCTS)[number];

/** Validities. */
export const VALIDITIES = ['DAY', 'IOC', 'TTL'] as const;
/** DAY, IOC, or TTL (with validityTtlMinutes). */
export type Validity = (typeof VALIDITIES)[number];

/** Varieties. */
export const VARIETIES = ['regular', 'amo', 'co', 'iceberg', 'auction'] as const;
/** Kite order variety (the `{variety}` of `POST /orders/{variety}`). */
export type Variety = (typeof VARIETIES)[number];

/** Returns true when `s` is a Side. */
export const isSide = (s: string): s is Side => (SIDES as readonly string[]).includes(s);
/** Returns true when `s` is an OrderType. */
export const isOrderType = (s: string): s is OrderType => (ORDER_TYPES as readonly string[]).includes(s);
/** Returns true when `s` is a Product. */
export const isProduct = (s: string): s is Product => (PRODUCTS as readonly string[]).includes(s);
/** Returns true when `s` is a Validity. */
export const isValidity = (s: string): s is Validity => (VALIDITIES as readonly string[]).includes(s);
/** Returns true when `s` is a Variety. */
export const isVariety = (s: string): s is Variety => (VARIETIES as readonly string[]).includes(s);

/** Returns +1 for BUY and −1 for SELL. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}
