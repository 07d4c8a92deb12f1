// The trading calendar of a backtest. Imported data is the authority on which days traded (issue "Research"):
// every day with bars is a trading day, a weekday inside the data's range without bars is a holiday, and a weekend
// day with bars is a special session. The NSE calendar is consulted only to warn: a bar on a day it calls a holiday
// is kept, with a warning, and so is a day it calls a trading day that has no bars. Sessions are the regular
// equity and F&O timings (09:15–15:30 continuous) for every year of the data — the bundled calendar covers only
// the years with a published holiday list.
import { CalendarRangeError, istDate, NseCalendar } from '@kitepilot/core';
import type { BarSeries } from './bar-series.ts';

/** The calendar of a backtest and what differs from the NSE calendar. */
export interface DataCalendar {
  readonly calendar: NseCalendar;
  /** The IST dates with data, ascending. */
  readonly days: readonly string[];
  readonly warnings: readonly string[];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

function weekday(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as (typeof WEEKDAYS)[number];
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const EQUITY_PHASES = [
  { phase: 'pre-open', start: '09:00', end: '09:08' },
  { phase: 'pre-open-matching', start: '09:08', end: '09:12' },
  { phase: 'pre-open-buffer', start: '09:12', end: '09:15' },
  { phase: 'continuous', start: '09:15', end: '15:30' },
  { phase: 'closing', start: '15:30', end: '15:40' },
  { phase: 'post-close', start: '15:40', end: '16:00' },
];

/** Returns the IST dates that have bars in `series`, ascending. */
export function barDays(series: BarSeries): string[] {
  const days: string[] = [];
  let last = '';
  let lastDayStart = -Infinity;
  for (let i = 0; i < series.length; i++) {
    const start = series.start[i] as number;
    // Skip the date formatting while inside the same IST day (bars ascend).
    if (start < lastDayStart + 86_400_000 && start >= lastDayStart) continue;
    const day = istDate(start);
    lastDayStart = Date.parse(`${day}T00:00:00+05:30`);
    if (day !== last) days.push(day);
    last = day;
  }
  return days;
}

/**
 * Builds the backtest calendar from the IST dates that have data (ascending; see barDays); `reference` (the NSE
 * calendar) only adds warnings. At most `maxListed` dates are named per warning.
 */
export function dataCalendar(days: readonly string[], reference: NseCalendar, maxListed = 10): DataCalendar {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined)
    throw new RangeError('a backtest calendar needs at least one day of data');
  const withBars = new Set(days);
  const firstYear = Number(first.slice(0, 4));
  const lastYear = Number(last.slice(0, 4));
  const years: Record<string, unknown> = {};
  // The year after the data too: the scheduler arms the next trading day after the last one.
  for (let y = firstYear; y <= lastYear + 1; y++) {
    years[String(y)] = {
      source: 'the backtest data: weekdays without bars inside its range',
      holidays: [],
      weekendHolidays: [],
      settlementHolidays: [],
    };
  }
  const specialSessions: unknown[] = [];
  const holidayOnNse: string[] = [];
  const missing: string[] = [];
  for (let date = first; date <= last; date = nextDate(date)) {
    const day = weekday(date);
    const weekend = day === 'Sat' || day === 'Sun';
    const has = withBars.has(date);
    if (has && weekend) {
      specialSessions.push({ date, day, name: 'bars in the data', sessions: 'regular' });
    } else if (!has && !weekend) {
      (years[date.slice(0, 4)] as { holidays: unknown[] }).holidays.push({
        date,
        day,
        name: 'no bars in the data',
      });
    }
    let nseTrading: boolean | null = null;
    try {
      nseTrading = reference.isTradingDay(date);
    } catch (error) {
      if (!(error instanceof CalendarRangeError)) throw error;
    }
    if (nseTrading === false && has) {
      const name = reference.holidayName(date);
      holidayOnNse.push(name === null ? `${date} (${day})` : `${date} (${name})`);
    } else if (nseTrading === true && !has) {
      missing.push(date);
    }
  }
  const regimes = [
    {
      id: 'backtest-equity',
      segments: ['equity', 'equity-cas'],
      from: `${firstYear}-01-01`,
      until: null,
      confirmed: true,
      sources: ['regular NSE equity timings'],
      phases: EQUITY_PHASES,
    },
    {
      id: 'backtest-fno',
      segments: ['fno'],
      from: `${firstYear}-01-01`,
      until: null,
      confirmed: true,
      sources: ['regular NSE F&O timings'],
      phases: [{ phase: 'continuous', start: '09:15', end: '15:30' }],
    },
  ];
  const calendar = new NseCalendar(
    {},
    {
      years,
      specialSessions,
      sessionRegimes: regimes,
      expiryRules: [
        {
          from: `${firstYear}-01-01`,
          weekday: 'Thu',
          confirmed: false,
          sources: ['backtest default'],
          note: 'expiry rules are not modelled by the bar backtester',
        },
      ],
    },
  );
  const warnings: string[] = [];
  const listed = (dates: readonly string[]): string =>
    dates.slice(0, maxListed).join(', ') +
    (dates.length > maxListed ? ` and ${dates.length - maxListed} more` : '');
  if (holidayOnNse.length > 0) {
    warnings.push(
      `${holidayOnNse.length} day(s) with bars are NSE holidays or weekends by the NSE calendar; the bars are kept (the data is the authority): ${listed(holidayOnNse)}`,
    );
  }
  if (missing.length > 0) {
    warnings.push(
      `${missing.length} NSE trading day(s) inside the data's range have no bars (treated as holidays): ${listed(missing)}`,
    );
  }
  return { calendar, days, warnings };
}
