// Holidays, special sessions, settlement holidays, day info and overrides of the NSE calendar, checked against
// the tables of shared/docs/market-rules.md §6 copied here independently of nse-calendar.json.
import { describe, expect, it } from 'vitest';
import { CalendarDataError, CalendarRangeError } from './calendar-errors.ts';
import { NseCalendar } from './nse-calendar.ts';

/** market-rules.md §6, 2025 table (14 weekday holidays). */
const HOLIDAYS_2025: readonly (readonly [string, string])[] = [
  ['2025-02-26', 'Mahashivratri'],
  ['2025-03-14', 'Holi'],
  ['2025-03-31', 'Id-Ul-Fitr (Ramzan Id)'],
  ['2025-04-10', 'Shri Mahavir Jayanti'],
  ['2025-04-14', 'Dr. Baba Saheb Ambedkar Jayanti'],
  ['2025-04-18', 'Good Friday'],
  ['2025-05-01', 'Maharashtra Day'],
  ['2025-08-15', 'Independence Day'],
  ['2025-08-27', 'Ganesh Chaturthi'],
  ['2025-10-02', 'Mahatma Gandhi Jayanti / Dussehra'],
  ['2025-10-21', 'Diwali Laxmi Pujan'],
  ['2025-10-22', 'Diwali Balipratipada'],
  ['2025-11-05', 'Prakash Gurpurb Sri Guru Nanak Dev'],
  ['2025-12-25', 'Christmas'],
];

/** market-rules.md §6, 2026 table (16 weekday holidays, NSE/CMTR/71775 plus 15 Jan). */
const HOLIDAYS_2026: readonly (readonly [string, string])[] = [
  ['2026-01-15', 'Maharashtra municipal elections'],
  ['2026-01-26', 'Republic Day'],
  ['2026-03-03', 'Holi'],
  ['2026-03-26', 'Shri Ram Navami'],
  ['2026-03-31', 'Shri Mahavir Jayanti'],
  ['2026-04-03', 'Good Friday'],
  ['2026-04-14', 'Dr. Baba Saheb Ambedkar Jayanti'],
  ['2026-05-01', 'Maharashtra Day'],
  ['2026-05-28', 'Bakri Id'],
  ['2026-06-26', 'Muharram'],
  ['2026-09-14', 'Ganesh Chaturthi'],
  ['2026-10-02', 'Mahatma Gandhi Jayanti'],
  ['2026-10-20', 'Dussehra'],
  ['2026-11-10', 'Diwali-Balipratipada'],
  ['2026-11-24', 'Prakash Gurpurb Sri Guru Nanak Dev'],
  ['2026-12-25', 'Christmas'],
];

const calendar = new NseCalendar();

