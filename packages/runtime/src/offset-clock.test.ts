import { TestClock } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { OffsetClock } from './offset-clock.ts';

const base0 = 1_000_000;
const offset = Date.UTC(2026, 10, 23, 4, 30) - base0; // base0 reads 10:00 IST on 2026-11-23

describe('OffsetClock', () => {
  it('reads the base clock plus the offset and advances with it', () => {
    const base = new TestClock(base0);
    const clock = new OffsetClock({ offsetMs: offset, base });
    expect(clock.now()).toBe(Date.UTC(2026, 10, 23, 4, 30));
    base.advanceBy(1234);
    expect(clock.now()).toBe(Date.UTC(2026, 10, 23, 4, 30) + 1234);
    expect(new OffsetClock({ offsetMs: -500, base }).now()).toBe(base.now() - 500);
  });

  it('fires a timer when its own time reaches the timer time, never earlier', () => {
    const base = new TestClock(base0);
    const clock = new OffsetClock({ offsetMs: offset, base });
    const fired: number[] = [];
    clock.setTimer('a', clock.now() + 10_000, () => fired.push(clock.now()));
    base.advanceBy(9_999);
    expect(fired).toEqual([]);
    base.advanceBy(1);
    expect(fired).toEqual([Date.UTC(2026, 10, 23, 4, 30) + 10_000]);
  });

  it('replaces and cancels timers by name', () => {
    const base = new TestClock(base0);
    const clock = new OffsetClock({ offsetMs: 7, base });
    const fired: string[] = [];
    clock.setTimer('a', clock.now() + 100, () => fired.push('first'));
    clock.setTimer('a', clock.now() + 200, () => fired.push('replaced'));
    clock.setTimer('b', clock.now() + 100, () => fired.push('cancelled'));
    clock.cancelTimer('b');
    base.advanceBy(1000);
    expect(fired).toEqual(['replaced']);
  });

  it('rejects an offset that is not an integer', () => {
    expect(() => new OffsetClock({ offsetMs: 1.5 })).toThrow(/offset 1.5 ms/);
    expect(() => new OffsetClock({ offsetMs: Number.NaN })).toThrow(/offset NaN ms/);
  });
});
