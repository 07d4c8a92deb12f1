/**
 * How a quotient is rounded to an integer. `half-up` rounds ties away from zero (so −2.5 → −3),
 * the "decimal half-up" of market-rules.md §1.4; `half-even` is banker's rounding; `floor`/`ceil` go
 * toward −∞/+∞; `truncate` goes toward zero.
 */
export type RoundingMode = 'half-up' | 'half-even' | 'floor' | 'ceil' | 'truncate';

/** The rounding modes, for validation and property tests. */
export const ROUNDING_MODES: readonly RoundingMode[] = ['half-up', 'half-even', 'floor', 'ceil', 'truncate'];

/** Returns n / d rounded to an integer by `mode`, exactly (BigInt); `d` must be non-zero. */
export function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d === 0n) throw new RangeError(`division by zero: ${n} / 0`);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // BigInt division truncates toward zero
  const r = n % d; // same sign as n
  if (r === 0n) return q;
  const negative = n < 0n;
  switch (mode) {
    case 'truncate':
      return q;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up':
    case 'half-even': {
      const twice = 2n * (negative ? -r : r);
      const away = negative ? q - 1n : q + 1n;
      if (twice > d) return away;
      if (twice < d) return q;
      if (mode === 'half-up') return away;
      return q % 2n === 0n ? q : away;
    }
  }
}

/**
 * Returns n / d rounded by `mode`, like divRound, for numbers: exact for safe integers without BigInt (the
 * quotient is corrected from the remainder); other operands go through divRound.
 */
export function divRoundNumber(n: number, d: number, mode: RoundingMode): number {
  if (
    !Number.isSafeInteger(n) ||
    !Number.isSafeInteger(d) ||
    Math.abs(n) > 2 ** 52 ||
    Math.abs(d) > 2 ** 52
  ) {
    return Number(divRound(BigInt(n), BigInt(d), mode));
  }
  if (d === 0) throw new RangeError(`division by zero: ${n} / 0`);
  if (d < 0) {
    n = -n;
    d = -d;
  }
  // Truncate toward zero, then correct a floating error of the division from the exact remainder.
  let q = Math.trunc(n / d);
  let r = n - q * d;
  if (n >= 0) {
    while (r < 0) {
      q--;
      r += d;
    }
    while (r >= d) {
      q++;
      r -= d;
    }
  } else {
    while (r > 0) {
      q++;
      r -= d;
    }
    while (r <= -d) {
      q--;
      r += d;
    }
  }
  const zero = (x: number): number => (x === 0 ? 0 : x);
  if (r === 0) return zero(q);
  const negative = n < 0;
  switch (mode) {
    case 'truncate':
      return zero(q);
    case 'floor':
      return zero(negative ? q - 1 : q);
    case 'ceil':
      return zero(negative ? q : q + 1);
    case 'half-up':
    case 'half-even': {
      const twice = 2 * (negative ? -r : r);
      const away = negative ? q - 1 : q + 1;
      if (twice > d) return zero(away);
      if (twice < d) return zero(q);
      if (mode === 'half-up') return zero(away);
      return zero(q % 2 === 0 ? q : away);
    }
  }
}

/** Returns true when `s` names a rounding mode. */
export function isRoundingMode(s: string): s is RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(s);
}
