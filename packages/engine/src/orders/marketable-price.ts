import { paise, roundToTick, type Paise, type Side } from '@kitepilot/core';

/**
 * Returns a marketable limit price for a square-off: the last price moved `offsetTicks` ticks through the market
 * (up for a BUY, down for a SELL), on the tick grid (rounded away from the book), kept inside the circuit band
 * when known and never below one tick.
 */
export function marketableLimitPricePaise(
  side: Side,
  lastPaise: Paise,
  tickPaise: Paise,
  offsetTicks: number,
  band: { readonly lowerPaise: Paise; readonly upperPaise: Paise } | null,
): Paise {
  const shift = tickPaise * offsetTicks;
  let price =
    side === 'BUY'
      ? roundToTick(paise(lastPaise + shift), tickPaise, 'up')
      : roundToTick(paise(lastPaise - shift), tickPaise, 'down');
  if (band !== null) {
    if (side === 'BUY' && price > band.upperPaise) price = roundToTick(band.upperPaise, tickPaise, 'down');
    if (side === 'SELL' && price < band.lowerPaise) price = roundToTick(band.lowerPaise, tickPaise, 'up');
  }
  return price < tickPaise ? tickPaise : price;
}
