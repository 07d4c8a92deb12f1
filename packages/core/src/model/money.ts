import { decimalOfNumber, parseDecimal, type Decimal } from './decimal.ts';
import { MoneyError } from './errors.ts';
import type { Brand } from './ids.ts';
import { divRound, divRoundNumber, type RoundingMode } from './rounding.ts';

/** An amount of money or a price in integer paise (1 rupee = 100 paise); always a safe integer. */
export type Paise = Brand<number, 'Paise'>;

/** Zero paise. */
export const ZERO_PAISE = 0 as Paise;

/** Returns `n` as Paise; throws MoneyError on NaN, ±Infinity, fractions or unsafe integers. */
export function paise(n: number): Paise {
  if (!Number.isSafeInteger(n)) {
    throw new MoneyError(`${String(n)} is not a safe integer number of paise`);
  }
  return (n === 0 ? 0 : n) as Paise; // normalise −0
}

/** Returns true when `n` is a safe integer (a valid Paise value). */
export function isPaise(n: unknown): n is Paise {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

function paiseFromDecimal(d: Decimal, rounding: RoundingMode | undefined, shown: string): Paise {
  let units: bigint;
  if (d.scale <= 2) {
    units = d.units * 10n ** BigInt(2 - d.scale);
  } else if (rounding === undefined) {
    throw new MoneyError(`rupee amount ${shown} has more than 2 decimals; pass a rounding mode`);
  } else {
    units = divRound(d.units, 10n ** BigInt(d.scale - 2), rounding);
  }
  const n = Number(units);
  if (!Number.isSafeInteger(n)) throw new MoneyError(`rupee amount ${shown} overflows safe integer paise`);
  return paise(n);
}

/**
 * Returns the paise in a rupee amount. A string (`'1573.70'`, `'-0.5'`) is parsed exactly; more than
 * 2 decimals need a rounding mode. A number is accepted only with a rounding mode and is read as its
 * shortest round-trip decimal (0.015 → 0.015, not its binary value), then rounded.
 */
export function rupeesToPaise(value: string, rounding?: RoundingMode): Paise;
export function rupeesToPaise(value: number, rounding: RoundingMode): Paise;
export function rupeesToPaise(value: string | number, rounding?: RoundingMode): Paise {
  if (typeof value === 'number') {
    if (rounding === undefined) {
      throw new MoneyError(`rupeesToPaise(${value}) needs an explicit rounding mode for a float`);
    }
    if (!Number.isFinite(value)) throw new MoneyError(`rupee amount ${value} is not finite`);
    return paiseFromDecimal(decimalOfNumber(value), rounding, String(value));
  }
  let d: Decimal;
  try {
    d = parseDecimal(value.trim());
  } catch (error) {
    throw new MoneyError(`rupee amount ${JSON.stringify(value)} is not a decimal number`, { cause: error });
  }
  return paiseFromDecimal(d, rounding, JSON.stringify(value));
}

/** Returns the rupee string of `p` with exactly 2 decimals: 157370 → `'1573.70'`, −5 → `'-0.05'`. */
export function paiseToRupeesString(p: Paise): string {
  paise(p);
  const abs = Math.abs(p);
  const rupees = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${p < 0 ? '-' : ''}${rupees}.${rest < 10 ? '0' : ''}${rest}`;
}

/** Returns `digits` grouped the Indian way: last three, then pairs (`1234567` → `12,34,567`). */
export function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  let head = digits.slice(0, -3);
  const pairs: string[] = [];
  while (head.length > 2) {
    pairs.unshift(head.slice(-2));
    head = head.slice(0, -2);
  }
  pairs.unshift(head);
  return `${pairs.join(',')},${last3}`;
}

/** Returns `p` formatted for display in en-IN: `₹1,23,456.70`, negatives as `-₹1,23,456.70`. */
export function formatInr(p: Paise): string {
  const s = paiseToRupeesString(p);
  const negative = s.startsWith('-');
  const [int = '0', frac = '00'] = (negative ? s.slice(1) : s).split('.');
  return `${negative ? '-' : ''}₹${groupIndian(int)}.${frac}`;
}

/** Returns `p` rounded to a whole rupee, half-up (≥ 50 paise away from zero; STT, market-rules.md §1.4). */
export function roundPaiseToRupee(p: Paise): Paise {
  return paise(divRoundNumber(paise(p), 100, 'half-up') * 100);
}

// The operation is described only when it fails: these run on every bar and fill of a backtest.
function checked(result: number, a: number, op: string, b: number): Paise {
  if (!Number.isSafeInteger(result)) throw new MoneyError(`${a} ${op} ${b} overflows safe integer paise`);
  return (result === 0 ? 0 : result) as Paise;
}

/** Returns a + b; throws MoneyError when an operand or the sum is not a safe integer. */
export function addPaise(a: Paise, b: Paise): Paise {
  return checked(paise(a) + paise(b), a, '+', b);
}

/** Returns a − b; throws MoneyError when an operand or the difference is not a safe integer. */
export function subPaise(a: Paise, b: Paise): Paise {
  return checked(paise(a) - paise(b), a, '-', b);
}

/** Returns −p. */
export function negatePaise(p: Paise): Paise {
  return paise(-paise(p));
}

/** Returns the value of `qty` units at `pricePaise` each; throws MoneyError on overflow or a fractional qty. */
export function mulPaise(pricePaise: Paise, qty: number): Paise {
  if (!Number.isSafeInteger(qty)) throw new MoneyError(`quantity ${qty} is not a safe integer`);
  return checked(paise(pricePaise) * qty, pricePaise, '×', qty);
}

/** Returns the sum of `amounts`, checking every partial sum for overflow. */
export function sumPaise(amounts: Iterable<Paise>): Paise {
  let total = 0;
  for (const a of amounts) total = checked(total + paise(a), total, '+ (in a sum)', a);
  return total as Paise;
}
