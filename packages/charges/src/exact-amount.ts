import { divRound, paise, MoneyError, type Paise, type Rate, type RoundingMode } from '@kitepilot/core';

/** An exact, unrounded amount in paise: `n / d` (BigInt). Charges are summed exactly, then rounded once. */
export interface ExactAmount {
  readonly n: bigint;
  readonly d: bigint;
}

/** Zero paise, exactly. */
export const EXACT_ZERO: ExactAmount = { n: 0n, d: 1n };

/** Returns `valuePaise × r`, exactly. */
export function times(valuePaise: Paise, r: Rate): ExactAmount {
  return { n: BigInt(paise(valuePaise)) * r.numerator, d: r.denominator };
}

/** Returns a + b, exactly. */
export function plus(a: ExactAmount, b: ExactAmount): ExactAmount {
  if (a.d === b.d) return { n: a.n + b.n, d: a.d };
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

/** Returns the amount rounded to the paisa or to the whole rupee by `mode`, as Paise. */
export function roundAmount(a: ExactAmount, to: 'paisa' | 'rupee', mode: RoundingMode): Paise {
  const unit = to === 'rupee' ? 100n : 1n;
  const result = Number(divRound(a.n, a.d * unit, mode) * unit);
  if (!Number.isSafeInteger(result))
    throw new MoneyError(`charge ${a.n}/${a.d} paise overflows safe integer paise`);
  return paise(result);
}
