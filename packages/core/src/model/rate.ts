import { parseDecimal } from './decimal.ts';
import { MoneyError } from './errors.ts';
import { paise, type Paise } from './money.ts';
import { divRound } from './rounding.ts';

/** An exact, non-negative rate: `numerator / denominator` (BigInt, reduced). */
export interface Rate {
  readonly numerator: bigint;
  readonly denominator: bigint;
  /** The text the rate was made from, for messages and audit. */
  readonly source: string;
}

/** Where applyRate rounds: to the paisa (most charges) or to the rupee (STT, market-rules.md §1.4). */
export type RateRounding = 'paisa' | 'rupee';

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** Returns the rate written as a decimal (`'0.0000307'`) or a percentage (`'18%'`, `'0.00307%'`); throws MoneyError otherwise. */
export function rate(text: string): Rate {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  let numerator: bigint;
  let denominator: bigint;
  try {
    const d = parseDecimal(percent ? trimmed.slice(0, -1).trim() : trimmed);
    numerator = d.units;
    denominator = 10n ** BigInt(d.scale) * (percent ? 100n : 1n);
  } catch (error) {
    throw new MoneyError(`rate ${JSON.stringify(text)} is not a decimal or a percentage`, { cause: error });
  }
  if (numerator < 0n) throw new MoneyError(`rate ${JSON.stringify(text)} is negative`);
  const g = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / g, denominator: denominator / g, source: trimmed };
}

/**
 * Returns `valuePaise × rate` rounded half-up (ties away from zero, so a negative value rounds to the
 * more negative paisa/rupee) to the paisa or to the rupee (≥ 50 paise up), with exact BigInt arithmetic.
 */
export function applyRate(valuePaise: Paise, r: Rate, rounding: RateRounding): Paise {
  const n = BigInt(paise(valuePaise)) * r.numerator;
  const d = r.denominator * (rounding === 'rupee' ? 100n : 1n);
  const rounded = divRound(n, d, 'half-up') * (rounding === 'rupee' ? 100n : 1n);
  const result = Number(rounded);
  if (!Number.isSafeInteger(result)) {
    throw new MoneyError(`applying rate ${r.source} to ${valuePaise} paise overflows safe integer paise`);
  }
  return paise(result);
}

/** Returns the rate as an exact decimal string when it has a finite one, else as `n/d`. */
export function rateToString(r: Rate): string {
  let d = r.denominator;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${r.numerator}/${r.denominator}`;
  const scale = Math.max(twos, fives);
  const units = (r.numerator * 10n ** BigInt(scale)) / r.denominator;
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
