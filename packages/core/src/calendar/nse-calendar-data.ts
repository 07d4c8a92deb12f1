// The bundled NSE calendar (nse-calendar.json), validated when this module loads so that a bad edit of the data
// file stops start-up with a CalendarDataError instead of mis-scheduling a trading day.
import type { CalendarData } from './calendar-types.ts';
import rawCalendar from './nse-calendar.json' with { type: 'json' };
import { parseCalendarData } from './parse-calendar-data.ts';

/** The bundled nse-calendar.json as parsed JSON, before validation (the default input of NseCalendar). */
export const NSE_CALENDAR_JSON: unknown = rawCalendar;

/** The bundled NSE calendar data, validated at load (sources and unconfirmed items are listed in the file's $comment). */
export const NSE_CALENDAR_DATA: CalendarData = parseCalendarData(rawCalendar);
