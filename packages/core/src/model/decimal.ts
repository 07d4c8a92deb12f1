/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;
const SCIENTIFIC = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i;

/** Returns the exact value of a plain decimal string such as `-1573.70`; throws RangeError otherwise. */
export function parseDecimal(s: string): Decimal {
  const m = PLAIN.exec(s);
  if (m === null) throw new RangeError(`${JSON.stringify(s)} is not a plain decimal number`);
  const [, sign, int = '', frac = ''] = m;
  const units = BigInt(int + frac);
  return { units: sign === '-' ? -units : units, scale: frac.length };
}

/**
 * Returns the exact value of the shortest decimal that round-trips to the finite number `x`
 * (`String(x)`, scientific notation included), so 0.015 reads as 15/1000 and not as its binary value.
 */
export function decimalOfNumber(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const s = String(x);
  const m = SCIENTIFIC.exec(s);
  if (m === null) return parseDecimal(s);
  const [, sign, int = '', frac = '', exp = '0'] = m;
  const digits = BigInt(int + frac);
  const scale = frac.length - Number(exp);
  const signed = sign === '-' ? -digits : digits;
  if (scale >= 0) return { units: signed, scale };
  return { units: signed * 10n ** BigInt(-scale), scale: 0 };
}
