// Expiry days (market-rules.md §4.6): NIFTY weekly on Tuesday from 1 Sep 2025 and Thursday before (unconfirmed),
// monthly on the last such weekday, moved to the previous trading day when a holiday. Dates quoted by the
// reference are checked: Mar 2026 monthly on Mon 30 Mar, last old-lot weekly 23 Dec 2025 and monthly 30 Dec 2025,
// first new-lot weekly 6 Jan 2026 and monthly 27 Jan 2026 (§4.5).
import { describe, expect, it } from 'vitest';
import { NseCalendar } from './nse-calendar.ts';

const calendar = new NseCalendar();

describe('NseCalendar expiries', () => {
  it('moves the March 2026 monthly expiry from Tue 31 Mar (holiday) to Mon 30 Mar', () => {
    expect(calendar.monthlyExpiry(2026, 3)).toEqual({
      date: '2026-03-30',
      scheduled: '2026-03-31',
      moved: true,
      confirmed: true,
    });
  });

  it('matches the expiry dates quoted in the reference', () => {
    expect(calendar.niftyWeeklyExpiry('2025-12-17').date).toBe('2025-12-23');
    expect(calendar.monthlyExpiry(2025, 12).date).toBe('2025-12-30');
    expect(calendar.niftyWeeklyExpiry('2026-01-01').date).toBe('2026-01-06');
    expect(calendar.monthlyExpiry(2026, 1).date).toBe('2026-01-27');
    expect(calendar.monthlyExpiry(2025, 10).date).toBe('2025-10-28');
  });

  it('returns the expiry day itself when asked on it, and next week when asked after it', () => {
    expect(calendar.niftyWeeklyExpiry('2026-11-17').date).toBe('2026-11-17');
    expect(calendar.niftyWeeklyExpiry('2026-11-18').date).toBe('2026-11-23');
  });

  it('moves weekly expiries in Tuesday-holiday weeks to Monday', () => {
    expect(calendar.niftyWeeklyExpiry('2026-11-18')).toMatchObject({
      date: '2026-11-23',
      scheduled: '2026-11-24',
      moved: true,
    });
    expect(calendar.niftyWeeklyExpiry('2026-03-01').date).toBe('2026-03-02');
    expect(calendar.niftyWeeklyExpiry('2026-04-08').date).toBe('2026-04-13');
    expect(calendar.niftyWeeklyExpiry('2026-11-04').date).toBe('2026-11-09');
    expect(calendar.niftyWeeklyExpiry('2026-10-14').date).toBe('2026-10-19');
  });

  it('does not count a holiday with a Muhurat session as an expiry day', () => {
    expect(calendar.niftyWeeklyExpiry('2025-10-15')).toMatchObject({
      date: '2025-10-20',
      scheduled: '2025-10-21',
    });
  });

  it('skips to the next week when asked on a holiday whose expiry moved earlier', () => {
    expect(calendar.niftyWeeklyExpiry('2026-03-31').date).toBe('2026-04-07');
    expect(calendar.niftyWeeklyExpiry('2026-03-30').date).toBe('2026-03-30');
  });

  it('uses Thursday before 1 Sep 2025, flagged unconfirmed', () => {
    expect(calendar.niftyWeeklyExpiry('2025-04-07')).toEqual({
      date: '2025-04-09',
      scheduled: '2025-04-10',
      moved: true,
      confirmed: false,
    });
    expect(calendar.niftyWeeklyExpiry('2025-04-28').date).toBe('2025-04-30');
    expect(calendar.monthlyExpiry(2025, 8)).toMatchObject({ date: '2025-08-28', confirmed: false });
    expect(calendar.monthlyExpiry(2025, 3).date).toBe('2025-03-27');
  });

  it('switches from Thursday to Tuesday at 1 Sep 2025', () => {
    expect(calendar.niftyWeeklyExpiry('2025-08-29').date).toBe('2025-09-02');
    expect(calendar.monthlyExpiry(2025, 9)).toMatchObject({ date: '2025-09-30', confirmed: true });
  });

  it('refuses expiries beyond the published years', () => {
    expect(() => calendar.niftyWeeklyExpiry('2026-12-30')).toThrow(
      'date 2027-01-05 is outside the NSE calendar',
    );
    expect(() => calendar.monthlyExpiry(2027, 1)).toThrow('date 2027-01-26 is outside the NSE calendar');
    expect(() => calendar.monthlyExpiry(2026, 13)).toThrow('year 2026 / month 13 is not a valid');
  });
});
