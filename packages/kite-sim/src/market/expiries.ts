// NIFTY-like expiry dates for the simulated universe: NSE equity derivatives expire on Tuesdays since
// 1 Sep 2025 — weekly every Tuesday, monthly on the last Tuesday (market-rules.md §4.6). The simulator treats
// every day as a session day, so no holiday shift is applied.
import { addDays, weekdayOf } from '@kitepilot/core';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
// Kite's weekly option symbols encode the month as 1–9, O, N, D.
const WEEKLY_MONTH_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'] as const;

/** Returns the last Tuesday of a month (1 = January) as `YYYY-MM-DD`. */
export function lastTuesdayOf(year: number, month: number): string {
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  let date = addDays(next, -1);
  while (weekdayOf(date) !== 'Tue') date = addDays(date, -1);
  return date;
}

/** Returns the monthly expiries on or after `date`: index 0 is the current contract, 1 the next, and so on. */
export function monthlyExpiriesFrom(date: string, count: number): string[] {
  let year = Number(date.slice(0, 4));
  let month = Number(date.slice(5, 7));
  const out: string[] = [];
  while (out.length < count) {
    const expiry = lastTuesdayOf(year, month);
    if (expiry >= date) out.push(expiry);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/** Returns the first Tuesday on or after `date`. */
export function weeklyExpiryFrom(date: string): string {
  let d = date;
  while (weekdayOf(d) !== 'Tue') d = addDays(d, 1);
  return d;
}

/** Returns the futures symbol stem `YYMON`, e.g. `26NOV` for 2026-11-24. */
export function monthlySymbolPart(expiry: string): string {
  return `${expiry.slice(2, 4)}${MONTHS[Number(expiry.slice(5, 7)) - 1] ?? ''}`;
}

/** Returns the weekly option symbol stem `YYMDD`, e.g. `26N17` for 2026-11-17. */
export function weeklySymbolPart(expiry: string): string {
  return `${expiry.slice(2, 4)}${WEEKLY_MONTH_CODES[Number(expiry.slice(5, 7)) - 1] ?? ''}${expiry.slice(8, 10)}`;
}
