// Calendar-date arithmetic on `YYYY-MM-DD` strings without `Date`: a date is mapped to a day number
// (days since 1970-01-01) with the proleptic Gregorian civil-from-days algorithm (H. Hinnant), so the
// result never depends on the host time zone.

/** Short English weekday names, indexed by `weekdayIndex` (0 = Sunday). */
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** A short English weekday name (`Sun` … `Sat`). */
export type Weekday = (typeof WEEKDAYS)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of 0001-01-01, the first supported date (years print as four digits). */
export const MIN_DAY_NUMBER = daysFromCivil(1, 1, 1);
/** Day number of 9999-12-31, the last supported date. */
export const MAX_DAY_NUMBER = daysFromCivil(9999, 12, 31);

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Returns true when `value` is a real calendar date written `YYYY-MM-DD` (years 0001–9999). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Returns the day number (days since 1970-01-01) of a `YYYY-MM-DD` date; throws a RangeError naming an invalid date. */
export function dayNumber(date: string): number {
  if (!isIsoDate(date)) {
    throw new RangeError(`date ${JSON.stringify(date)} is not a valid YYYY-MM-DD calendar date`);
  }
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** Returns the `YYYY-MM-DD` date of a day number (days since 1970-01-01). */
export function dateFromDayNumber(days: number): string {
  if (!Number.isSafeInteger(days) || days < MIN_DAY_NUMBER || days > MAX_DAY_NUMBER) {
    throw new RangeError(`day number ${days} is outside the supported dates 0001-01-01..9999-12-31`);
  }
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Returns the date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return dateFromDayNumber(dayNumber(date) + days);
}

/** Returns the weekday of a `YYYY-MM-DD` date as an index, 0 = Sunday … 6 = Saturday. */
export function weekdayIndex(date: string): number {
  // 1970-01-01 (day 0) was a Thursday (index 4).
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** Returns the short weekday name (`Sun` … `Sat`) of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[weekdayIndex(date)] as Weekday;
}

/** Returns true when the date falls on a Saturday or a Sunday. */
export function isWeekend(date: string): boolean {
  const index = weekdayIndex(date);
  return index === 0 || index === 6;
}

/** Returns the number of days in a month (1 = January) of a year. */
export function monthLength(year: number, month: number): number {
  if (
    !Number.isInteger(year) ||
    year < 1 ||
    year > 9999 ||
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12
  ) {
    throw new RangeError(`year ${year} / month ${month} is not a valid year (1–9999) and month (1–12)`);
  }
  return daysInMonth(year, month);
}
