import { MoneyError } from './errors.ts';
import { paise, type Paise } from './money.ts';
import { divRound } from './rounding.ts';

/** How roundToTick moves a price that is off the tick grid. */
export type TickRounding = 'nearest' | 'down' | 'up';

/** Which NSE tick table applies (market-rules.md §4.3). */
export type TickSizeKind = 'equity' | 'index-future' | 'index-option';

function checkTick(tickPaise: Paise): void {
  if (!Number.isSafeInteger(tickPaise) || tickPaise <= 0) {
    throw new MoneyError(`tick size ${tickPaise} paise must be a positive safe integer`);
  }
}

/** Returns true when `pricePaise` is a whole multiple of `tickPaise`. */
export function isOnTick(pricePaise: Paise, tickPaise: Paise): boolean {
  checkTick(tickPaise);
  return paise(pricePaise) % tickPaise === 0;
}

/** Returns `pricePaise` moved onto the tick grid: nearest (ties upward), down (toward −∞) or up (toward +∞). */
export function roundToTick(pricePaise: Paise, tickPaise: Paise, mode: TickRounding): Paise {
  checkTick(tickPaise);
  const p = BigInt(paise(pricePaise));
  const t = BigInt(tickPaise);
  // nearest = floor((2p + t) / 2t): ties go upward (toward +∞) for either sign.
  const steps =
    mode === 'down'
      ? divRound(p, t, 'floor')
      : mode === 'up'
        ? divRound(p, t, 'ceil')
        : divRound(2n * p + t, 2n * t, 'floor');
  return paise(Number(steps * t));
}

/**
 * Returns the NSE tick size for a price (w.e.f. 15 Apr 2025, market-rules.md §4.3). `equity` covers
 * cash stocks and stock futures: < ₹250 → 0.01, < ₹1,000 → 0.05, < ₹5,000 → 0.10, < ₹10,000 → 0.50,
 * < ₹20,000 → 1.00, else 5.00 (each band's lower bound inclusive — the circular's boundary is not stated).
 * `index-future` uses the index level passed as `pricePaise`: ≤ 15,000 → 0.05, ≤ 30,000 → 0.10, else 0.20.
 * `index-option` is always 0.05. The exchange's contract file is authoritative when it differs.
 */
export function nseTickSizePaise(pricePaise: Paise, kind: TickSizeKind): Paise {
  const p = paise(pricePaise);
  if (p < 0) throw new MoneyError(`price ${p} paise is negative; no tick band applies`);
  switch (kind) {
    case 'equity':
      if (p < 250_00) return paise(1);
      if (p < 1_000_00) return paise(5);
      if (p < 5_000_00) return paise(10);
      if (p < 10_000_00) return paise(50);
      if (p < 20_000_00) return paise(100);
      return paise(500);
    case 'index-future':
      if (p <= 15_000_00) return paise(5);
      if (p <= 30_000_00) return paise(10);
      return paise(20);
    case 'index-option':
      return paise(5);
  }
}
