import { TestClock } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { ScaledClock } from './scaled-clock.ts';

const base0 = 1_000_000;
const simStart = Date.UTC(2026, 10, 23, 3, 45); // 09:15 IST

describe('ScaledClock', () => {
  it('reads startAtMs at creation and advances speed times as fast as its base', () => {
    const base = new TestClock(base0);
    const clock = new ScaledClock({ startAtMs: simStart, speed: 10, base });
    expect(clock.now()).toBe(simStart);
    base.advanceBy(1500);
    expect(clock.now()).toBe(simStart + 15_000);
  });

  it('runs at real speed with speed 1 (an offset only)', () => {
    const base = new TestClock(base0);
    const clock = new ScaledClock({ startAtMs: simStart, speed: 1, base });
    base.advanceBy(60_000);
    expect(clock.now()).toBe(simStart + 60_000);
  });

  it('fires a timer when the simulated time reaches it, with now() at or after the timer time', () => {
    const base = new TestClock(base0);
    const clock = new ScaledClock({ startAtMs: simStart, speed: 4, base });
    const fired: number[] = [];
    clock.setTimer('a', simStart + 10_000, () => fired.push(clock.now()));
    base.advanceBy(2499);
    expect(fired).toEqual([]);
    base.advanceBy(1);
    expect(fired).toEqual([simStart + 10_000]);
  });

  it('rounds a timer between base milliseconds up so it never fires early', () => {
    const base = new TestClock(base0);
    const clock = new ScaledClock({ startAtMs: simStart, speed: 3, base });
    let firedAt: number | undefined;
    clock.setTimer('odd', simStart + 10, () => (firedAt = clock.now()));
    base.advanceBy(3);
    expect(firedAt).toBeUndefined();
    base.advanceBy(1);
    expect(firedAt).toBe(simStart + 12);
  });

  it('replaces and cancels timers by name', () => {
    const base = new TestClock(base0);
    const clock = new ScaledClock({ startAtMs: simStart, speed: 2, base });
    const fired: string[] = [];
    clock.setTimer('a', simStart + 100, () => fired.push('first'));
    clock.setTimer('a', simStart + 200, () => fired.push('replaced'));
    clock.setTimer('b', simStart + 100, () => fired.push('cancelled'));
    clock.cancelTimer('b');
    base.advanceBy(1000);
    expect(fired).toEqual(['replaced']);
  });

  it('fires a timer set in the past at once', () => {
    const base = new TestClock(base0);
    const clock = new ScaledClock({ startAtMs: simStart, speed: 5, base });
    base.advanceBy(1000);
    let fired = false;
    clock.setTimer('late', simStart, () => (fired = true));
    base.advanceBy(0);
    expect(fired).toBe(true);
  });

  it('rejects a speed that is not a positive finite number and a non-integer start', () => {
    expect(() => new ScaledClock({ startAtMs: simStart, speed: 0 })).toThrow(/speed 0/);
    expect(() => new ScaledClock({ startAtMs: simStart, speed: Number.NaN })).toThrow(/speed NaN/);
    expect(() => new ScaledClock({ startAtMs: 1.5, speed: 1 })).toThrow(/startAtMs 1.5/);
  });
});
