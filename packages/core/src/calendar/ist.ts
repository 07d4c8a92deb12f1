// India Standard Time helpers. IST is a fixed UTC+05:30 offset with no daylight saving (DESIGN.md §4,
// invariant 6), so conversions are plain arithmetic: no Intl, no host time zone, no wall clock.
import { dateFromDayNumber, dayNumber, MAX_DAY_NUMBER, MIN_DAY_NUMBER } from './iso-date.ts';

/** The IST offset from UTC in milliseconds (+05:30). */
export const IST_OFFSET_MS = 19_800_000;

/** Milliseconds in one calendar day. */
export const DAY_MS = 86_400_000;

/** The first supported instant (0001-01-01T00:00:00.000+05:30) in epoch milliseconds. */
export const MIN_EPOCH_MS = MIN_DAY_NUMBER * DAY_MS - IST_OFFSET_MS;
/** The last supported instant (9999-12-31T23:59:59.999+05:30) in epoch milliseconds. */
export const MAX_EPOCH_MS = (MAX_DAY_NUMBER + 1) * DAY_MS - IST_OFFSET_MS - 1;

const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

function assertEpochMs(epochMs: number): void {
  if (!Number.isSafeInteger(epochMs) || epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS) {
    throw new RangeError(
      `epoch milliseconds ${epochMs} is not an integer instant between ${MIN_EPOCH_MS} and ${MAX_EPOCH_MS}`,
    );
  }
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** Returns the IST calendar date (`YYYY-MM-DD`) of an instant given in epoch milliseconds. */
export function istDate(epochMs: number): string {
  assertEpochMs(epochMs);
  const day = Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
  // Callers ask about the same day again and again (every bar, every check): remember the last answer.
  if (day !== lastDay) {
    lastDay = day;
    lastDate = dateFromDayNumber(day);
  }
  return lastDate;
}

let lastDay = Number.NaN;
let lastDate = '';

/** Returns the milliseconds elapsed since IST midnight at an instant (0 … 86 399 999). */
export function istMillisOfDay(epochMs: number): number {
  assertEpochMs(epochMs);
  const local = epochMs + IST_OFFSET_MS;
  return local - Math.floor(local / DAY_MS) * DAY_MS;
}

/** Returns the IST wall time (`HH:MM:SS`, milliseconds dropped) of an instant. */
export function istTime(epochMs: number): string {
  const seconds = Math.floor(istMillisOfDay(epochMs) / 1000);
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

/** Returns the milliseconds since midnight of an `HH:MM` or `HH:MM:SS` time; throws a RangeError naming a bad time. */
export function parseTimeOfDay(time: string): number {
  const match = typeof time === 'string' ? TIME.exec(time) : null;
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const seconds = match?.[3] === undefined ? 0 : Number(match[3]);
  if (match === null || hours > 23 || minutes > 59 || seconds > 59) {
    throw new RangeError(`time ${JSON.stringify(time)} is not a valid HH:MM or HH:MM:SS time of day`);
  }
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/** Returns the epoch milliseconds of an IST date (`YYYY-MM-DD`) and wall time (`HH:MM` or `HH:MM:SS`). */
export function istToEpochMs(date: string, time: string): number {
  return dayNumber(date) * DAY_MS + parseTimeOfDay(time) - IST_OFFSET_MS;
}

/** Returns an instant as ISO 8601 in IST with milliseconds, e.g. `2026-11-23T09:15:00.000+05:30`. */
export function formatIst(epochMs: number): string {
  const millis = istMillisOfDay(epochMs) % 1000;
  return `${istDate(epochMs)}T${istTime(epochMs)}.${String(millis).padStart(3, '0')}+05:30`;
}
