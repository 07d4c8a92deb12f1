import { describe, expect, it } from 'vitest';
import { StoreValueError } from '../errors.ts';
import { parseSafeBigint, parseSafeNumeric, parseTimestamptz, toTimestamptzParam } from './type-parsers.ts';

describe('parseSafeBigint', () => {
  it('returns values up to ±(2^53 - 1) exactly', () => {
    expect(parseSafeBigint('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSafeBigint('-9007199254740991')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parseSafeBigint('0')).toBe(0);
  });

  it('throws instead of rounding 2^53 and beyond', () => {
    expect(() => parseSafeBigint('9007199254740992')).toThrow(StoreValueError);
    expect(() => parseSafeBigint('-9223372036854775808')).toThrow(/outside the safe integer range/);
  });
});

describe('parseSafeNumeric', () => {
  it('returns integral numerics, with or without a zero fraction, and refuses fractions', () => {
    expect(parseSafeNumeric('123')).toBe(123);
    expect(parseSafeNumeric('-5.000')).toBe(-5);
    expect(() => parseSafeNumeric('0.5')).toThrow(/0\.5 is not an integer/);
    expect(() => parseSafeNumeric('99999999999999999999')).toThrow(StoreValueError);
  });
});

describe('parseTimestamptz', () => {
  it('reads ISO output with any offset as epoch ms', () => {
    const ms = Date.UTC(2026, 10, 20, 3, 45, 0, 123);
    expect(parseTimestamptz('2026-11-20 03:45:00.123+00')).toBe(ms);
    expect(parseTimestamptz('2026-11-20 09:15:00.123+05:30')).toBe(ms);
    expect(parseTimestamptz('2026-11-19 23:45:00.123-04')).toBe(ms);
    expect(parseTimestamptz('1969-12-31 23:59:59+00')).toBe(-1000);
  });

  it('truncates microseconds to milliseconds', () => {
    expect(parseTimestamptz('2026-11-20 03:45:00.123999+00')).toBe(Date.UTC(2026, 10, 20, 3, 45, 0, 123));
  });

  it('refuses infinity, BC dates and non-ISO styles', () => {
    expect(() => parseTimestamptz('infinity')).toThrow(StoreValueError);
    expect(() => parseTimestamptz('0044-03-15 12:00:00+00 BC')).toThrow(StoreValueError);
    expect(() => parseTimestamptz('Fri Nov 20 03:45:00 2026 UTC')).toThrow(/DateStyle must be ISO/);
  });

  it('inverts toTimestamptzParam', () => {
    const ms = Date.UTC(2031, 0, 5, 23, 59, 59, 999);
    expect(parseTimestamptz(toTimestamptzParam(ms).replace('T', ' ').replace('Z', '+00'))).toBe(ms);
    expect(() => toTimestamptzParam(1.5)).toThrow(/not an integer epoch ms/);
  });
});
