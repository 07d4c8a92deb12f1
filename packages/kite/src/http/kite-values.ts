// Readers for the values inside Kite JSON bodies: they check the type and name the field when it is wrong,
// and turn rupee amounts into integer paise (prices exactly, averages and charges rounded half-up to the paisa).
import { rupeesToPaise, type Paise } from '@kitepilot/core';

/** A JSON object as Kite sends it. */
export type KiteJson = Readonly<Record<string, unknown>>;

/** Thrown when a Kite response does not have the shape the client expects. */
export class KiteResponseShapeError extends Error {}

/** Returns `v` as an object, or throws naming `what`. */
export function obj(v: unknown, what: string): KiteJson {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new KiteResponseShapeError(`${what} is ${JSON.stringify(v)?.slice(0, 80)}, not an object`);
  }
  return v as KiteJson;
}

/** Returns `v` as an array, or throws naming `what`. */
export function arr(v: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(v))
    throw new KiteResponseShapeError(`${what} is ${JSON.stringify(v)?.slice(0, 80)}, not an array`);
  return v;
}

/** Returns field `k` of `o` as a string (null and absent → ''). */
export function str(o: KiteJson, k: string): string {
  const v = o[k];
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new KiteResponseShapeError(`field ${k} is ${JSON.stringify(v)?.slice(0, 80)}, not a string`);
}

/** Returns field `k` of `o` as a string, or null when absent, null or empty. */
export function optStr(o: KiteJson, k: string): string | null {
  const s = str(o, k);
  return s === '' ? null : s;
}

/** Returns field `k` of `o` as a finite number (absent or null → 0; numeric strings accepted). */
export function num(o: KiteJson, k: string): number {
  const v = o[k];
  if (v === null || v === undefined || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n))
    throw new KiteResponseShapeError(`field ${k} is ${JSON.stringify(v)}, not a number`);
  return n;
}

/** Returns field `k` of `o` as a safe integer (quantities, tokens). */
export function int(o: KiteJson, k: string): number {
  const n = num(o, k);
  if (!Number.isSafeInteger(n)) throw new KiteResponseShapeError(`field ${k} is ${n}, not an integer`);
  return n;
}

/** Returns field `k` of `o` as a boolean (absent → false). */
export function bool(o: KiteJson, k: string): boolean {
  const v = o[k];
  return v === true || v === 1 || v === 'true';
}

/** Returns field `k` of `o` as a string array (absent → []). */
export function strs(o: KiteJson, k: string): readonly string[] {
  const v = o[k];
  if (v === null || v === undefined) return [];
  return arr(v, `field ${k}`).map((x) => String(x));
}

function toPaise(v: unknown, k: string, exact: boolean): Paise {
  if (v === null || v === undefined || v === '') return 0 as Paise;
  try {
    if (typeof v === 'string') return exact ? rupeesToPaise(v) : rupeesToPaise(v, 'half-up');
    if (typeof v === 'number') {
      // JSON numbers arrive as the shortest decimal that round-trips, so 1573.7 reads as exactly 1573.70.
      const p = rupeesToPaise(v, 'half-up');
      if (exact && rupeesToPaise(v, 'floor') !== p) throw new RangeError(`${v} has more than 2 decimals`);
      return p;
    }
  } catch (error) {
    throw new KiteResponseShapeError(`field ${k} = ${JSON.stringify(v)} is not a rupee price`, {
      cause: error,
    });
  }
  throw new KiteResponseShapeError(`field ${k} is ${JSON.stringify(v)}, not a rupee amount`);
}

/** Returns field `k` (a price in rupees) in exact paise; throws when it has more than 2 decimals. */
export function pricePaise(o: KiteJson, k: string): Paise {
  return toPaise(o[k], k, true);
}

/** Returns field `k` (an average, value, P&L, margin or charge in rupees) in paise rounded half-up. */
export function amountPaise(o: KiteJson, k: string): Paise {
  return toPaise(o[k], k, false);
}

/** Returns `v` (a rupee value) in exact paise, or throws naming `what`. */
export function valuePricePaise(v: unknown, what: string): Paise {
  return toPaise(v, what, true);
}

/** Returns `v` (a rupee value) in paise rounded half-up. */
export function valueAmountPaise(v: unknown, what: string): Paise {
  return toPaise(v, what, false);
}
