// Series derived from the closing equity of each trading day: daily returns, the drawdown path and the
// monthly and yearly returns. A return is null when the equity it is measured against is not positive (an
// account at or below zero has no defined return), so no NaN or Infinity ever leaves this file.
import type { DailyEquity, MetricsInput } from '../backtest/backtest-result.ts';

/** The return of one trading day, close-to-close (the first day against the starting cash), in percent. */
export interface DailyReturn {
  readonly date: string;
  /** Percent (1.5 = 1.5 %); null when the previous equity was zero or negative. */
  readonly returnPct: number | null;
}

/** The equity of one trading day, the running peak (starting cash included) and the fall from that peak. */
export interface DrawdownPoint {
  readonly date: string;
  readonly equityPaise: number;
  readonly peakPaise: number;
  /** peakPaise − equityPaise, never negative. */
  readonly drawdownPaise: number;
  /** drawdownPaise / peakPaise in percent; above 100 only when the equity fell below zero. */
  readonly drawdownPct: number;
}

/** The return of one calendar month (IST), month-end equity over the previous month-end. */
export interface MonthlyReturn {
  /** `YYYY-MM`. */
  readonly month: string;
  /** Percent; null when the previous month-end equity was zero or negative. */
  readonly returnPct: number | null;
}

/** The return of one calendar year (IST), year-end equity over the previous year-end. */
export interface YearlyReturn {
  /** `YYYY`. */
  readonly year: string;
  /** Percent; null when the previous year-end equity was zero or negative. */
  readonly returnPct: number | null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Throws a RangeError unless the starting cash is a positive safe integer and every daily equity is a safe
 * integer on a valid `YYYY-MM-DD` date strictly after the previous one.
 */
export function assertDailyEquity(daily: readonly DailyEquity[], startingCashPaise: number): void {
  if (!Number.isSafeInteger(startingCashPaise) || startingCashPaise <= 0) {
    throw new RangeError(`starting cash ${startingCashPaise} paise is not a positive safe integer`);
  }
  let previous = '';
  for (const [index, day] of daily.entries()) {
    const match = ISO_DATE.exec(day.date);
    const month = Number(match?.[2]);
    const dayOfMonth = Number(match?.[3]);
    if (match === null || month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) {
      throw new RangeError(`daily[${index}].date ${JSON.stringify(day.date)} is not a YYYY-MM-DD date`);
    }
    if (day.date <= previous) {
      throw new RangeError(`daily[${index}].date ${day.date} is not after the previous date ${previous}`);
    }
    if (!Number.isSafeInteger(day.equityPaise)) {
      throw new RangeError(
        `daily[${index}].equityPaise ${day.equityPaise} on ${day.date} is not a safe integer`,
      );
    }
    previous = day.date;
  }
}

/** Returns current / previous − 1 in percent, or null when previous is not positive. */
function returnPct(currentPaise: number, previousPaise: number): number | null {
  if (previousPaise <= 0) return null;
  return ((currentPaise - previousPaise) / previousPaise) * 100;
}

/** Returns the close-to-close return of every trading day, the first against the starting cash. */
export function dailyReturns(input: Pick<MetricsInput, 'startingCashPaise' | 'daily'>): DailyReturn[] {
  assertDailyEquity(input.daily, input.startingCashPaise);
  let previous = input.startingCashPaise;
  return input.daily.map((day) => {
    const result = { date: day.date, returnPct: returnPct(day.equityPaise, previous) };
    previous = day.equityPaise;
    return result;
  });
}

/** Returns, for every trading day, the equity, the running peak (starting cash included) and the drawdown. */
export function drawdownSeries(daily: readonly DailyEquity[], startingCashPaise: number): DrawdownPoint[] {
  assertDailyEquity(daily, startingCashPaise);
  let peak = startingCashPaise;
  return daily.map((day) => {
    peak = Math.max(peak, day.equityPaise);
    const drawdownPaise = peak - day.equityPaise;
    // peak ≥ starting cash > 0, so the division is defined.
    return {
      date: day.date,
      equityPaise: day.equityPaise,
      peakPaise: peak,
      drawdownPaise,
      drawdownPct: (drawdownPaise / peak) * 100,
    };
  });
}

/** Returns the closing equity of the last trading day of each period, keyed by `date.slice(0, keyLength)`. */
function periodEnds(
  daily: readonly DailyEquity[],
  keyLength: number,
): { key: string; equityPaise: number }[] {
  const ends: { key: string; equityPaise: number }[] = [];
  for (const day of daily) {
    const key = day.date.slice(0, keyLength);
    const last = ends.at(-1);
    if (last !== undefined && last.key === key) last.equityPaise = day.equityPaise;
    else ends.push({ key, equityPaise: day.equityPaise });
  }
  return ends;
}

function periodReturns(
  daily: readonly DailyEquity[],
  startingCashPaise: number,
  keyLength: number,
): { key: string; returnPct: number | null }[] {
  assertDailyEquity(daily, startingCashPaise);
  let previous = startingCashPaise;
  return periodEnds(daily, keyLength).map((end) => {
    const result = { key: end.key, returnPct: returnPct(end.equityPaise, previous) };
    previous = end.equityPaise;
    return result;
  });
}

/** Returns each month's return: month-end equity over the previous month-end, the first against starting cash. */
export function monthlyReturns(daily: readonly DailyEquity[], startingCashPaise: number): MonthlyReturn[] {
  return periodReturns(daily, startingCashPaise, 7).map((r) => ({ month: r.key, returnPct: r.returnPct }));
}

/** Returns each year's return: year-end equity over the previous year-end, the first against starting cash. */
export function yearlyReturns(daily: readonly DailyEquity[], startingCashPaise: number): YearlyReturn[] {
  return periodReturns(daily, startingCashPaise, 4).map((r) => ({ year: r.key, returnPct: r.returnPct }));
}
