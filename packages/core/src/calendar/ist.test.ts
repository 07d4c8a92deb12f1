// Properties: for any supported instant t, istToEpochMs(istDate(t), istTime(t)) is t truncated to the second,
// formatIst(t) parses back to t, and for any IST date d and time s, istDate(istToEpochMs(d, s)) === d.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DAY_NUMBER, MIN_DAY_NUMBER } from './iso-date.ts';
import {
  formatIst,
  istDate,
  istTime,
  istToEpochMs,
  MAX_EPOCH_MS,
  MIN_EPOCH_MS,
  parseTimeOfDay,
} from './ist.ts';

describe('ist', () => {
  it('converts the NSE open of 23 Nov 2026 (09:15 IST = 03:45 UTC)', () => {
    const ms = Date.UTC(2026, 10, 23, 3, 45);
    expect(istToEpochMs('2026-11-23', '09:15')).toBe(ms);
    expect(istDate(ms)).toBe('2026-11-23');
    expect(istTime(ms)).toBe('09:15:00');
    expect(formatIst(ms + 7)).toBe('2026-11-23T09:15:00.007+05:30');
  });

  it('puts 18:30 UTC on the next IST date', () => {
    expect(istDate(Date.UTC(2026, 10, 23, 18, 29, 59, 999))).toBe('2026-11-23');
    expect(istDate(Date.UTC(2026, 10, 23, 18, 30))).toBe('2026-11-24');
    expect(istTime(Date.UTC(2026, 10, 23, 18, 30))).toBe('00:00:00');
  });

  it('handles instants before 1970', () => {
    const ms = Date.UTC(1969, 11, 31, 20, 0);
    expect(istDate(ms)).toBe('1970-01-01');
    expect(istTime(ms)).toBe('01:30:00');
  });

  it('rejects malformed times and instants', () => {
    expect(() => istToEpochMs('2026-11-23', '24:00')).toThrow(
      'time "24:00" is not a valid HH:MM or HH:MM:SS time',
    );
    expect(() => istToEpochMs('2026-11-23', '9:15')).toThrow('time "9:15"');
    expect(() => istToEpochMs('2026-11-31', '09:15')).toThrow('date "2026-11-31" is not a valid YYYY-MM-DD');
    expect(() => istDate(1.5)).toThrow('epoch milliseconds 1.5 is not an integer instant');
    expect(() => istDate(Number.NaN)).toThrow('epoch milliseconds NaN');
    expect(parseTimeOfDay('15:29:59')).toBe(((15 * 60 + 29) * 60 + 59) * 1000);
  });

  it('round-trips any instant through istDate and istTime', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_MS, max: MAX_EPOCH_MS }), (t) => {
        const truncated = t - (((t % 1000) + 1000) % 1000);
        expect(istToEpochMs(istDate(t), istTime(t))).toBe(truncated);
        expect(Date.parse(formatIst(t))).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any IST date and time through epoch milliseconds', () => {
    const dates = fc
      .integer({ min: MIN_DAY_NUMBER, max: MAX_DAY_NUMBER })
      .map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10));
    const times = fc
      .tuple(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
      )
      .map(([h, m, s]) => [h, m, s].map((n) => String(n).padStart(2, '0')).join(':'));
    fc.assert(
      fc.property(dates, times, (date, time) => {
        const t = istToEpochMs(date, time);
        expect(istDate(t)).toBe(date);
        expect(istTime(t)).toBe(time);
      }),
      { numRuns: 2000 },
    );
  });
});
