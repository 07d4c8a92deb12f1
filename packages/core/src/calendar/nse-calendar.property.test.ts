// Properties of the NSE calendar over every date it covers (2025-01-01 .. 2026-12-30, so that the answer also lies
// inside the covered years):
//   1. nextTradingDay(d) > d, is a trading day, and no trading day lies strictly between them;
//   2. previousTradingDay(nextTradingDay(d)) <= d, and equals d when d is a trading day;
//   3. tradingDaysBetween(a, b) lists exactly the trading days of [a, b] in ascending order;
//   4. niftyWeeklyExpiry(d) is on or after d, a weekday that is not a holiday, and within 8 days of d;
//   5. phaseAt on a non-trading day is `closed` at any instant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENTS } from './calendar-types.ts';
import { istToEpochMs } from './ist.ts';
import { NseCalendar } from './nse-calendar.ts';

const calendar = new NseCalendar();
const DAY_MS = 86_400_000;
const FIRST = Date.UTC(2025, 0, 1) / DAY_MS;
const LAST = Date.UTC(2026, 11, 30) / DAY_MS;

const coveredDate = fc
  .integer({ min: FIRST, max: LAST })
  .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

describe('NseCalendar properties', () => {
  it('finds the next trading day after any date', () => {
    fc.assert(
      fc.property(coveredDate, (d) => {
        const next = calendar.nextTradingDay(d);
        expect(next > d).toBe(true);
        expect(calendar.isTradingDay(next)).toBe(true);
        for (let between = nextDay(d); between < next; between = nextDay(between)) {
          expect(calendar.isTradingDay(between)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('steps back from the next trading day to on or before the date', () => {
    fc.assert(
      fc.property(
        coveredDate.filter((d) => d > '2025-01-01'),
        (d) => {
          const back = calendar.previousTradingDay(calendar.nextTradingDay(d));
          expect(back <= d).toBe(true);
          if (calendar.isTradingDay(d)) expect(back).toBe(d);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lists exactly the trading days of a range', () => {
    fc.assert(
      fc.property(coveredDate, fc.integer({ min: 0, max: 40 }), (from, span) => {
        let to = from;
        for (let i = 0; i < span && to < '2026-12-31'; i += 1) to = nextDay(to);
        const expected: string[] = [];
        for (let d = from; d <= to; d = nextDay(d)) if (calendar.isTradingDay(d)) expected.push(d);
        expect(calendar.tradingDaysBetween(from, to)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('finds a weekly expiry on or after any date, on a non-holiday weekday', () => {
    fc.assert(
      fc.property(
        coveredDate.filter((d) => d <= '2026-12-22'),
        (d) => {
          const expiry = calendar.niftyWeeklyExpiry(d);
          expect(expiry.date >= d).toBe(true);
          expect(expiry.date <= expiry.scheduled).toBe(true);
          expect(calendar.holidayName(expiry.date)).toBeNull();
          expect(calendar.dayInfo(expiry.date).weekend).toBe(false);
          expect(Date.parse(expiry.date) - Date.parse(d)).toBeLessThanOrEqual(8 * DAY_MS);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is closed at every instant of a non-trading day', () => {
    const nonTrading = coveredDate.filter((d) => !calendar.isTradingDay(d));
    fc.assert(
      fc.property(
        nonTrading,
        fc.integer({ min: 0, max: DAY_MS - 1 }),
        fc.constantFrom(...SEGMENTS),
        (d, ms, s) => {
          expect(calendar.phaseAt(istToEpochMs(d, '00:00') + ms, s).phase).toBe('closed');
        },
      ),
      { numRuns: 300 },
    );
  });
});
