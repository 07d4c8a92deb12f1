import { istToEpochMs } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { parseTimeBound, parseTimeRange, TimeBoundError } from './time-bound.ts';

describe('parseTimeBound', () => {
  it('reads a date as IST midnight: the start of the day for from, its end for to', () => {
    expect(parseTimeBound('2026-11-20', 'from')).toBe(istToEpochMs('2026-11-20', '00:00'));
    expect(parseTimeBound('2026-11-20', 'to')).toBe(istToEpochMs('2026-11-21', '00:00'));
    expect(parseTimeBound('2026-12-31', 'to')).toBe(istToEpochMs('2027-01-01', '00:00'));
  });

  it('reads a local date-time as IST', () => {
    expect(parseTimeBound('2026-11-20T09:15', 'from')).toBe(Date.UTC(2026, 10, 20, 3, 45));
    expect(parseTimeBound('2026-11-20T15:29:59', 'to')).toBe(Date.UTC(2026, 10, 20, 9, 59, 59));
    expect(parseTimeBound('2026-11-20 09:15', 'from')).toBe(Date.UTC(2026, 10, 20, 3, 45));
  });

  it('reads ISO 8601 with Z or an offset as that instant', () => {
    expect(parseTimeBound('2026-11-20T09:15:00+05:30', 'from')).toBe(Date.UTC(2026, 10, 20, 3, 45));
    expect(parseTimeBound('2026-11-20T03:45:00.250Z', 'from')).toBe(Date.UTC(2026, 10, 20, 3, 45, 0, 250));
  });

  it('rejects malformed or impossible times, naming the bound', () => {
    for (const bad of [
      'yesterday',
      '2026-02-30',
      '2026-11-20T25:00',
      '2026-02-30T10:00+05:30',
      '20261120',
      '',
    ]) {
      expect(() => parseTimeBound(bad, 'from')).toThrow(TimeBoundError);
    }
    expect(() => parseTimeBound('soon', 'to')).toThrow(
      'to "soon" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (IST) or ISO 8601 with an offset',
    );
  });
});

describe('parseTimeRange', () => {
  it('returns [from, to) and refuses an empty range', () => {
    expect(parseTimeRange('2026-11-20', '2026-11-20')).toEqual({
      fromMs: istToEpochMs('2026-11-20', '00:00'),
      toMs: istToEpochMs('2026-11-21', '00:00'),
    });
    expect(() => parseTimeRange('2026-11-20T10:00', '2026-11-20T10:00')).toThrow(
      'to "2026-11-20T10:00" is not after from "2026-11-20T10:00"',
    );
  });
});
