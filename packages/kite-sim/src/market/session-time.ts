// The simulator's session grid. Every IST calendar day is a session day (the simulator runs whatever day its
// clock says; demo mode shifts the clock instead of waiting for a weekday), with continuous trading
// 09:15–15:30 IST (market-rules.md §3.1). A "session minute" M = day × 375 + minute of the session.
import { IST_OFFSET_MS } from '@kitepilot/core';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Minutes in one simulated session (09:15–15:30). */
export const SESSION_MINUTES = 375;
/** IST time of day the session opens, in ms after midnight (09:15). */
export const SESSION_OPEN_MS = (9 * 60 + 15) * 60_000;
/** IST time of day the session closes, in ms after midnight (15:30). */
export const SESSION_CLOSE_MS = (15 * 60 + 30) * 60_000;

/** The position of an instant on the session grid. */
export interface SessionPoint {
  /** The session minute whose state applies (the last minute of the previous session before the open). */
  readonly minute: number;
  /** The second within that minute (0–59); 59 outside trading hours. */
  readonly second: number;
  /** True between 09:15:00 and 15:29:59 IST. */
  readonly trading: boolean;
}

/** Returns the IST day number (days since 1970-01-01 in IST) of an instant. */
export function istDayNumber(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/** Returns the epoch ms of IST midnight starting a day number. */
export function istMidnightMs(day: number): number {
  return day * DAY_MS - IST_OFFSET_MS;
}

/** Returns where an instant falls on the session grid. */
export function sessionPoint(epochMs: number): SessionPoint {
  const day = istDayNumber(epochMs);
  const msOfDay = epochMs - istMidnightMs(day);
  if (msOfDay < SESSION_OPEN_MS) return { minute: day * SESSION_MINUTES - 1, second: 59, trading: false };
  if (msOfDay >= SESSION_CLOSE_MS)
    return { minute: day * SESSION_MINUTES + SESSION_MINUTES - 1, second: 59, trading: false };
  const intoSession = msOfDay - SESSION_OPEN_MS;
  return {
    minute: day * SESSION_MINUTES + Math.floor(intoSession / 60_000),
    second: Math.floor((intoSession % 60_000) / 1000),
    trading: true,
  };
}

/** Returns the epoch ms at which a session minute starts. */
export function minuteStartMs(minute: number): number {
  const day = Math.floor(minute / SESSION_MINUTES);
  return istMidnightMs(day) + SESSION_OPEN_MS + (minute - day * SESSION_MINUTES) * 60_000;
}

/** Returns the day number of a session minute. */
export function dayOfMinute(minute: number): number {
  return Math.floor(minute / SESSION_MINUTES);
}
