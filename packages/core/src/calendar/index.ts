export * from './calendar-errors.ts';
export * from './calendar-types.ts';
export * from './expiry-dates.ts';
export { addDays, isWeekend, weekdayOf, WEEKDAYS } from './iso-date.ts';
export type { Weekday } from './iso-date.ts';
export { formatIst, IST_OFFSET_MS, istDate, istMillisOfDay, istTime, istToEpochMs } from './ist.ts';
export * from './nse-calendar-data.ts';
export * from './nse-calendar.ts';
export { parseCalendarData, parseCalendarOverrides } from './parse-calendar-data.ts';
