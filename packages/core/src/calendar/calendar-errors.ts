// Errors raised by the NSE calendar. Both are invariant breaks in the sense of STYLE.md "Errors and logs":
// bad calendar data or configuration must stop start-up, and a question outside the published years has no answer.

/** Thrown when calendar data or an override is malformed; `path` names the offending entry (e.g. `years.2026.holidays[3]`). */
export class CalendarDataError extends Error {
  /** Where in the data or overrides the problem is, e.g. `overrides.holidays[0]`. */
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(`invalid NSE calendar entry ${path}: ${message}`, options);
    this.name = 'CalendarDataError';
    this.path = path;
  }
}

/** Thrown when a date lies in a year for which the calendar holds no published holiday list. */
export class CalendarRangeError extends Error {
  /** The date that was asked about. */
  readonly date: string;

  constructor(date: string, coveredYears: readonly number[], options?: ErrorOptions) {
    super(
      `date ${date} is outside the NSE calendar, which covers the years ${coveredYears.join(', ')}; ` +
        'add that year to nse-calendar.json from the NSE holiday circular',
      options,
    );
    this.name = 'CalendarRangeError';
    this.date = date;
  }
}
