// The NSE trading calendar in IST: trading days, holidays, special sessions, settlement holidays, dated session
// regimes and expiry days. Facts and their circulars: shared/docs/market-rules.md §3, §4.6, §6, transcribed in
// nse-calendar.json. Unconfirmed there (and flagged `confirmed: false` in results): non-CAS equity timings from
// 3 Aug 2026, Thursday expiries before 1 Sep 2025; the 8 Nov 2026 Muhurat timings are unknown (phase `unknown`).
import { CalendarDataError, CalendarRangeError } from './calendar-errors.ts';
import type {
  CalendarData,
  CalendarOverrides,
  ExpiryRule,
  HolidayEntry,
  MarketPhase,
  PhaseWindow,
  Segment,
  SessionRegime,
  SpecialSession,
  SubPhase,
} from './calendar-types.ts';
import { SEGMENTS } from './calendar-types.ts';
import { monthlyExpiryOf, weeklyExpiryOnOrAfter } from './expiry-dates.ts';
import type { ExpiryDate } from './expiry-dates.ts';
import { addDays, dayNumber, isWeekend, weekdayOf } from './iso-date.ts';
import type { Weekday } from './iso-date.ts';
import { istDate, istMillisOfDay, parseTimeOfDay } from './ist.ts';
import { NSE_CALENDAR_JSON } from './nse-calendar-data.ts';
import { parseCalendarData, parseCalendarOverrides } from './parse-calendar-data.ts';

/** The phases of one segment on one day, with where they come from. */
export interface SegmentSchedule {
  /** The session regime id or special session name the phases come from; null on a non-trading day. */
  readonly source: string | null;
  /** False when the timings are marked unconfirmed in the calendar data. */
  readonly confirmed: boolean;
  /** Phase windows in time order (IST, start inclusive, end exclusive); empty on a non-trading day. */
  readonly phases: readonly PhaseWindow[];
}

/** Everything the calendar knows about one IST date; plain JSON-serialisable data (the `kitepilot calendar --json` shape). */
export interface DayInfo {
  readonly date: string;
  readonly weekday: Weekday;
  readonly tradingDay: boolean;
  /** The weekday trading holiday's name (also on a holiday with a Muhurat session); null on weekends and working days. */
  readonly holiday: string | null;
  readonly weekend: boolean;
  /** A holiday that falls on this Saturday or Sunday, for information only. */
  readonly weekendHoliday: string | null;
  readonly special: { readonly name: string; readonly note: string | null } | null;
  /** True when no settlement happens: weekends, trading holidays and settlement-only holidays. */
  readonly settlementHoliday: boolean;
  /** Phases per segment; null on a trading day whose timings are not yet notified. */
  readonly sessions: Readonly<Record<Segment, SegmentSchedule>> | null;
}

/** The market phase of a segment at an instant. */
export interface PhaseAt {
  readonly date: string;
  readonly segment: Segment;
  readonly phase: MarketPhase;
  readonly subPhase: SubPhase | null;
  /** True when the phase applies to futures only (F&O pre-open); options are closed then. */
  readonly futuresOnly: boolean;
  /** The current window's IST start and end (`HH:MM`); null when closed or unknown. */
  readonly start: string | null;
  readonly end: string | null;
  /** False when the timings are marked unconfirmed in the calendar data. */
  readonly confirmed: boolean;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The NSE trading calendar built from validated data plus overrides; every answer is in IST calendar dates. */
export class NseCalendar {
  /** The years with a published holiday list, ascending; dates in other years throw CalendarRangeError. */
  readonly coveredYears: readonly number[];
  private readonly years: ReadonlySet<number>;
  private readonly holidays = new Map<string, HolidayEntry>();
  private readonly weekendHolidays = new Map<string, HolidayEntry>();
  private readonly settlementHolidays = new Map<string, HolidayEntry>();
  private readonly specialSessions = new Map<string, SpecialSession>();
  private readonly regimes: readonly SessionRegime[];
  private readonly expiryRules: readonly ExpiryRule[];
  private readonly dayCache = new Map<string, DayInfo>();
  private readonly windowBounds = new WeakMap<PhaseWindow, readonly [number, number]>();

  /**
   * Builds the calendar from configuration overrides and calendar JSON (default: the bundled nse-calendar.json);
   * throws a CalendarDataError naming the entry when either is invalid.
   */
  constructor(overrides: CalendarOverrides = {}, data: unknown = NSE_CALENDAR_JSON) {
    const calendarData: CalendarData = parseCalendarData(data);
    const parsedOverrides = parseCalendarOverrides(overrides);
    this.coveredYears = calendarData.years.map((y) => y.year).sort((a, b) => a - b);
    this.years = new Set(this.coveredYears);
    this.regimes = calendarData.sessionRegimes;
    this.expiryRules = calendarData.expiryRules;
    for (const year of calendarData.years) {
      for (const h of year.holidays) this.holidays.set(h.date, h);
      for (const h of year.weekendHolidays) this.weekendHolidays.set(h.date, h);
      for (const h of year.settlementHolidays) this.settlementHolidays.set(h.date, h);
    }
    for (const s of calendarData.specialSessions) this.specialSessions.set(s.date, s);
    this.applyOverrides(parsedOverrides);
    this.checkEveryTradingDayHasTimings();
  }

