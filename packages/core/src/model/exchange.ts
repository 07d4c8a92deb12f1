/** The exchanges an instrument can belong to: NSE/BSE cash and NFO/BFO derivatives. */
export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO'] as const;

/** An exchange segment as Kite names it (kite-connect.md §7 enums). */
export type Exchange = (typeof EXCHANGES)[number];

/** Returns true when `s` names a supported exchange. */
export function isExchange(s: string): s is Exchange {
  return (EXCHANGES as readonly string[]).includes(s);
}

/** Returns true for the derivative segments (NFO, BFO). */
export function isDerivativeExchange(exchange: Exchange): boolean {
  return exchange === 'NFO' || exchange === 'BFO';
}
