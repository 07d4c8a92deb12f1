// Shapes of the NSE calendar: the validated contents of nse-calendar.json (or an equivalent object) and the
// override entries that configuration may add on top. Facts come from shared/docs/market-rules.md §3, §4.6, §6.
import type { Weekday } from './iso-date.ts';

/** Market segments with their own session timings: cash equity (non-CAS stocks, and all stocks before 3 Aug 2026), CAS stocks, equity F&O. */
export const SEGMENTS = ['equity', 'equity-cas', 'fno'] as const;

/** A market segment with its own session timings. */
export type Segment = (typeof SEGMENTS)[number];

/** Named trading phases that the calendar data can schedule. */
export const SESSION_PHASES = [
  'pre-open',
  'pre-open-matching',
  'pre-open-buffer',
  'continuous',
  'closing-auction',
  'closing',
  'post-close',
] as const;

/** A named trading phase that the calendar data can schedule. */
export type SessionPhase = (typeof SESSION_PHASES)[number];

/**
 * The market phase at an instant: a scheduled phase, `closed`, or `unknown` on a trading day whose timings are
 * not yet notified (e.g. the Muhurat session of 8 Nov 2026) — callers must treat `unknown` as neither open nor closed.
 */
export type MarketPhase = SessionPhase | 'closed' | 'unknown';

/** Sub-phases of the pre-open (from 7 Sep 2026) and of the closing auction (from 3 Aug 2026). */
export const SUB_PHASES = ['order-entry', 'limit-only', 'reference-price', 'matching'] as const;

/** A sub-phase of the pre-open or of the closing auction. */
export type SubPhase = (typeof SUB_PHASES)[number];

/** One scheduled phase window of a day, IST wall times `HH:MM`, start inclusive and end exclusive. */
export interface PhaseWindow {
  readonly phase: SessionPhase;
  readonly subPhase: SubPhase | null;
  readonly start: string;
  readonly end: string;
  /** True when the window applies to futures only (F&O pre-open since 8 Dec 2025, market-rules.md §3.2). */
  readonly futuresOnly: boolean;
}

/** Phase windows per segment, used by special sessions with their own timings. */
export type SegmentPhases = Readonly<Record<Segment, readonly PhaseWindow[]>>;

/** A dated trading holiday (or an informational weekend holiday, or a settlement-only holiday). */
export interface HolidayEntry {
  readonly date: string;
  readonly name: string;
  readonly circular: string | null;
  readonly note: string | null;
}

/** The holidays NSE published for one calendar year; a year present here is a year the calendar covers. */
export interface CalendarYear {
  readonly year: number;
  readonly source: string;
  /** Weekday trading holidays (equity, equity derivatives, SLB). */
  readonly holidays: readonly HolidayEntry[];
  /** Holidays that fall on a Saturday or Sunday, kept for information only. */
  readonly weekendHolidays: readonly HolidayEntry[];
  /** Days with trading but no settlement (pay-in/pay-out). */
  readonly settlementHolidays: readonly HolidayEntry[];
}

/**
 * Timings of a special session: `regular` uses the session regime in force that day, an object gives the phases
 * per segment, and `null` means a trading day whose timings are not yet notified.
 */
export type SpecialSessionTimings = 'regular' | SegmentPhases | null;

/** A trading session on a weekend or holiday (Budget day, Muhurat), or special timings on any day. */
export interface SpecialSession {
  readonly date: string;
  readonly name: string;
  readonly note: string | null;
  readonly circular: string | null;
  readonly confirmed: boolean;
  readonly sessions: SpecialSessionTimings;
}

/** The phase schedule of one or more segments over an inclusive date range. */
export interface SessionRegime {
  readonly id: string;
  readonly segments: readonly Segment[];
  readonly from: string;
  /** Last day of the regime (inclusive), or null while it is open-ended. */
  readonly until: string | null;
  readonly confirmed: boolean;
  readonly sources: readonly string[];
  readonly note: string | null;
  readonly phases: readonly PhaseWindow[];
}

/** The weekday on which NSE equity-derivative expiries (NIFTY weekly, monthlies) fall over a date range. */
export interface ExpiryRule {
  readonly from: string;
  readonly until: string | null;
  readonly weekday: Weekday;
  readonly confirmed: boolean;
  readonly sources: readonly string[];
  readonly note: string | null;
}

/** The validated NSE calendar data. */
export interface CalendarData {
  readonly years: readonly CalendarYear[];
  readonly specialSessions: readonly SpecialSession[];
  readonly sessionRegimes: readonly SessionRegime[];
  readonly expiryRules: readonly ExpiryRule[];
}

/** A phase window as written in JSON data or configuration overrides. */
export interface PhaseWindowInput {
  readonly phase: string;
  readonly subPhase?: string;
  readonly start: string;
  readonly end: string;
  readonly futuresOnly?: boolean;
}

/** A special session as written in configuration overrides. */
export interface SpecialSessionInput {
  readonly date: string;
  readonly name: string;
  readonly note?: string;
  readonly circular?: string;
  readonly confirmed?: boolean;
  readonly sessions: 'regular' | Readonly<Record<Segment, readonly PhaseWindowInput[]>> | null;
}

/** Configuration overrides applied on top of the calendar data; an override wins over the data it contradicts. */
export interface CalendarOverrides {
  /** Extra weekday trading holidays (e.g. an election day notified at short notice); replaces a data entry of the same date. */
  readonly holidays?: readonly { readonly date: string; readonly name: string }[];
  /** Extra or replacing special sessions (e.g. the timings of a Muhurat session once notified). */
  readonly specialSessions?: readonly SpecialSessionInput[];
  /** Dates of data holidays to drop (a holiday withdrawn by circular). */
  readonly removeHolidays?: readonly string[];
}
