// Black-76 option prices on a futures price (fixed volatility, continuous discounting).

/** Returns the standard normal cumulative distribution at x (Abramowitz–Stegun 26.2.17, |error| < 7.5e-8). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp(-(x * x) / 2) * 0.3989422804014327 * poly;
  return x >= 0 ? 1 - tail : tail;
}

/** Returns the Black-76 price of a call (`CE`) or put (`PE`) in the futures price's unit; intrinsic at expiry. */
export function black76(
  kind: 'CE' | 'PE',
  futures: number,
  strike: number,
  yearsToExpiry: number,
  volatility: number,
  rate: number,
): number {
  if (yearsToExpiry <= 0)
    return kind === 'CE' ? Math.max(0, futures - strike) : Math.max(0, strike - futures);
  const sd = volatility * Math.sqrt(yearsToExpiry);
  const d1 = (Math.log(futures / strike) + (sd * sd) / 2) / sd;
  const d2 = d1 - sd;
  const discount = Math.exp(-rate * yearsToExpiry);
  return kind === 'CE'
    ? discount * (futures * normalCdf(d1) - strike * normalCdf(d2))
    : discount * (strike * normalCdf(-d2) - futures * normalCdf(-d1));
}
