// Trading sessions for bar building: the window of each IST day inside which empty intervals get flat bars
// (BarAggregator with emptyBars 'flat') and whose first minute decides the day's volume baseline.
// NseSessionSchedule reads the NSE calendar (market-rules.md §3): the session runs from the start of the
// continuous phase to the end of the continuous phase or closing auction, whichever is later.
import {
  CalendarRangeError,
  IST_OFFSET_MS,
  istDate,
  istToEpochMs,
  type NseCalendar,
  type Segment,
} from '@kitepilot/core';

const DAY_MS = 86_400_000;

/** One day's trading session, epoch ms, open inclusive and close exclusive. */
export interface SessionWindow {
  readonly openMs: number;
  readonly closeMs: number;
}

/** Tells which IST days trade and when. */
export interface SessionSchedule {
  /** Returns the session of the IST day that contains `epochMs`, or null when that day has none (or none known). */
  sessionOf(epochMs: number): SessionWindow | null;
}

/** Returns the IST day number (days since 1970-01-01 IST) of an instant. */
export function istDayNumber(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/** Returns the epoch ms of 00:00 IST of an IST day number. */
export function istDayStartMs(day: number): number {
  return day * DAY_MS - IST_OFFSET_MS;
}

/** The NSE session of each day from the NSE calendar; days outside the calendar's years have no known session. */
export class NseSessionSchedule implements SessionSchedule {
  private readonly calendar: NseCalendar;
  private readonly segment: Segment;
  private readonly cache = new Map<number, SessionWindow | null>();

  /** Reads sessions of `segment` (default cash equity) from `calendar`. */
  constructor(calendar: NseCalendar, segment: Segment = 'equity') {
    this.calendar = calendar;
    this.segment = segment;
  }

  /** Returns the session of the IST day containing `epochMs`: continuous-phase start to the last continuous or closing-auction end. */
  sessionOf(epochMs: number): SessionWindow | null {
    const day = istDayNumber(epochMs);
    const cached = this.cache.get(day);
    if (cached !== undefined) return cached;
    const window = this.load(istDate(epochMs));
    this.cache.set(day, window);
    return window;
  }

  private load(date: string): SessionWindow | null {
    let info;
    try {
      info = this.calendar.dayInfo(date);
    } catch (error) {
      // A year the calendar does not cover has no known session: no flat bars rather than invented ones.
      if (error instanceof CalendarRangeError) return null;
      throw error;
    }
    if (!info.tradingDay || info.sessions === null) return null;
    let open: string | null = null;
    let close: string | null = null;
    for (const w of info.sessions[this.segment].phases) {
      if (w.phase === 'continuous' && (open === null || w.start < open)) open = w.start;
      if ((w.phase === 'continuous' || w.phase === 'closing-auction') && (close === null || w.end > close)) {
        close = w.end;
      }
    }
    if (open === null || close === null) return null;
    return { openMs: istToEpochMs(date, open), closeMs: istToEpochMs(date, close) };
  }
}

/** The same session on every IST day (the Kite simulator trades every day 09:15–15:30); for tests and the demo. */
export class DailySessionSchedule implements SessionSchedule {
  private readonly openOffsetMs: number;
  private readonly closeOffsetMs: number;

  /** Opens at `openMs` and closes at `closeMs` after IST midnight every day (defaults 09:15 and 15:30). */
  constructor(openMs = 33_300_000, closeMs = 55_800_000) {
    if (!(Number.isSafeInteger(openMs) && Number.isSafeInteger(closeMs) && 0 <= openMs && openMs < closeMs)) {
      throw new RangeError(`session offsets ${openMs}..${closeMs} ms must satisfy 0 ≤ open < close`);
    }
    if (closeMs > DAY_MS)
      throw new RangeError(`session close offset ${closeMs} ms is past the end of the day`);
    this.openOffsetMs = openMs;
    this.closeOffsetMs = closeMs;
  }

  /** Returns the fixed session of the IST day containing `epochMs`. */
  sessionOf(epochMs: number): SessionWindow {
    const start = istDayStartMs(istDayNumber(epochMs));
    return { openMs: start + this.openOffsetMs, closeMs: start + this.closeOffsetMs };
  }
}
