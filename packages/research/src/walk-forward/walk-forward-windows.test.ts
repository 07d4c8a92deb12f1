// Properties of walkForwardWindows over generated day lists and options:
//   1. every test period directly follows its training period (trainToMs = testFromMs, the last train day is the
//      day before the first test day in the data), and test periods never overlap and ascend;
//   2. rolling training periods all hold trainDays days; anchored ones all start at the first day and grow by the
//      step;
//   3. the count is the number of whole windows: one more would not fit in the data;
//   4. every window's days are days of the data, and [fromMs, toMs) holds exactly the bars of its days.
import fc from 'fast-check';
import { istToEpochMs } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { WalkForwardConfigError } from './walk-forward-config-error.ts';
import { checkWindowOptions, walkForwardWindows, windowCount } from './walk-forward-windows.ts';

const DAY_MS = 86_400_000;

/** Returns `n` weekdays from Monday 2025-01-06, skipping the dates in `holidays`. */
function weekdays(n: number, holidays: readonly string[] = []): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2025, 0, 6); days.length < n; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6 && !holidays.includes(date)) days.push(date);
  }
  return days;
}

describe('walkForwardWindows', () => {
  it('cuts rolling windows counted in days with bars, a holiday not shortening any', () => {
    const days = weekdays(12, ['2025-01-08']);
    const windows = walkForwardWindows(days, { trainDays: 5, testDays: 2 });
    expect(windows.map((w) => [w.trainFirstDay, w.trainLastDay, w.testFirstDay, w.testLastDay])).toEqual([
      ['2025-01-06', '2025-01-13', '2025-01-14', '2025-01-15'],
      ['2025-01-09', '2025-01-15', '2025-01-16', '2025-01-17'],
      ['2025-01-13', '2025-01-17', '2025-01-20', '2025-01-21'],
    ]);
    const first = windows[0]!;
    expect(first.trainDays).toBe(5);
    expect(first.trainFromMs).toBe(istToEpochMs('2025-01-06', '00:00'));
    expect(first.trainToMs).toBe(istToEpochMs('2025-01-14', '00:00'));
    expect(first.testFromMs).toBe(first.trainToMs);
    expect(first.testToMs).toBe(istToEpochMs('2025-01-16', '00:00'));
  });

  it('grows anchored training periods from the first day and honours a longer step', () => {
    const windows = walkForwardWindows(weekdays(20), {
      trainDays: 5,
      testDays: 2,
      stepDays: 4,
      anchored: true,
    });
    expect(windows.map((w) => [w.trainFirstDay, w.trainDays, w.testFirstDay, w.testDays])).toEqual([
      ['2025-01-06', 5, '2025-01-13', 2],
      ['2025-01-06', 9, '2025-01-17', 2],
      ['2025-01-06', 13, '2025-01-23', 2],
      ['2025-01-06', 17, '2025-01-29', 2],
    ]);
  });

  it('says how many days the data has and needs when it is too short for one window', () => {
    expect(() => walkForwardWindows(weekdays(24), { trainDays: 20, testDays: 5 })).toThrow(
      'the data has 24 trading day(s); one window needs 20 train + 5 test = 25',
    );
    expect(() => walkForwardWindows([], { trainDays: 1, testDays: 1 })).toThrow(WalkForwardConfigError);
  });

  it('refuses bad lengths, an overlapping step and unordered days, naming the value', () => {
    expect(() => checkWindowOptions({ trainDays: 0, testDays: 5 })).toThrow(
      'trainDays 0 must be a whole number of trading days ≥ 1',
    );
    expect(() => checkWindowOptions({ trainDays: 5, testDays: 2.5 })).toThrow('testDays 2.5 must be');
    expect(() => checkWindowOptions({ trainDays: 5, testDays: 5, stepDays: 3 })).toThrow(
      'stepDays 3 is less than testDays 5: test periods would overlap',
    );
    expect(() => walkForwardWindows(['2025-01-07', '2025-01-06'], { trainDays: 1, testDays: 1 })).toThrow(
      'trading day 1 2025-01-06 is not after 2025-01-07',
    );
    expect(() => walkForwardWindows(['7 Jan'], { trainDays: 1, testDays: 1 })).toThrow(
      'trading day 0 "7 Jan" is not YYYY-MM-DD',
    );
  });

  it('keeps its invariants for any data length and options', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        (n, trainDays, testDays, extraStep, anchored) => {
          const days = weekdays(n);
          const options = { trainDays, testDays, stepDays: testDays + extraStep, anchored };
          const count = windowCount(n, options);
          if (count === 0) {
            expect(() => walkForwardWindows(days, options)).toThrow(WalkForwardConfigError);
            expect(n).toBeLessThan(trainDays + testDays);
            return;
          }
          const windows = walkForwardWindows(days, options);
          expect(windows).toHaveLength(count);
          // One more window would not fit.
          expect(trainDays + count * options.stepDays + testDays).toBeGreaterThan(n);
          windows.forEach((w, k) => {
            expect(w.index).toBe(k);
            expect(w.trainToMs).toBe(w.testFromMs);
            expect(days.indexOf(w.testFirstDay)).toBe(days.indexOf(w.trainLastDay) + 1);
            expect(days.indexOf(w.testLastDay) - days.indexOf(w.testFirstDay) + 1).toBe(testDays);
            const trainIndex = days.indexOf(w.trainFirstDay);
            expect(days.indexOf(w.trainLastDay) - trainIndex + 1).toBe(w.trainDays);
            if (anchored) {
              expect(trainIndex).toBe(0);
              expect(w.trainDays).toBe(trainDays + k * options.stepDays);
            } else {
              expect(w.trainDays).toBe(trainDays);
            }
            const previous = windows[k - 1];
            if (previous !== undefined) expect(w.testFromMs).toBeGreaterThanOrEqual(previous.testToMs);
            // A bar at 15:29 IST of each day lies in exactly its own period.
            for (const day of days) {
              const bar = istToEpochMs(day, '15:29');
              const inTest = bar >= w.testFromMs && bar < w.testToMs;
              expect(inTest).toBe(day >= w.testFirstDay && day <= w.testLastDay);
              const inTrain = bar >= w.trainFromMs && bar < w.trainToMs;
              expect(inTrain).toBe(day >= w.trainFirstDay && day <= w.trainLastDay);
            }
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});
