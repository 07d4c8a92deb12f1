import { NseCalendar } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { ist } from './bar-test-support.ts';
import { DailySessionSchedule, istDayNumber, istDayStartMs, NseSessionSchedule } from './session-schedule.ts';

describe('NseSessionSchedule', () => {
  const schedule = new NseSessionSchedule(new NseCalendar());

  it('returns 09:15–15:30 IST on a regular trading day, for any instant of that IST day', () => {
    const expected = { openMs: ist('2026-11-23', '09:15'), closeMs: ist('2026-11-23', '15:30') };
    expect(schedule.sessionOf(ist('2026-11-23', '00:00'))).toEqual(expected);
    expect(schedule.sessionOf(ist('2026-11-23', '23:59:59', 999))).toEqual(expected);
  });

  it('runs the session to the end of the closing auction for CAS stocks from 3 Aug 2026', () => {
    const cas = new NseSessionSchedule(new NseCalendar(), 'equity-cas');
    expect(cas.sessionOf(ist('2026-11-23', '12:00'))).toEqual({
      openMs: ist('2026-11-23', '09:15'),
      closeMs: ist('2026-11-23', '15:35'),
    });
  });

  it('returns null on a weekend, a trading holiday and a day whose timings are not notified', () => {
    expect(schedule.sessionOf(ist('2026-11-22', '10:00'))).toBeNull();
    expect(schedule.sessionOf(ist('2026-11-24', '10:00'))).toBeNull();
    // Muhurat trading on 8 Nov 2026: a trading day with unknown timings (market-rules.md §3.4).
    expect(schedule.sessionOf(ist('2026-11-08', '18:00'))).toBeNull();
  });

  it('returns null for a year the calendar does not cover instead of inventing a session', () => {
    expect(schedule.sessionOf(ist('2030-01-07', '10:00'))).toBeNull();
  });
});

describe('DailySessionSchedule', () => {
  it('returns the same session on every IST day, weekends included', () => {
    const daily = new DailySessionSchedule();
    expect(daily.sessionOf(ist('2026-11-22', '03:00'))).toEqual({
      openMs: ist('2026-11-22', '09:15'),
      closeMs: ist('2026-11-22', '15:30'),
    });
  });

  it('rejects a session that closes before it opens', () => {
    expect(() => new DailySessionSchedule(50_000_000, 40_000_000)).toThrow(/0 ≤ open < close/);
  });
});

describe('istDayNumber', () => {
  it('changes at 00:00 IST, which is 18:30 UTC', () => {
    const midnight = ist('2026-11-23', '00:00');
    expect(new Date(midnight).toISOString()).toBe('2026-11-22T18:30:00.000Z');
    expect(istDayNumber(midnight) - istDayNumber(midnight - 1)).toBe(1);
    expect(istDayStartMs(istDayNumber(midnight + 5_000))).toBe(midnight);
  });
});
