import { istToEpochMs, NseCalendar } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { demoSessionStart } from './demo-session.ts';

const calendar = new NseCalendar();

describe('demoSessionStart', () => {
  it('opens at 09:15 IST of today when today trades, whatever the hour', () => {
    // Mon 2026-11-23 is a trading day; 23:40 IST is long after the close.
    expect(demoSessionStart(calendar, istToEpochMs('2026-11-23', '23:40'), null)).toBe(
      istToEpochMs('2026-11-23', '09:15'),
    );
  });

  it('opens at 09:15 IST of the next trading day on a weekend and on a holiday', () => {
    // Sat 2026-11-21 → Mon 23rd; Tue 24th is Guru Nanak Jayanti → Wed 25th.
    expect(demoSessionStart(calendar, istToEpochMs('2026-11-21', '03:00'), null)).toBe(
      istToEpochMs('2026-11-23', '09:15'),
    );
    expect(demoSessionStart(calendar, istToEpochMs('2026-11-24', '12:00'), null)).toBe(
      istToEpochMs('2026-11-25', '09:15'),
    );
  });

  it('continues after an earlier demo of the same session at the next whole minute', () => {
    const now = istToEpochMs('2026-11-21', '03:00');
    const lastTick = istToEpochMs('2026-11-23', '09:17') + 42_123;
    expect(demoSessionStart(calendar, now, lastTick)).toBe(istToEpochMs('2026-11-23', '09:18'));
  });

  it('moves to the next trading day once the session was recorded to its last minute', () => {
    const now = istToEpochMs('2026-11-23', '20:00');
    expect(demoSessionStart(calendar, now, istToEpochMs('2026-11-23', '15:29') + 30_000)).toBe(
      istToEpochMs('2026-11-25', '09:15'),
    );
  });

  it('ignores data recorded for an earlier session', () => {
    const now = istToEpochMs('2026-11-25', '08:00');
    expect(demoSessionStart(calendar, now, istToEpochMs('2026-11-23', '11:00'))).toBe(
      istToEpochMs('2026-11-25', '09:15'),
    );
  });
});
