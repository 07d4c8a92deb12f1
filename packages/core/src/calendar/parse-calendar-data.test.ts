// A malformed calendar data file must fail at load with an error that names the entry and the bad value.
import { describe, expect, it } from 'vitest';
import { CalendarDataError } from './calendar-errors.ts';
import { NSE_CALENDAR_DATA, NSE_CALENDAR_JSON } from './nse-calendar-data.ts';
import { NseCalendar } from './nse-calendar.ts';
import { parseCalendarData } from './parse-calendar-data.ts';

type Mutable = Record<string, unknown> & { years: Record<string, Record<string, Record<string, unknown>[]>> };

/** Returns a deep copy of the bundled JSON, changed by `edit`. */
function bundledWith(edit: (json: Mutable) => void): unknown {
  const copy = structuredClone(NSE_CALENDAR_JSON) as Mutable;
  edit(copy);
  return copy;
}

function regimes(json: Mutable): Record<string, unknown>[] {
  return json['sessionRegimes'] as Record<string, unknown>[];
}

function expectDataError(json: unknown, message: string): void {
  expect(() => parseCalendarData(json)).toThrow(CalendarDataError);
  expect(() => parseCalendarData(json)).toThrow(message);
}

describe('parseCalendarData', () => {
  it('accepts the bundled data and covers 2025 and 2026', () => {
    expect(NSE_CALENDAR_DATA.years.map((y) => y.year)).toEqual([2025, 2026]);
    expect(NSE_CALENDAR_DATA.years.map((y) => y.holidays.length)).toEqual([14, 16]);
    expect(NSE_CALENDAR_DATA.years[1]?.holidays[1]).toEqual({
      date: '2026-01-26',
      name: 'Republic Day',
      circular: 'NSE/CMTR/71775',
      note: null,
    });
    expect(NSE_CALENDAR_DATA.years[1]?.holidays[0]?.circular).toBeNull();
  });

  it('rejects a holiday with an impossible date', () => {
    const json = bundledWith((j) => {
      (j.years['2026']!['holidays']![2] as Record<string, unknown>)['date'] = '2026-02-30';
    });
    expectDataError(
      json,
      'years.2026.holidays[2].date: date "2026-02-30" is not a valid YYYY-MM-DD calendar date',
    );
  });

  it('rejects a duplicate holiday date', () => {
    const json = bundledWith((j) => {
      j.years['2026']!['holidays']!.push({ date: '2026-03-03', name: 'Holi again' });
    });
    expectDataError(
      json,
      'years.2026.holidays[16]: duplicate date 2026-03-03, already listed at years.2026.holidays[2]',
    );
  });

  it('rejects a day name that contradicts the date', () => {
    const json = bundledWith((j) => {
      (j.years['2026']!['holidays']![1] as Record<string, unknown>)['day'] = 'Tue';
    });
    expectDataError(json, 'years.2026.holidays[1] (2026-01-26): 2026-01-26 is a Mon, not a Tue');
  });

  it('rejects a holiday in the wrong year or on a weekend', () => {
    expectDataError(
      bundledWith((j) => {
        j.years['2025']!['holidays']!.push({ date: '2026-06-01', name: 'x' });
      }),
      'years.2025.holidays[14]: date 2026-06-01 is not in year 2025',
    );
    expectDataError(
      bundledWith((j) => {
        j.years['2026']!['holidays']!.push({ date: '2026-06-06', name: 'x' });
      }),
      '2026-06-06 is a Sat; weekend holidays go under weekendHolidays',
    );
  });

  it('rejects a phase that ends before it starts', () => {
    const json = bundledWith((j) => {
      const phases = regimes(j)[0]!['phases'] as Record<string, unknown>[];
      phases[3] = { phase: 'continuous', start: '15:30', end: '09:15' };
    });
    expectDataError(
      json,
      'sessionRegimes[0] (equity-vwap-close).phases[3]: continuous end 09:15 is not after its start 15:30',
    );
  });

  it('rejects overlapping phases and overlapping regimes', () => {
    expectDataError(
      bundledWith((j) => {
        (regimes(j)[0]!['phases'] as Record<string, unknown>[])[3]!['start'] = '09:14';
      }),
      'phases[3]: continuous starting 09:14 overlaps or precedes pre-open-buffer ending 09:15',
    );
    expectDataError(
      bundledWith((j) => {
        regimes(j)[0]!['until'] = '2026-08-03';
      }),
      'sessionRegimes[1] (equity-cas-2026-08): 2026-08-03..2026-09-04 overlaps regime equity-vwap-close',
    );
    expectDataError(
      bundledWith((j) => {
        regimes(j)[1]!['until'] = '2026-08-01';
      }),
      'sessionRegimes[1] (equity-cas-2026-08): until 2026-08-01 is before from 2026-08-03',
    );
  });

  it('rejects unknown fields, phases and segments', () => {
    expectDataError(
      bundledWith((j) => {
        regimes(j)[0]!['untill'] = '2026-07-31';
      }),
      'sessionRegimes[0]: unknown field "untill"',
    );
    expectDataError(
      bundledWith((j) => {
        (regimes(j)[0]!['phases'] as Record<string, unknown>[])[3]!['phase'] = 'normal';
      }),
      'phases[3].phase: "normal" is not one of pre-open, pre-open-matching',
    );
    expectDataError(
      bundledWith((j) => {
        regimes(j)[0]!['segments'] = ['equity', 'currency'];
      }),
      'segments[1]: "currency" is not one of equity, equity-cas, fno',
    );
  });

  it('rejects a special session with a duplicate date or missing segment phases', () => {
    expectDataError(
      bundledWith((j) => {
        (j['specialSessions'] as unknown[]).push({ date: '2026-02-01', name: 'again', sessions: 'regular' });
      }),
      'specialSessions[4] (2026-02-01): duplicate date 2026-02-01, already listed at specialSessions[2]',
    );
    expectDataError(
      bundledWith((j) => {
        const muhurat = (j['specialSessions'] as Record<string, Record<string, unknown>>[])[1]!;
        delete muhurat['sessions']!['fno'];
      }),
      'specialSessions[1] (2025-10-21).sessions: missing phases for segment fno',
    );
  });

  it('rejects data that leaves a trading day without timings', () => {
    const json = bundledWith((j) => {
      regimes(j)[5]!['until'] = '2025-06-30';
      regimes(j)[6]!['from'] = '2025-12-08';
    });
    expect(() => new NseCalendar({}, json)).toThrow(
      'invalid NSE calendar entry sessionRegimes: no fno regime covers trading day 2025-07-01',
    );
  });
});
