// Validation of the NSE calendar data (nse-calendar.json) and of configuration overrides. Every problem throws a
// CalendarDataError that names the entry and the offending value, so a bad circular transcription fails at load.
import { CalendarDataError } from './calendar-errors.ts';
import type {
  CalendarData,
  CalendarOverrides,
  CalendarYear,
  ExpiryRule,
  HolidayEntry,
  PhaseWindow,
  SegmentPhases,
  SessionPhase,
  SessionRegime,
  Segment,
  SpecialSession,
  SpecialSessionTimings,
  SubPhase,
} from './calendar-types.ts';
import { SEGMENTS, SESSION_PHASES, SUB_PHASES } from './calendar-types.ts';
import { isIsoDate, isWeekend, WEEKDAYS, weekdayOf } from './iso-date.ts';
import type { Weekday } from './iso-date.ts';

type Json = Readonly<Record<string, unknown>>;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Phases that may carry a sub-phase (market-rules.md §3.1 closing auction, §3.3 pre-open from 7 Sep 2026). */
const PHASES_WITH_SUB_PHASES: readonly SessionPhase[] = ['pre-open', 'closing-auction'];

function fail(path: string, message: string): never {
  throw new CalendarDataError(path, message);
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${JSON.stringify(value)}`);
  }
  for (const key of Object.keys(value)) {
    // "$comment" and "notes" carry documentation anywhere in the file.
    if (!allowed.includes(key) && key !== '$comment' && key !== 'notes') {
      fail(path, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
  return value as Json;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${JSON.stringify(value)}`);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(path, `expected a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalText(value: unknown, path: string): string | null {
  return value === undefined || value === null ? null : text(value, path);
}

function flag(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

function date(value: unknown, path: string): string {
  if (!isIsoDate(value)) fail(path, `date ${JSON.stringify(value)} is not a valid YYYY-MM-DD calendar date`);
  return value;
}

function time(value: unknown, path: string): string {
  if (typeof value !== 'string' || !HH_MM.test(value)) {
    fail(path, `time ${JSON.stringify(value)} is not a valid HH:MM time of day`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function texts(value: unknown, path: string): readonly string[] {
  return array(value, path).map((item, i) => text(item, `${path}[${i}]`));
}

function dateRange(raw: Json, path: string): { from: string; until: string | null } {
  const from = date(raw['from'], `${path}.from`);
  const until =
    raw['until'] === undefined || raw['until'] === null ? null : date(raw['until'], `${path}.until`);
  if (until !== null && until < from) fail(path, `until ${until} is before from ${from}`);
  return { from, until };
}

function rangesOverlap(a: { from: string; until: string | null }, b: { from: string; until: string | null }) {
  return (a.until === null || b.from <= a.until) && (b.until === null || a.from <= b.until);
}

/** Returns validated phase windows: each ends after it starts, and windows are in time order without overlap. */
export function parsePhases(value: unknown, path: string): readonly PhaseWindow[] {
  const phases = array(value, path).map((item, i): PhaseWindow => {
    const at = `${path}[${i}]`;
    const raw = object(item, at, ['phase', 'subPhase', 'start', 'end', 'futuresOnly']);
    const phase = oneOf(raw['phase'], SESSION_PHASES, `${at}.phase`);
    const subPhase =
      raw['subPhase'] === undefined || raw['subPhase'] === null
        ? null
        : oneOf<SubPhase>(raw['subPhase'], SUB_PHASES, `${at}.subPhase`);
    if (subPhase !== null && !PHASES_WITH_SUB_PHASES.includes(phase)) {
      fail(
        at,
        `phase ${phase} cannot have a sub-phase (${subPhase}); only ${PHASES_WITH_SUB_PHASES.join(', ')} can`,
      );
    }
    const start = time(raw['start'], `${at}.start`);
    const end = time(raw['end'], `${at}.end`);
    if (end <= start) fail(at, `${phase} end ${end} is not after its start ${start}`);
    return { phase, subPhase, start, end, futuresOnly: flag(raw['futuresOnly'], `${at}.futuresOnly`, false) };
  });
  for (let i = 1; i < phases.length; i += 1) {
    const previous = phases[i - 1] as PhaseWindow;
    const current = phases[i] as PhaseWindow;
    if (current.start < previous.end) {
      fail(
        `${path}[${i}]`,
        `${current.phase} starting ${current.start} overlaps or precedes ${previous.phase} ending ${previous.end}`,
      );
    }
  }
  return phases;
}

function parseSegmentPhases(value: unknown, path: string): SegmentPhases {
  const raw = object(value, path, SEGMENTS);
  const result = {} as Record<Segment, readonly PhaseWindow[]>;
  for (const segment of SEGMENTS) {
    if (raw[segment] === undefined) fail(path, `missing phases for segment ${segment}`);
    result[segment] = parsePhases(raw[segment], `${path}.${segment}`);
  }
  return result;
}

function parseHoliday(value: unknown, path: string): HolidayEntry & { readonly day: Weekday | null } {
  const raw = object(value, path, ['date', 'day', 'name', 'circular', 'note']);
  const at = isIsoDate(raw['date']) ? `${path} (${raw['date']})` : path;
  const holidayDate = date(raw['date'], `${at}.date`);
  const day = raw['day'] === undefined ? null : oneOf<Weekday>(raw['day'], WEEKDAYS, `${at}.day`);
  // The day name copied from a circular cross-checks the date against typos.
  if (day !== null && day !== weekdayOf(holidayDate)) {
    fail(at, `${holidayDate} is a ${weekdayOf(holidayDate)}, not a ${day}`);
  }
  return {
    date: holidayDate,
    day,
    name: text(raw['name'], `${at}.name`),
    circular: optionalText(raw['circular'], `${at}.circular`),
    note: optionalText(raw['note'], `${at}.note`),
  };
}

/** Returns a validated special session (from the data file or an override). */
export function parseSpecialSession(value: unknown, path: string): SpecialSession {
  const raw = object(value, path, ['date', 'day', 'name', 'note', 'circular', 'confirmed', 'sessions']);
  const at = isIsoDate(raw['date']) ? `${path} (${raw['date']})` : path;
  const sessionDate = date(raw['date'], `${at}.date`);
  if (raw['day'] !== undefined && oneOf(raw['day'], WEEKDAYS, `${at}.day`) !== weekdayOf(sessionDate)) {
    fail(at, `${sessionDate} is a ${weekdayOf(sessionDate)}, not a ${String(raw['day'])}`);
  }
  if (!('sessions' in raw))
    fail(at, 'missing "sessions" ("regular", null for timings not yet notified, or phases)');
  const sessions: SpecialSessionTimings =
    raw['sessions'] === null
      ? null
      : raw['sessions'] === 'regular'
        ? 'regular'
        : parseSegmentPhases(raw['sessions'], `${at}.sessions`);
  return {
    date: sessionDate,
    name: text(raw['name'], `${at}.name`),
    note: optionalText(raw['note'], `${at}.note`),
    circular: optionalText(raw['circular'], `${at}.circular`),
    confirmed: flag(raw['confirmed'], `${at}.confirmed`, true),
    sessions,
  };
}

function parseYear(key: string, value: unknown, seen: Map<string, string>): CalendarYear {
  const path = `years.${key}`;
  if (!/^\d{4}$/.test(key)) fail(path, `year key ${JSON.stringify(key)} is not a four-digit year`);
  const raw = object(value, path, [
    'source',
    'circular',
    'holidays',
    'weekendHolidays',
    'settlementHolidays',
  ]);
  const list = (field: 'holidays' | 'weekendHolidays' | 'settlementHolidays'): HolidayEntry[] =>
    array(raw[field], `${path}.${field}`).map((item, i) => {
      const entryPath = `${path}.${field}[${i}]`;
      const { day: _day, ...entry } = parseHoliday(item, entryPath);
      if (entry.date.slice(0, 4) !== key) fail(entryPath, `date ${entry.date} is not in year ${key}`);
      const weekend = isWeekend(entry.date);
      if (field === 'weekendHolidays' && !weekend) {
        fail(
          entryPath,
          `${entry.date} is a ${weekdayOf(entry.date)}; list it under holidays, not weekendHolidays`,
        );
      }
      if (field !== 'weekendHolidays' && weekend) {
        fail(
          entryPath,
          `${entry.date} is a ${weekdayOf(entry.date)}; weekend holidays go under weekendHolidays`,
        );
      }
      const seenKey = `${field === 'settlementHolidays' ? 'settlement' : 'holiday'}:${entry.date}`;
      const earlier = seen.get(seenKey);
      if (earlier !== undefined)
        fail(entryPath, `duplicate date ${entry.date}, already listed at ${earlier}`);
      seen.set(seenKey, entryPath);
      // A year-level circular applies to entries that do not name one; an explicit null keeps "none given".
      const inherits = (item as Json)['circular'] === undefined && typeof raw['circular'] === 'string';
      return inherits ? { ...entry, circular: raw['circular'] as string } : entry;
    });
  return {
    year: Number(key),
    source: text(raw['source'], `${path}.source`),
    holidays: list('holidays'),
    weekendHolidays: list('weekendHolidays'),
    settlementHolidays: list('settlementHolidays'),
  };
}

function parseRegime(value: unknown, path: string): SessionRegime {
  const raw = object(value, path, [
    'id',
    'segments',
    'from',
    'until',
    'confirmed',
    'sources',
    'note',
    'phases',
  ]);
  const id = text(raw['id'], `${path}.id`);
  const at = `${path} (${id})`;
  const segments = array(raw['segments'], `${at}.segments`).map((s, i) =>
    oneOf(s, SEGMENTS, `${at}.segments[${i}]`),
  );
  if (segments.length === 0) fail(`${at}.segments`, 'a regime must name at least one segment');
  if (new Set(segments).size !== segments.length)
    fail(`${at}.segments`, `repeated segment in ${segments.join(', ')}`);
  const phases = parsePhases(raw['phases'], `${at}.phases`);
  if (phases.length === 0) fail(`${at}.phases`, 'a regime must schedule at least one phase');
  return {
    id,
    segments,
    ...dateRange(raw, at),
    confirmed: flag(raw['confirmed'], `${at}.confirmed`, true),
    sources: texts(raw['sources'] ?? [], `${at}.sources`),
    note: optionalText(raw['note'], `${at}.note`),
    phases,
  };
}

function parseExpiryRule(value: unknown, path: string): ExpiryRule {
  const raw = object(value, path, ['from', 'until', 'weekday', 'confirmed', 'sources', 'note']);
  const weekday = oneOf<Weekday>(raw['weekday'], ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], `${path}.weekday`);
  return {
    ...dateRange(raw, path),
    weekday,
    confirmed: flag(raw['confirmed'], `${path}.confirmed`, true),
    sources: texts(raw['sources'] ?? [], `${path}.sources`),
    note: optionalText(raw['note'], `${path}.note`),
  };
}

/** Returns validated calendar data from a parsed JSON value; throws a CalendarDataError naming the first bad entry. */
export function parseCalendarData(value: unknown): CalendarData {
  const raw = object(value, '(root)', ['years', 'specialSessions', 'sessionRegimes', 'expiryRules']);
  const seen = new Map<string, string>();
  const years = Object.entries(object(raw['years'], 'years', Object.keys(raw['years'] ?? {}))).map(
    ([key, year]) => parseYear(key, year, seen),
  );
  if (years.length === 0) fail('years', 'the calendar must cover at least one year');
  const covered = new Set(years.map((y) => y.year));

  const sessionDates = new Map<string, string>();
  const specialSessions = array(raw['specialSessions'], 'specialSessions').map((item, i) => {
    const session = parseSpecialSession(item, `specialSessions[${i}]`);
    const path = `specialSessions[${i}] (${session.date})`;
    const earlier = sessionDates.get(session.date);
    if (earlier !== undefined) fail(path, `duplicate date ${session.date}, already listed at ${earlier}`);
    if (!covered.has(Number(session.date.slice(0, 4)))) {
      fail(
        path,
        `date ${session.date} is in a year without a holiday list (years: ${[...covered].join(', ')})`,
      );
    }
    sessionDates.set(session.date, path);
    return session;
  });

  const sessionRegimes = array(raw['sessionRegimes'], 'sessionRegimes').map((item, i) =>
    parseRegime(item, `sessionRegimes[${i}]`),
  );
  const ids = new Set<string>();
  sessionRegimes.forEach((regime, i) => {
    if (ids.has(regime.id)) fail(`sessionRegimes[${i}]`, `duplicate regime id ${regime.id}`);
    ids.add(regime.id);
    sessionRegimes.slice(0, i).forEach((other) => {
      const shared = regime.segments.filter((s) => other.segments.includes(s));
      if (shared.length > 0 && rangesOverlap(regime, other)) {
        fail(
          `sessionRegimes[${i}] (${regime.id})`,
          `${regime.from}..${regime.until ?? 'open'} overlaps regime ${other.id} ` +
            `(${other.from}..${other.until ?? 'open'}) for segment ${shared.join(', ')}`,
        );
      }
    });
  });

  const expiryRules = array(raw['expiryRules'], 'expiryRules').map((item, i) =>
    parseExpiryRule(item, `expiryRules[${i}]`),
  );
  expiryRules.forEach((rule, i) => {
    expiryRules.slice(0, i).forEach((other) => {
      if (rangesOverlap(rule, other)) {
        fail(
          `expiryRules[${i}]`,
          `${rule.from}..${rule.until ?? 'open'} overlaps ${other.from}..${other.until ?? 'open'}`,
        );
      }
    });
  });
  return { years, specialSessions, sessionRegimes, expiryRules };
}

/** Returns validated overrides; throws a CalendarDataError naming the bad entry (paths start with `overrides.`). */
export function parseCalendarOverrides(value: unknown): {
  readonly holidays: readonly HolidayEntry[];
  readonly specialSessions: readonly SpecialSession[];
  readonly removeHolidays: readonly string[];
} {
  const raw = object(value ?? {}, 'overrides', [
    'holidays',
    'specialSessions',
    'removeHolidays',
  ] satisfies (keyof CalendarOverrides)[]);
  const seen = new Map<string, string>();
  const unique = (entryDate: string, path: string, kind: string): void => {
    const earlier = seen.get(`${kind}:${entryDate}`);
    if (earlier !== undefined) fail(path, `duplicate date ${entryDate}, already listed at ${earlier}`);
    seen.set(`${kind}:${entryDate}`, path);
  };
  const holidays = array(raw['holidays'] ?? [], 'overrides.holidays').map((item, i) => {
    const path = `overrides.holidays[${i}]`;
    const { day: _day, ...entry } = parseHoliday(item, path);
    unique(entry.date, `${path} (${entry.date})`, 'holiday');
    return entry;
  });
  const specialSessions = array(raw['specialSessions'] ?? [], 'overrides.specialSessions').map((item, i) => {
    const session = parseSpecialSession(item, `overrides.specialSessions[${i}]`);
    unique(session.date, `overrides.specialSessions[${i}] (${session.date})`, 'special');
    return session;
  });
  const removeHolidays = array(raw['removeHolidays'] ?? [], 'overrides.removeHolidays').map((item, i) => {
    const path = `overrides.removeHolidays[${i}]`;
    const removed = date(item, path);
    unique(removed, `${path} (${removed})`, 'remove');
    if (seen.has(`holiday:${removed}`)) {
      fail(`${path} (${removed})`, `${removed} is both added as a holiday and removed`);
    }
    return removed;
  });
  return { holidays, specialSessions, removeHolidays };
}
