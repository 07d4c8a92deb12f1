// Train/test windows of a walk-forward study, counted in trading days of the data (IST dates with bars), never in
// calendar days: a holiday or a gap in the data does not shorten a window. Windows are rolling (the training period
// keeps its length and moves by the step) or anchored (the training period always starts at the first day and grows
// by the step). Each test period follows its training period directly; test periods never overlap, so that the
// out-of-sample results can be stitched into one equity curve. Only whole windows are made: days after the last
// whole test period are not used.
import { istToEpochMs } from '@kitepilot/core';
import { WalkForwardConfigError } from './walk-forward-config-error.ts';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How windows are cut. */
export interface WindowOptions {
  /** Trading days in a (rolling) training period, or in the first (anchored) one. */
  readonly trainDays: number;
  /** Trading days in a test period. */
  readonly testDays: number;
  /** Trading days between the starts of consecutive test periods (default testDays; at least testDays). */
  readonly stepDays?: number;
  /** Anchored (expanding) training periods instead of rolling ones. */
  readonly anchored?: boolean;
}

/** One train/test window. Dates are IST `YYYY-MM-DD`, inclusive; times are epoch ms, the end exclusive. */
export interface WalkForwardWindow {
  readonly index: number;
  readonly trainFirstDay: string;
  readonly trainLastDay: string;
  readonly testFirstDay: string;
  readonly testLastDay: string;
  /** Trading days in the training and the test period. */
  readonly trainDays: number;
  readonly testDays: number;
  /** [trainFromMs, trainToMs) holds every bar of the training days; trainToMs = testFromMs. */
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly testFromMs: number;
  /** The IST midnight after the last test day. */
  readonly testToMs: number;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new WalkForwardConfigError(`${name} ${value} must be a whole number of trading days ≥ 1`);
  }
}

/** Returns the checked options with the step filled in; throws WalkForwardConfigError naming a bad one. */
export function checkWindowOptions(options: WindowOptions): Required<WindowOptions> {
  positiveInteger('trainDays', options.trainDays);
  positiveInteger('testDays', options.testDays);
  const stepDays = options.stepDays ?? options.testDays;
  positiveInteger('stepDays', stepDays);
  if (stepDays < options.testDays) {
    throw new WalkForwardConfigError(
      `stepDays ${stepDays} is less than testDays ${options.testDays}: test periods would overlap and the ` +
        'stitched out-of-sample curve would count days twice',
    );
  }
  return {
    trainDays: options.trainDays,
    testDays: options.testDays,
    stepDays,
    anchored: options.anchored ?? false,
  };
}

/** Returns how many whole windows `dayCount` trading days hold (0 when not even one). */
export function windowCount(dayCount: number, options: WindowOptions): number {
  const o = checkWindowOptions(options);
  const room = dayCount - o.trainDays - o.testDays;
  return room < 0 ? 0 : Math.floor(room / o.stepDays) + 1;
}

/**
 * Returns the windows over `days` (the data's trading days, ascending IST dates). Throws WalkForwardConfigError
 * when the options are bad or the data is too short for one window, saying how many days it has and needs.
 */
export function walkForwardWindows(days: readonly string[], options: WindowOptions): WalkForwardWindow[] {
  const o = checkWindowOptions(options);
  days.forEach((day, i) => {
    if (!DATE.test(day))
      throw new WalkForwardConfigError(`trading day ${i} ${JSON.stringify(day)} is not YYYY-MM-DD`);
    if (i > 0 && day <= (days[i - 1] as string)) {
      throw new WalkForwardConfigError(`trading day ${i} ${day} is not after ${days[i - 1]}`);
    }
  });
  const count = windowCount(days.length, o);
  if (count === 0) {
    throw new WalkForwardConfigError(
      `the data has ${days.length} trading day(s); one window needs ${o.trainDays} train + ${o.testDays} test = ` +
        `${o.trainDays + o.testDays}`,
    );
  }
  const windows: WalkForwardWindow[] = [];
  for (let k = 0; k < count; k++) {
    const testStart = o.trainDays + k * o.stepDays;
    const trainStart = o.anchored ? 0 : k * o.stepDays;
    const testEnd = testStart + o.testDays;
    const day = (i: number): string => days[i] as string;
    windows.push({
      index: k,
      trainFirstDay: day(trainStart),
      trainLastDay: day(testStart - 1),
      testFirstDay: day(testStart),
      testLastDay: day(testEnd - 1),
      trainDays: testStart - trainStart,
      testDays: o.testDays,
      trainFromMs: istToEpochMs(day(trainStart), '00:00'),
      trainToMs: istToEpochMs(day(testStart), '00:00'),
      testFromMs: istToEpochMs(day(testStart), '00:00'),
      testToMs: istToEpochMs(day(testEnd - 1), '00:00') + DAY_MS,
    });
  }
  return windows;
}