describe('NseCalendar', () => {
  it('closes on every 2025 weekday holiday with its name (21 Oct trades only the Muhurat session)', () => {
    for (const [date, name] of HOLIDAYS_2025) {
      expect(calendar.holidayName(date), date).toBe(name);
      expect(calendar.isTradingDay(date), date).toBe(date === '2025-10-21');
    }
  });

  it('closes on every 2026 weekday holiday with its name', () => {
    for (const [date, name] of HOLIDAYS_2026) {
      expect(calendar.holidayName(date), date).toBe(name);
      expect(calendar.isTradingDay(date), date).toBe(false);
      expect(calendar.dayInfo(date)).toMatchObject({ tradingDay: false, holiday: name, weekend: false });
    }
  });

  it('has no weekday holidays beyond the published lists', () => {
    const published = new Set([...HOLIDAYS_2025, ...HOLIDAYS_2026].map(([date]) => date));
    const tradingDays = [...calendar.tradingDaysBetween('2025-01-01', '2026-12-31')];
    const weekdays: string[] = [];
    for (let d = Date.UTC(2025, 0, 1); d <= Date.UTC(2026, 11, 31); d += 86_400_000) {
      const day = new Date(d).getUTCDay();
      if (day !== 0 && day !== 6) weekdays.push(new Date(d).toISOString().slice(0, 10));
    }
    const closed = weekdays.filter((d) => !tradingDays.includes(d));
    expect(closed).toEqual([...published].filter((d) => d !== '2025-10-21').sort());
    // 2025: 261 weekdays − 13 closed; 2026: 261 weekdays − 16 closed; plus the two weekend Budget sessions, Muhurat 2026.
    expect(calendar.tradingDaysBetween('2025-01-01', '2025-12-31')).toHaveLength(261 - 13 + 1);
    expect(calendar.tradingDaysBetween('2026-01-01', '2026-12-31')).toHaveLength(261 - 16 + 2);
  });

  it('names 24 Nov 2026 Prakash Gurpurb Sri Guru Nanak Dev and trades on 23 Nov 2026', () => {
    expect(calendar.dayInfo('2026-11-24')).toMatchObject({
      date: '2026-11-24',
      tradingDay: false,
      holiday: 'Prakash Gurpurb Sri Guru Nanak Dev',
    });
    const monday = calendar.dayInfo('2026-11-23');
    expect(monday).toMatchObject({ tradingDay: true, holiday: null, weekend: false, special: null });
    expect(monday.sessions?.equity.phases.map((p) => `${p.phase}@${p.start}`)).toEqual([
      'pre-open@09:00',
      'pre-open@09:05',
      'pre-open-matching@09:10',
      'pre-open-buffer@09:12',
      'continuous@09:15',
      'closing@15:30',
      'post-close@15:40',
    ]);
  });

  it('trades on Sunday 1 Feb 2026 (Budget session, regular timings) but not on a normal Saturday', () => {
    const budget = calendar.dayInfo('2026-02-01');
    expect(budget).toMatchObject({ tradingDay: true, weekend: true, holiday: null, settlementHoliday: true });
    expect(budget.special?.name).toBe('Union Budget special session');
    expect(budget.sessions?.fno.source).toBe('fno-futures-pre-open');
    expect(budget.sessions?.equity.phases.find((p) => p.phase === 'continuous')).toMatchObject({
      start: '09:15',
      end: '15:30',
    });
    expect(calendar.isTradingDay('2025-02-01')).toBe(true);
    expect(calendar.isTradingDay('2026-02-07')).toBe(false);
    expect(calendar.dayInfo('2026-02-07')).toMatchObject({ tradingDay: false, holiday: null, weekend: true });
  });

  it('trades on Sunday 8 Nov 2026 (Muhurat) with timings unknown', () => {
    const muhurat = calendar.dayInfo('2026-11-08');
    expect(muhurat).toMatchObject({
      tradingDay: true,
      holiday: null,
      weekend: true,
      weekendHoliday: 'Diwali Laxmi Pujan',
      sessions: null,
    });
    expect(muhurat.special?.name).toBe('Muhurat trading');
    expect(muhurat.special?.note).toContain('timings to be notified');
  });

  it('schedules the 21 Oct 2025 Muhurat session on a holiday', () => {
    const day = calendar.dayInfo('2025-10-21');
    expect(day).toMatchObject({ tradingDay: true, holiday: 'Diwali Laxmi Pujan' });
    expect(day.sessions?.equity.phases).toEqual([
      { phase: 'pre-open', subPhase: null, start: '13:30', end: '13:45', futuresOnly: false },
      { phase: 'continuous', subPhase: null, start: '13:45', end: '14:45', futuresOnly: false },
    ]);
  });

  it('keeps weekend holidays for information only', () => {
    expect(calendar.holidayName('2026-02-15')).toBeNull();
    expect(calendar.dayInfo('2026-02-15')).toMatchObject({
      tradingDay: false,
      weekendHoliday: 'Mahashivratri',
    });
    expect(calendar.dayInfo('2026-08-15').weekendHoliday).toBe('Independence Day');
  });

  it('marks settlement-only holidays as trading days without settlement', () => {
    for (const date of ['2026-02-19', '2026-03-19', '2026-04-01', '2026-08-26', '2025-09-08']) {
      expect(calendar.dayInfo(date), date).toMatchObject({
        tradingDay: true,
        settlementHoliday: true,
        holiday: null,
      });
      expect(calendar.isSettlementDay(date), date).toBe(false);
    }
    expect(calendar.dayInfo('2026-02-18').settlementHoliday).toBe(false);
    expect(calendar.isSettlementDay('2026-01-15')).toBe(false);
  });

  it('returns day info that survives a JSON round trip unchanged', () => {
    for (const date of ['2026-11-08', '2026-11-24', '2026-08-03', '2025-10-21']) {
      const info = calendar.dayInfo(date);
      expect(JSON.parse(JSON.stringify(info))).toEqual(info);
      expect(typeof info.tradingDay).toBe('boolean');
    }
  });

  it('walks to neighbouring trading days over weekends and holidays', () => {
    expect(calendar.nextTradingDay('2026-11-23')).toBe('2026-11-25');
    expect(calendar.previousTradingDay('2026-11-25')).toBe('2026-11-23');
    expect(calendar.nextTradingDay('2026-03-30')).toBe('2026-04-01');
    expect(calendar.nextTradingDay('2026-04-02')).toBe('2026-04-06');
    expect(calendar.nextTradingDay('2026-01-30')).toBe('2026-02-01');
    expect(calendar.previousTradingDay('2026-11-09')).toBe('2026-11-08');
    expect(calendar.tradingDaysBetween('2026-11-20', '2026-11-25')).toEqual([
      '2026-11-20',
      '2026-11-23',
      '2026-11-25',
    ]);
    expect(calendar.tradingDaysBetween('2026-11-24', '2026-11-24')).toEqual([]);
    expect(() => calendar.tradingDaysBetween('2026-11-25', '2026-11-20')).toThrow(
      'tradingDaysBetween: to 2026-11-20 is before from 2026-11-25',
    );
  });

  it('refuses dates outside the published years and malformed dates', () => {
    expect(() => calendar.isTradingDay('2027-01-04')).toThrow(CalendarRangeError);
    expect(() => calendar.isTradingDay('2027-01-04')).toThrow(
      'date 2027-01-04 is outside the NSE calendar, which covers the years 2025, 2026',
    );
    expect(() => calendar.nextTradingDay('2026-12-31')).toThrow(
      'date 2027-01-01 is outside the NSE calendar',
    );
    expect(() => calendar.dayInfo('2026-02-30')).toThrow(
      'date "2026-02-30" is not a valid YYYY-MM-DD calendar date',
    );
  });

  describe('overrides', () => {
    it('adds a holiday at short notice and closes the day', () => {
      const withClosure = new NseCalendar({ holidays: [{ date: '2026-11-23', name: 'Test closure' }] });
      expect(withClosure.isTradingDay('2026-11-23')).toBe(false);
      expect(withClosure.holidayName('2026-11-23')).toBe('Test closure');
      expect(withClosure.nextTradingDay('2026-11-20')).toBe('2026-11-25');
      expect(calendar.isTradingDay('2026-11-23')).toBe(true);
    });

    it('removes a data holiday and replaces a data holiday name', () => {
      const changed = new NseCalendar({
        removeHolidays: ['2026-11-24'],
        holidays: [{ date: '2026-12-25', name: 'Christmas (renamed)' }],
      });
      expect(changed.isTradingDay('2026-11-24')).toBe(true);
      expect(changed.holidayName('2026-11-24')).toBeNull();
      expect(changed.dayInfo('2026-11-24').sessions?.equity.source).toBe('equity-non-cas-2026-09');
      expect(changed.holidayName('2026-12-25')).toBe('Christmas (renamed)');
    });

    it('gives the 8 Nov 2026 Muhurat session its timings once notified', () => {
      const phases = [
        { phase: 'pre-open', start: '18:00', end: '18:08' },
        { phase: 'continuous', start: '18:15', end: '19:15' },
      ];
      const notified = new NseCalendar({
        specialSessions: [
          {
            date: '2026-11-08',
            name: 'Muhurat trading',
            sessions: { equity: phases, 'equity-cas': phases, fno: phases.slice(1) },
          },
        ],
      });
      expect(notified.dayInfo('2026-11-08').sessions?.fno.phases).toEqual([
        { phase: 'continuous', subPhase: null, start: '18:15', end: '19:15', futuresOnly: false },
      ]);
    });

    it('cancels a data special session with an override holiday', () => {
      const cancelled = new NseCalendar({ holidays: [{ date: '2026-02-01', name: 'Session cancelled' }] });
      expect(cancelled.isTradingDay('2026-02-01')).toBe(false);
      expect(cancelled.dayInfo('2026-02-01').special).toBeNull();
    });

    it('throws a specific error naming an invalid override', () => {
      const cases: readonly [ConstructorParameters<typeof NseCalendar>[0], string][] = [
        [
          { holidays: [{ date: '2026-13-01', name: 'x' }] },
          'overrides.holidays[0].date: date "2026-13-01" is not a valid',
        ],
        [
          {
            holidays: [
              { date: '2026-11-23', name: 'a' },
              { date: '2026-11-23', name: 'b' },
            ],
          },
          'overrides.holidays[1] (2026-11-23): duplicate date 2026-11-23, already listed at overrides.holidays[0]',
        ],
        [
          { removeHolidays: ['2026-11-23'] },
          'overrides.removeHolidays[0] (2026-11-23): 2026-11-23 is not a holiday',
        ],
        [
          { holidays: [{ date: '2027-01-04', name: 'x' }] },
          'overrides.holidays[0] (2027-01-04): 2027-01-04 is outside',
        ],
        [
          { holidays: [{ date: '2026-11-21', name: 'x' }] },
          '2026-11-21 is a Sat and not a trading day anyway',
        ],
        [
          { holidays: [{ date: '2026-11-23', name: '' }] },
          'overrides.holidays[0] (2026-11-23).name: expected a non-empty',
        ],
        [
          { holidays: [{ date: '2026-11-23', name: 'x' }], removeHolidays: ['2026-11-23'] },
          '2026-11-23 is both added as a holiday and removed',
        ],
        [
          {
            specialSessions: [
              {
                date: '2026-11-08',
                name: 'Muhurat trading',
                sessions: {
                  equity: [{ phase: 'continuous', start: '19:15', end: '18:15' }],
                  'equity-cas': [],
                  fno: [],
                },
              },
            ],
          },
          'overrides.specialSessions[0] (2026-11-08).sessions.equity[0]: continuous end 18:15 is not after its start 19:15',
        ],
      ];
      for (const [overrides, message] of cases) {
        expect(() => new NseCalendar(overrides), message).toThrow(CalendarDataError);
        expect(() => new NseCalendar(overrides), message).toThrow(message);
      }
    });
  });
});
