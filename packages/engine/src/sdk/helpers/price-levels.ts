// Exact price levels on the tick grid, shared by the built-in strategies (kept identical in each strategy package;
// a guard test compares the copies). Percentages and multiples are read as the decimal they are written as
// (0.5 → 5/10, never its binary value), so a level is the exact product rounded once: there is no float error.
import { decimalOfNumber, divRound, paise, roundToTick, type Paise } from '@kitepilot/core';

/** Which side of the base price a level lies on; it is rounded away from the base (below: down, above: up). */
export type LevelSide = 'below' | 'above';

function ratio(x: number): { readonly num: bigint; readonly den: bigint } {
  const d = decimalOfNumber(x);
  return { num: d.units, den: 10n ** BigInt(d.scale) };
}

function onGrid(exact: { num: bigint; den: bigint }, side: LevelSide, tickPaise: Paise): Paise {
  // floor/ceil to the paisa, then to the tick: floor(floor(x)/t) = floor(x/t) for an integer t, so the two
  // steps equal one rounding of the exact value.
  const p = paise(Number(divRound(exact.num, exact.den, side === 'below' ? 'floor' : 'ceil')));
  return roundToTick(p, tickPaise, side === 'below' ? 'down' : 'up');
}

/**
 * Returns basePaise × (1 − pct/100) rounded DOWN to the tick grid (side `below`), or basePaise × (1 + pct/100)
 * rounded UP (side `above`).
 */
export function pctLevel(basePaise: Paise, pct: number, side: LevelSide, tickPaise: Paise): Paise {
  const r = ratio(pct);
  const sign = side === 'below' ? -1n : 1n;
  return onGrid(
    { num: BigInt(basePaise) * (100n * r.den + sign * r.num), den: 100n * r.den },
    side,
    tickPaise,
  );
}

/**
 * Returns basePaise − multiple × distancePaise rounded DOWN to the tick grid (side `below`), or basePaise +
 * multiple × distancePaise rounded UP (side `above`).
 */
export function multipleLevel(
  basePaise: Paise,
  distancePaise: Paise,
  multiple: number,
  side: LevelSide,
  tickPaise: Paise,
): Paise {
  const r = ratio(multiple);
  const sign = side === 'below' ? -1n : 1n;
  return onGrid(
    { num: BigInt(basePaise) * r.den + sign * BigInt(distancePaise) * r.num, den: r.den },
    side,
    tickPaise,
  );
}
