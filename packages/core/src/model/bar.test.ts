import { describe, expect, it } from 'vitest';
import { alignBarStart, intervalMs, isAlignedBarStart, makeBar, type Bar } from './bar.ts';
import { instrumentId } from './instrument-id.ts';
import { paise } from './money.ts';

// 2026-11-20 09:15:00 IST = 03:45:00 UTC.
const OPEN_IST = Date.UTC(2026, 10, 20, 3, 45);
const MIDNIGHT_IST = Date.UTC(2026, 10, 19, 18, 30);

const base: Bar = {
  instrumentId: instrumentId('RELIANCE', 'NSE'),
  interval: '5m',
  start: OPEN_IST,
  openPaise: paise(157000),
  highPaise: paise(157500),
  lowPaise: paise(156900),
  closePaise: paise(157370),
  volume: 1200,
  oi: null,
  origin: 'live',
};

describe('makeBar', () => {
  it('accepts a consistent bar', () => {
    expect(makeBar(base)).toEqual(base);
  });

  it('refuses prices outside low..high, negative volume and misaligned starts', () => {
    expect(() => makeBar({ ...base, lowPaise: paise(157100) })).toThrow(/low ≤ open, close ≤ high/);
    expect(() => makeBar({ ...base, highPaise: paise(157300) })).toThrow(/low ≤ open, close ≤ high/);
    expect(() => makeBar({ ...base, volume: -1 })).toThrow(/volume -1/);
    expect(() => makeBar({ ...base, start: OPEN_IST + 60_000 })).toThrow(/not aligned to the 5m grid/);
    expect(() => makeBar({ ...base, interval: '1d' })).toThrow(/not aligned/);
    expect(makeBar({ ...base, interval: '1d', start: MIDNIGHT_IST }).start).toBe(MIDNIGHT_IST);
  });
});

describe('alignBarStart', () => {
  it('anchors intraday bars at 09:15 IST and daily bars at 00:00 IST', () => {
    expect(alignBarStart(OPEN_IST + 59 * 60_000, '60m')).toBe(OPEN_IST);
    expect(alignBarStart(OPEN_IST + 60 * 60_000, '60m')).toBe(OPEN_IST + 3_600_000);
    expect(alignBarStart(OPEN_IST + 14 * 60_000, '10m')).toBe(OPEN_IST + 10 * 60_000);
    expect(alignBarStart(OPEN_IST - 1, '15m')).toBe(OPEN_IST - 15 * 60_000);
    expect(alignBarStart(OPEN_IST + 6 * 3_600_000, '1d')).toBe(MIDNIGHT_IST);
    expect(isAlignedBarStart(OPEN_IST + 1000, '1s')).toBe(true);
    expect(intervalMs('3m')).toBe(180_000);
  });
});
