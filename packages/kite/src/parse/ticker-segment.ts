// Segment ids and price divisors of the Kite ticker (kite-connect.md §5.5).

/** The exchange segment ids carried in the low byte of an instrument token. */
export const KITE_SEGMENTS = {
  nseCash: 1,
  nfo: 2,
  cds: 3,
  bseCash: 4,
  bfo: 5,
  bcd: 6,
  mcxFo: 7,
  mcxSx: 8,
  indices: 9,
} as const;

/** Returns the segment id of an instrument token (`token & 0xff`, kite-connect.md §2.5). */
export function segmentOfToken(token: number): number {
  return token & 0xff;
}

/**
 * Returns true when the segment's prices arrive in paise (divisor 100): NSE, NFO, BSE, BFO, MCX and
 * indices. The currency segments (CDS ÷ 10^7, BCD ÷ 10^4) and unknown ids return false.
 */
export function isPaiseSegment(segment: number): boolean {
  return segment >= 1 && segment <= 9 && segment !== KITE_SEGMENTS.cds && segment !== KITE_SEGMENTS.bcd;
}
