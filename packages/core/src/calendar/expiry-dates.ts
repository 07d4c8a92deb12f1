// NSE equity-derivative expiry dates (market-rules.md §4.6): NIFTY weekly on the rule's weekday, monthly on the
// last such weekday of the month; an expiry that falls on a holiday moves to the previous trading day.
import type { ExpiryRule } from './calendar-types.ts';
import { addDays, monthLength, weekdayOf } from './iso-date.ts';

/** An expiry date together with the date it was scheduled for before the holiday rule. */
export interface ExpiryDate {
  /** The trading day on which the contracts expire. */
  readonly date: string;
  /** The rule's weekday the expiry was scheduled for (equals `date` unless a holiday moved it). */
  readonly scheduled: string;
  /** True when a holiday moved the expiry to an earlier trading day. */
  readonly moved: boolean;
  /** False when the weekday rule is marked unconfirmed in the calendar data. */
  readonly confirmed: boolean;
}

/** Answers whether a date can hold an expiry; throws for dates outside the calendar's years. */
export type ExpiryDayTest = (date: string) => boolean;

function ruleOn(rules: readonly ExpiryRule[], date: string): ExpiryRule {
  const rule = rules.find((r) => r.from <= date && (r.until === null || date <= r.until));
  if (rule === undefined) {
    const ranges = rules.map((r) => `${r.from}..${r.until ?? 'open'}`).join(', ');
    throw new RangeError(`no expiry weekday rule covers ${date} (rules cover ${ranges})`);
  }
  return rule;
}

function moveToTradingDay(scheduled: string, rule: ExpiryRule, isExpiryDay: ExpiryDayTest): ExpiryDate {
  let date = scheduled;
  // §4.6 holiday rule: the expiry moves to the previous trading day.
  while (!isExpiryDay(date)) date = addDays(date, -1);
  return { date, scheduled, moved: date !== scheduled, confirmed: rule.confirmed };
}

/** Returns the first NIFTY weekly expiry falling on or after `date`, after applying the holiday rule. */
export function weeklyExpiryOnOrAfter(
  date: string,
  rules: readonly ExpiryRule[],
  isExpiryDay: ExpiryDayTest,
): ExpiryDate {
  let candidate = date;
  for (;;) {
    const rule = ruleOn(rules, candidate);
    if (weekdayOf(candidate) === rule.weekday) {
      const expiry = moveToTradingDay(candidate, rule, isExpiryDay);
      // A moved expiry can land before `date` (asked on the holiday itself): then the next week's applies.
      if (expiry.date >= date) return expiry;
    }
    candidate = addDays(candidate, 1);
  }
}

/** Returns the monthly expiry of a month (1 = January): the last rule weekday of the month, after the holiday rule. */
export function monthlyExpiryOf(
  year: number,
  month: number,
  rules: readonly ExpiryRule[],
  isExpiryDay: ExpiryDayTest,
): ExpiryDate {
  const lastDay = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(monthLength(year, month)).padStart(2, '0')}`;
  // The weekday in force at the month's end decides (Sep 2025, the first Tuesday month, expired on the last Tuesday).
  const rule = ruleOn(rules, lastDay);
  let scheduled = lastDay;
  while (weekdayOf(scheduled) !== rule.weekday) scheduled = addDays(scheduled, -1);
  return moveToTradingDay(scheduled, rule, isExpiryDay);
}