  private applyOverrides(overrides: ReturnType<typeof parseCalendarOverrides>): void {
    overrides.removeHolidays.forEach((date, i) => {
      if (!this.holidays.delete(date)) {
        throw new CalendarDataError(
          `overrides.removeHolidays[${i}] (${date})`,
          `${date} is not a holiday in the calendar data`,
        );
      }
    });
    const overriddenSessions = new Set(overrides.specialSessions.map((s) => s.date));
    overrides.holidays.forEach((holiday, i) => {
      const path = `overrides.holidays[${i}] (${holiday.date})`;
      this.requireCoveredYear(holiday.date, path);
      if (overriddenSessions.has(holiday.date)) {
        throw new CalendarDataError(
          path,
          `${holiday.date} is both an override holiday and an override special session`,
        );
      }
      if (isWeekend(holiday.date) && !this.specialSessions.has(holiday.date)) {
        throw new CalendarDataError(
          path,
          `${holiday.date} is a ${weekdayOf(holiday.date)} and not a trading day anyway`,
        );
      }
      // An override holiday wins over the data: it also cancels a special session scheduled that day.
      this.specialSessions.delete(holiday.date);
      if (!isWeekend(holiday.date)) this.holidays.set(holiday.date, holiday);
    });
    overrides.specialSessions.forEach((session, i) => {
      this.requireCoveredYear(session.date, `overrides.specialSessions[${i}] (${session.date})`);
      this.specialSessions.set(session.date, session);
    });
  }

  private requireCoveredYear(date: string, path: string): void {
    if (!this.years.has(Number(date.slice(0, 4)))) {
      throw new CalendarDataError(
        path,
        `${date} is outside the calendar years ${this.coveredYears.join(', ')}`,
      );
    }
  }

  private checkEveryTradingDayHasTimings(): void {
    const first = `${String(this.coveredYears[0]).padStart(4, '0')}-01-01`;
    const last = `${String(this.coveredYears[this.coveredYears.length - 1]).padStart(4, '0')}-12-31`;
    for (let date = first; date <= last; date = addDays(date, 1)) {
      if (!this.years.has(Number(date.slice(0, 4))) || !this.isTradingDay(date)) continue;
      const special = this.specialSessions.get(date);
      if (special !== undefined && special.sessions !== 'regular') continue;
      for (const segment of SEGMENTS) {
        if (this.regimeOn(date, segment) === undefined) {
          throw new CalendarDataError(
            'sessionRegimes',
            `no ${segment} regime covers trading day ${date}${special ? ` (special session ${special.name})` : ''}`,
          );
        }
      }
    }
  }

  private regimeOn(date: string, segment: Segment): SessionRegime | undefined {
    return this.regimes.find(
      (r) => r.segments.includes(segment) && r.from <= date && (r.until === null || date <= r.until),
    );
  }

  private covered(date: string): string {
    dayNumber(date); // throws a RangeError naming a malformed date
    if (!this.years.has(Number(date.slice(0, 4)))) throw new CalendarRangeError(date, this.coveredYears);
    return date;
  }

  /** Returns true when NSE trades on the date: a weekday that is not a holiday, or any day with a special session. */
  isTradingDay(date: string): boolean {
    this.covered(date);
    if (this.specialSessions.has(date)) return true;
    return !isWeekend(date) && !this.holidays.has(date);
  }

  /** Returns the name of the weekday trading holiday on the date, or null (always null on weekends). */
  holidayName(date: string): string | null {
    this.covered(date);
    return this.holidays.get(date)?.name ?? null;
  }

  /** Returns true when settlement (pay-in/pay-out) happens on the date: a weekday that is neither a trading nor a settlement holiday. */
  isSettlementDay(date: string): boolean {
    this.covered(date);
    return !isWeekend(date) && !this.holidays.has(date) && !this.settlementHolidays.has(date);
  }

