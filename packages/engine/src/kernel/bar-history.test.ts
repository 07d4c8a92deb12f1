import { instrumentId, makeBar, paise, type Bar } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { BarHistory } from './bar-history.ts';

const ID = instrumentId('RELIANCE', 'NSE');
const T0 = Date.UTC(2026, 10, 20, 3, 45);

function bar(i: number, close = 100 + i): Bar {
  return makeBar({
    instrumentId: ID,
    interval: '1m',
    start: T0 + i * 60_000,
    openPaise: paise(close),
    highPaise: paise(close),
    lowPaise: paise(close),
    closePaise: paise(close),
    volume: 1,
    oi: null,
    origin: 'live',
  });
}

describe('BarHistory', () => {
  it('keeps the newest bars up to its capacity, oldest first', () => {
    const history = new BarHistory(500);
    for (let i = 0; i < 600; i++) expect(history.append(bar(i))).toBe('appended');
    const all = history.bars(ID, '1m');
    expect(all).toHaveLength(500);
    expect(all[0]?.start).toBe(bar(100).start);
    expect(all[499]?.start).toBe(bar(599).start);
    expect(history.bars(ID, '1m', 3).map((b) => b.closePaise)).toEqual([697, 698, 699]);
  });

  it('replaces the newest bar with a repaired one and refuses older bars', () => {
    const history = new BarHistory();
    history.append(bar(0));
    history.append(bar(1));
    expect(history.append(bar(1, 555))).toBe('replaced');
    expect(history.append(bar(0))).toBe('stale');
    expect(history.bars(ID, '1m').map((b) => b.closePaise)).toEqual([100, 555]);
  });

  it('returns nothing for an instrument or interval without bars and refuses a small capacity', () => {
    expect(new BarHistory().bars(ID, '5m')).toEqual([]);
    expect(() => new BarHistory(10)).toThrow(/≥ 500/);
  });
});
