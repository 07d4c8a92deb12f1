// Property: for every day number in 0001-01-01..9999-12-31, dateFromDayNumber agrees with the host's proleptic
// Gregorian calendar (Date in UTC), dayNumber inverts it, and weekdayOf agrees with Date#getUTCDay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateFromDayNumber,
  dayNumber,
  isIsoDate,
  MAX_DAY_NUMBER,
  MIN_DAY_NUMBER,
  monthLength,
  weekdayOf,
  WEEKDAYS,
} from './iso-date.ts';

const DAY_MS = 86_400_000;

describe('iso-date', () => {
  it('maps known dates to day numbers and weekdays', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-11-24')).toBe(Date.UTC(2026, 10, 24) / DAY_MS);
    expect(weekdayOf('2026-11-24')).toBe('Tue');
    expect(weekdayOf('2026-02-01')).toBe('Sun');
    expect(dateFromDayNumber(dayNumber('2024-02-29'))).toBe('2024-02-29');
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of [
      '2026-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '26-01-01',
      '2026-1-5',
      '0000-01-01',
    ]) {
      expect(isIsoDate(bad)).toBe(false);
      expect(() => dayNumber(bad)).toThrow(`date "${bad}" is not a valid YYYY-MM-DD calendar date`);
    }
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
  });

  it('agrees with the host calendar on every supported day number', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_DAY_NUMBER, max: MAX_DAY_NUMBER }), (days) => {
        const reference = new Date(days * DAY_MS);
        const expected = reference.toISOString().slice(0, 10);
        expect(dateFromDayNumber(days)).toBe(expected);
        expect(dayNumber(expected)).toBe(days);
        expect(weekdayOf(expected)).toBe(WEEKDAYS[reference.getUTCDay()]);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds days across month, year and leap boundaries', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(monthLength(2026, 2)).toBe(28);
    expect(() => monthLength(2026, 13)).toThrow(
      'year 2026 / month 13 is not a valid year (1–9999) and month (1–12)',
    );
  });
});
