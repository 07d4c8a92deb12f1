import { istDate, istToEpochMs, type NseCalendar } from '@kitepilot/core';

// Regular NSE cash session (market-rules.md §3.1); the demo records inside it.
const OPEN = '09:15';
const CLOSE = '15:30';
const MINUTE_MS = 60_000;

function isRegularTradingDay(calendar: NseCalendar, date: string): boolean {
  // A special session (Muhurat) is a trading day with a short evening session: not a day to open at 09:15.
  return calendar.isTradingDay(date) && calendar.dayInfo(date).special === null;
}

function regularDayOnOrAfter(calendar: NseCalendar, date: string): string {
  let day = date;
  while (!isRegularTradingDay(calendar, day)) day = calendar.nextTradingDay(day);
  return day;
}

/**
 * Returns the simulated time (epoch ms) a demo session starts at: 09:15 IST of the current IST date when it is a
 * regular NSE trading day, else of the next one — so a demo runs at night, on weekends and on holidays. When an
 * earlier demo already recorded into that session (`resumeAfterMs`, the time of the last stored simulated tick), it
 * continues at the next whole minute after it instead of recording the same simulated minutes twice (ticks are
 * append-only); a session recorded up to its last minute moves on to the next trading day.
 */
export function demoSessionStart(calendar: NseCalendar, nowMs: number, resumeAfterMs: number | null): number {
  let day = regularDayOnOrAfter(calendar, istDate(nowMs));
  if (resumeAfterMs !== null && resumeAfterMs >= istToEpochMs(day, OPEN)) {
    day = regularDayOnOrAfter(calendar, istDate(resumeAfterMs));
    const open = istToEpochMs(day, OPEN);
    const resumeAt = Math.floor(resumeAfterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    if (resumeAt < open) return open;
    if (resumeAt <= istToEpochMs(day, CLOSE) - MINUTE_MS) return resumeAt;
    day = regularDayOnOrAfter(calendar, calendar.nextTradingDay(day));
  }
  return istToEpochMs(day, OPEN);
}
