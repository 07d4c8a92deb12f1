import { istMillisOfDay, istToEpochMs } from '@kitepilot/core';

/** Returns the milliseconds since IST midnight of an `HH:MM` (or `HH:MM:SS`) wall time; RangeError on a bad time. */
export function timeOfDayMs(time: string): number {
  // Any date works: IST has no daylight saving, so the wall time maps to the same offset every day.
  return istMillisOfDay(istToEpochMs('2026-01-01', time));
}
