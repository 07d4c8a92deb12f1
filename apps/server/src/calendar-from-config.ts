import { NseCalendar } from '@kitepilot/core';
import type { Config } from './config/config-schema.ts';

/** Returns the NSE calendar from the shipped data plus the `[calendar]` overrides of the configuration. */
export function calendarFromConfig(config: Config): NseCalendar {
  return new NseCalendar({
    holidays: config.calendar.addHolidays,
    removeHolidays: config.calendar.removeHolidays,
  });
}
