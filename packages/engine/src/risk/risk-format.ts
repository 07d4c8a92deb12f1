import { formatInr, paise, type Paise } from '@kitepilot/core';

/** Returns an exact amount of paise as en-IN rupees (`₹1,23,456.70`); amounts past 2^53 as `<n> paise`. */
export function formatPaise(amount: bigint | Paise): string {
  const n = typeof amount === 'bigint' ? Number(amount) : amount;
  if (typeof amount === 'bigint' && BigInt(n) !== amount) return `${amount} paise`;
  return Number.isSafeInteger(n) ? formatInr(paise(n)) : `${String(amount)} paise`;
}

/** Returns a bigint as a JSON number when it is a safe integer, else as its decimal string. */
export function jsonBig(amount: bigint): number | string {
  const n = Number(amount);
  return Number.isSafeInteger(n) ? n : amount.toString();
}

/** Returns |n| of a bigint. */
export function absBig(n: bigint): bigint {
  return n < 0n ? -n : n;
}
