// Market phases at boundary instants: half-open windows [start, end) in IST, with the regime of the IST date
// (market-rules.md §3.1 to §3.3): VWAP close until 31 Jul 2026, closing auction for CAS stocks from 3 Aug 2026,
// F&O to 15:40 from 3 Aug 2026, the split pre-open from 7 Sep 2026, F&O futures pre-open from 8 Dec 2025.
import { describe, expect, it } from 'vitest';
import type { Segment } from './calendar-types.ts';
import { istToEpochMs } from './ist.ts';
import { NseCalendar } from './nse-calendar.ts';

const calendar = new NseCalendar();

function phase(date: string, time: string, segment: Segment, extraMs = 0): string {
  const at = calendar.phaseAt(istToEpochMs(date, time) + extraMs, segment);
  return at.subPhase === null ? at.phase : `${at.phase}/${at.subPhase}`;
}

describe('NseCalendar.phaseAt', () => {
  it('opens the continuous market at exactly 09:15:00.000 IST', () => {
    expect(phase('2026-11-23', '09:14:59', 'equity', 999)).toBe('pre-open-buffer');
    expect(phase('2026-11-23', '09:15:00', 'equity')).toBe('continuous');
    expect(phase('2026-03-02', '09:14:59', 'equity-cas', 999)).toBe('pre-open-buffer');
    expect(phase('2026-03-02', '09:15:00', 'fno')).toBe('continuous');
  });

  it('closes continuous equity at 15:30 into the VWAP closing session until 31 Jul 2026', () => {
    for (const segment of ['equity', 'equity-cas'] as const) {
      expect(phase('2026-07-31', '15:29:59', segment)).toBe('continuous');
      expect(phase('2026-07-31', '15:30:00', segment)).toBe('closing');
      expect(phase('2026-07-31', '15:39:59', segment)).toBe('closing');
      expect(phase('2026-07-31', '15:40:00', segment)).toBe('post-close');
      expect(phase('2026-07-31', '16:00:00', segment)).toBe('closed');
    }
    expect(phase('2026-07-31', '15:29:59', 'fno')).toBe('continuous');
    expect(phase('2026-07-31', '15:30:00', 'fno')).toBe('closed');
  });

  it('runs the closing auction for CAS stocks from 3 Aug 2026', () => {
    expect(phase('2026-08-03', '15:14:59', 'equity-cas')).toBe('continuous');
    expect(phase('2026-08-03', '15:15:00', 'equity-cas')).toBe('closing-auction/reference-price');
    expect(phase('2026-08-03', '15:20:00', 'equity-cas')).toBe('closing-auction/order-entry');
    expect(phase('2026-08-03', '15:25:00', 'equity-cas')).toBe('closing-auction/limit-only');
    expect(phase('2026-08-03', '15:29:59', 'equity-cas')).toBe('closing-auction/limit-only');
    expect(phase('2026-08-03', '15:30:00', 'equity-cas')).toBe('closing-auction/matching');
    expect(phase('2026-08-03', '15:35:00', 'equity-cas')).toBe('closed');
    expect(phase('2026-08-03', '15:50:00', 'equity-cas')).toBe('post-close');
    expect(phase('2026-08-03', '16:00:00', 'equity-cas')).toBe('closed');
  });

  it('keeps non-CAS equity continuous to 15:30 from 3 Aug 2026, flagged unconfirmed', () => {
    expect(phase('2026-08-03', '15:29:59', 'equity')).toBe('continuous');
    expect(phase('2026-08-03', '15:30:00', 'equity')).toBe('closing');
    const at = calendar.phaseAt(istToEpochMs('2026-08-03', '15:00'), 'equity');
    expect(at.confirmed).toBe(false);
    expect(calendar.phaseAt(istToEpochMs('2026-08-03', '15:00'), 'equity-cas').confirmed).toBe(true);
  });

  it('keeps F&O open to 15:40 from 3 Aug 2026', () => {
    expect(phase('2026-08-03', '15:30:00', 'fno')).toBe('continuous');
    expect(phase('2026-08-03', '15:39:59', 'fno')).toBe('continuous');
    expect(phase('2026-08-03', '15:40:00', 'fno')).toBe('closed');
  });

  it('splits the pre-open from 7 Sep 2026 and not before', () => {
    expect(phase('2026-09-04', '09:04:59', 'equity')).toBe('pre-open');
    expect(phase('2026-09-04', '09:07:59', 'equity')).toBe('pre-open');
    expect(phase('2026-09-04', '09:08:00', 'equity')).toBe('pre-open-matching');
    expect(phase('2026-09-04', '09:12:00', 'equity')).toBe('pre-open-buffer');
    expect(phase('2026-09-07', '08:59:59', 'equity')).toBe('closed');
    expect(phase('2026-09-07', '09:00:00', 'equity')).toBe('pre-open/order-entry');
    expect(phase('2026-09-07', '09:04:59', 'equity')).toBe('pre-open/order-entry');
    expect(phase('2026-09-07', '09:05:00', 'equity-cas')).toBe('pre-open/limit-only');
    expect(phase('2026-09-07', '09:09:59', 'fno')).toBe('pre-open/limit-only');
    expect(phase('2026-09-07', '09:10:00', 'equity')).toBe('pre-open-matching');
    expect(phase('2026-09-07', '09:12:00', 'fno')).toBe('pre-open-buffer');
  });

  it('has an F&O pre-open for futures only from 8 Dec 2025', () => {
    expect(phase('2025-12-05', '09:05:00', 'fno')).toBe('closed');
    const at = calendar.phaseAt(istToEpochMs('2025-12-08', '09:05'), 'fno');
    expect(at).toMatchObject({ phase: 'pre-open', futuresOnly: true, start: '09:00', end: '09:08' });
    expect(calendar.phaseAt(istToEpochMs('2025-12-08', '09:15'), 'fno').futuresOnly).toBe(false);
  });

  it('is closed all day on holidays and ordinary weekends', () => {
    expect(phase('2026-11-24', '10:00:00', 'equity')).toBe('closed');
    expect(phase('2026-11-21', '10:00:00', 'fno')).toBe('closed');
  });

  it('follows the Muhurat timings of 21 Oct 2025 and is unknown on 8 Nov 2026', () => {
    expect(phase('2025-10-21', '10:00:00', 'equity')).toBe('closed');
    expect(phase('2025-10-21', '13:30:00', 'equity')).toBe('pre-open');
    expect(phase('2025-10-21', '13:30:00', 'fno')).toBe('closed');
    expect(phase('2025-10-21', '13:45:00', 'fno')).toBe('continuous');
    expect(phase('2025-10-21', '14:45:00', 'equity')).toBe('closed');
    expect(calendar.phaseAt(istToEpochMs('2026-11-08', '18:30'), 'equity')).toMatchObject({
      phase: 'unknown',
      confirmed: false,
      start: null,
    });
  });

  it('uses the IST date, not the UTC date, of the instant', () => {
    // 2026-11-23 22:00 UTC is 03:30 IST on Tue 24 Nov (holiday); 2026-11-23 04:00 UTC is 09:30 IST Monday.
    expect(calendar.phaseAt(Date.UTC(2026, 10, 23, 22, 0), 'equity')).toMatchObject({
      date: '2026-11-24',
      phase: 'closed',
    });
    expect(calendar.phaseAt(Date.UTC(2026, 10, 23, 4, 0), 'equity')).toMatchObject({
      date: '2026-11-23',
      phase: 'continuous',
    });
  });

  it('rejects an unknown segment', () => {
    expect(() => calendar.phaseAt(istToEpochMs('2026-11-23', '10:00'), 'currency' as Segment)).toThrow(
      'segment "currency" is not one of equity, equity-cas, fno',
    );
  });
});
