import { StoreValueError } from '../errors.ts';

/** PostgreSQL type OIDs the store parses itself so that PGlite and `pg` return identical JavaScript values. */
export const pgTypeOid = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamptz: 1184,
} as const;

const integerText = /^-?\d+$/;

/**
 * Returns a `bigint` column's text as a JS number; throws `StoreValueError` when it is outside the safe-integer range,
 * because money is integer paise and must never be silently rounded (STYLE.md, DESIGN.md invariant 7).
 */
export function parseSafeBigint(text: string): number {
  if (!integerText.test(text)) throw new StoreValueError(`bigint value '${text}' is not an integer`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new StoreValueError(
      `bigint value ${text} is outside the safe integer range ±${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return value;
}

/**
 * Returns a `numeric` value (e.g. the result of `sum(bigint)`) as a JS number when it is a safe integer; throws
 * otherwise, since a fractional or huge numeric cannot be represented exactly (cast it in SQL if that is intended).
 */
export function parseSafeNumeric(text: string): number {
  const integral = /^(-?\d+)(?:\.0+)?$/.exec(text);
  if (integral === null) {
    throw new StoreValueError(`numeric value ${text} is not an integer; cast it in SQL to read it exactly`);
  }
  return parseSafeBigint(integral[1] ?? text);
}

const timestamptzText =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/**
 * Returns a `timestamptz` in PostgreSQL's ISO output (`2026-11-21 03:45:00.123+05:30`) as Unix epoch milliseconds;
 * microseconds are truncated towards the past. Throws on `infinity`, BC dates and any other form.
 */
export function parseTimestamptz(text: string): number {
  const m = timestamptzText.exec(text);
  if (m === null) {
    throw new StoreValueError(
      `timestamptz '${text}' is not in ISO form with an offset (DateStyle must be ISO)`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const offsetSeconds = Number(oh) * 3600 + Number(om ?? '0') * 60 + Number(os ?? '0');
  const epochMs = local - (sign === '-' ? -1 : 1) * offsetSeconds * 1000;
  // Date.UTC maps years 0–99 to 1900–1999; KitePilot never stores such dates, so refuse rather than misread them.
  if (Number(y) < 100) throw new StoreValueError(`timestamptz '${text}' has a year before 100`);
  return epochMs;
}

/** Returns a `date` as its `YYYY-MM-DD` text, never a `Date` in the process's local zone. */
export function parseDate(text: string): string {
  return text;
}

/** Parsers by type OID, applied by both drivers. */
export const storeTypeParsers: Readonly<Record<number, (text: string) => unknown>> = {
  [pgTypeOid.int8]: parseSafeBigint,
  [pgTypeOid.numeric]: parseSafeNumeric,
  [pgTypeOid.date]: parseDate,
  [pgTypeOid.timestamptz]: parseTimestamptz,
};

/** Returns the ISO-8601 UTC text of an epoch-millisecond instant, for `$n::timestamptz` parameters. */
export function toTimestamptzParam(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs))
    throw new StoreValueError(`timestamp ${epochMs} is not an integer epoch ms`);
  return new Date(epochMs).toISOString();
}
