import { paise, roundToTick, type Paise, type Side } from '@kitepilot/core';

/** Returns the price rounded onto the tick grid against the side (up for a buy, down for a sell), at least one tick. */
export function roundAgainst(pricePaise: Paise, side: Side, tickPaise: Paise): Paise {
  const p = roundToTick(pricePaise, tickPaise, side === 'BUY' ? 'up' : 'down');
  return p < tickPaise ? tickPaise : p;
}

/** Returns the price moved `ticks` ticks against the side (up for a buy, down for a sell), on the grid, at least one tick. */
export function worsenByTicks(pricePaise: Paise, side: Side, ticks: number, tickPaise: Paise): Paise {
  const onGrid = roundAgainst(pricePaise, side, tickPaise);
  const moved = paise(side === 'BUY' ? onGrid + ticks * tickPaise : onGrid - ticks * tickPaise);
  return moved < tickPaise ? tickPaise : moved;
}

/** Returns true when `pricePaise` is at or better than `limitPaise` for the side (buy: ≤, sell: ≥). */
export function withinLimit(side: Side, pricePaise: Paise, limitPaise: Paise): boolean {
  return side === 'BUY' ? pricePaise <= limitPaise : pricePaise >= limitPaise;
}

/**
 * Returns the worst price Kite's market protection lets a MARKET order trade at: last ± `pct` %, moved
 * inward onto the grid (a buy rounds down, a sell up; a sell's limit is at least one tick).
 */
export function marketProtectionLimit(
  lastPricePaise: Paise,
  side: Side,
  pct: number,
  tickPaise: Paise,
): Paise {
  const bps = Math.round(pct * 100);
  if (side === 'BUY') {
    const raw = Math.floor((lastPricePaise * (10_000 + bps)) / 10_000);
    return roundToTick(paise(raw), tickPaise, 'down');
  }
  const raw = Math.ceil((lastPricePaise * (10_000 - bps)) / 10_000);
  const p = roundToTick(paise(Math.max(raw, 0)), tickPaise, 'up');
  return p < tickPaise ? tickPaise : p;
}

/** Returns `qty` rounded down to a whole number of lots. */
export function lotFloor(qty: number, lotSize: number): number {
  return qty - (qty % lotSize);
}