  /** Returns everything the calendar knows about the date, as plain JSON-serialisable data. */
  dayInfo(date: string): DayInfo {
    const cached = this.dayCache.get(this.covered(date));
    if (cached !== undefined) return cached;
    const special = this.specialSessions.get(date);
    const tradingDay = this.isTradingDay(date);
    const info: DayInfo = {
      date,
      weekday: weekdayOf(date),
      tradingDay,
      holiday: this.holidayName(date),
      weekend: isWeekend(date),
      weekendHoliday: this.weekendHolidays.get(date)?.name ?? null,
      special: special === undefined ? null : { name: special.name, note: special.note },
      settlementHoliday: !this.isSettlementDay(date),
      sessions: this.sessionsOn(date, tradingDay, special),
    };
    this.dayCache.set(date, deepFreeze(info));
    return info;
  }

  private sessionsOn(
    date: string,
    tradingDay: boolean,
    special: SpecialSession | undefined,
  ): Record<Segment, SegmentSchedule> | null {
    const timings = special === undefined ? 'regular' : special.sessions;
    if (timings === null) return null;
    const result = {} as Record<Segment, SegmentSchedule>;
    for (const segment of SEGMENTS) {
      if (!tradingDay) {
        result[segment] = { source: null, confirmed: true, phases: [] };
      } else if (special !== undefined && timings !== 'regular') {
        result[segment] = {
          source: special.name,
          confirmed: special.confirmed,
          phases: timings[segment],
        };
      } else {
        // Checked at construction: every trading day on regular timings has a regime per segment.
        const regime = this.regimeOn(date, segment) as SessionRegime;
        const confirmed = regime.confirmed && (special?.confirmed ?? true);
        result[segment] = { source: regime.id, confirmed, phases: regime.phases };
      }
    }
    return result;
  }

  /** Returns the market phase of a segment at an instant (epoch milliseconds), using the regime of that IST date. */
  phaseAt(epochMs: number, segment: Segment): PhaseAt {
    if (!(SEGMENTS as readonly string[]).includes(segment)) {
      throw new RangeError(`segment ${JSON.stringify(segment)} is not one of ${SEGMENTS.join(', ')}`);
    }
    const date = istDate(epochMs);
    const info = this.dayInfo(date);
    const closed = { date, segment, subPhase: null, futuresOnly: false, start: null, end: null };
    if (info.sessions === null) return { ...closed, phase: 'unknown', confirmed: false };
    const schedule = info.sessions[segment];
    const now = istMillisOfDay(epochMs);
    const window = schedule.phases.find((w) => {
      const [start, end] = this.boundsOf(w);
      return start <= now && now < end;
    });
    if (window === undefined) return { ...closed, phase: 'closed', confirmed: schedule.confirmed };
    return {
      date,
      segment,
      phase: window.phase,
      subPhase: window.subPhase,
      futuresOnly: window.futuresOnly,
      start: window.start,
      end: window.end,
      confirmed: schedule.confirmed,
    };
  }

  private boundsOf(window: PhaseWindow): readonly [number, number] {
    let bounds = this.windowBounds.get(window);
    if (bounds === undefined) {
      bounds = [parseTimeOfDay(window.start), parseTimeOfDay(window.end)];
      this.windowBounds.set(window, bounds);
    }
    return bounds;
  }

  /** Returns the first trading day strictly after the date. */
  nextTradingDay(date: string): string {
    let day = addDays(date, 1);
    while (!this.isTradingDay(day)) day = addDays(day, 1);
    return day;
  }

  /** Returns the last trading day strictly before the date. */
  previousTradingDay(date: string): string {
    let day = addDays(date, -1);
    while (!this.isTradingDay(day)) day = addDays(day, -1);
    return day;
  }

  /** Returns the trading days from `from` to `to`, both inclusive, in order (its length is the count). */
  tradingDaysBetween(from: string, to: string): string[] {
    if (dayNumber(to) < dayNumber(from))
      throw new RangeError(`tradingDaysBetween: to ${to} is before from ${from}`);
    const days: string[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      if (this.isTradingDay(day)) days.push(day);
    }
    return days;
  }

  /**
   * Answers whether an expiry can fall on the date: a weekday that is not a holiday. A holiday with a Muhurat
   * session does not count (the NIFTY weekly of Tue 21 Oct 2025 expired on Mon 20 Oct).
   */
  private isExpiryDay(date: string): boolean {
    this.covered(date);
    return !isWeekend(date) && !this.holidays.has(date);
  }

  /** Returns the NIFTY weekly expiry on or after the date (Tuesday from 1 Sep 2025, Thursday before — unconfirmed). */
  niftyWeeklyExpiry(date: string): ExpiryDate {
    this.covered(date);
    return weeklyExpiryOnOrAfter(date, this.expiryRules, (d) => this.isExpiryDay(d));
  }

  /** Returns the NSE index monthly expiry of a month, 1 = January (last Tuesday from Sep 2025, last Thursday before). */
  monthlyExpiry(year: number, month: number): ExpiryDate {
    return monthlyExpiryOf(year, month, this.expiryRules, (d) => this.isExpiryDay(d));
  }
}
