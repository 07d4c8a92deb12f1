import { describe, expect, it, vi } from 'vitest';
import { SystemClock } from './system-clock.ts';

describe('SystemClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('fires a timer at its time, replaces a timer of the same name and cancels one', async () => {
    const clock = new SystemClock();
    const fired: string[] = [];
    clock.setTimer('a', clock.now() + 5, () => fired.push('first'));
    clock.setTimer('a', clock.now() + 10, () => fired.push('replaced'));
    clock.setTimer('b', clock.now() + 5, () => fired.push('cancelled'));
    clock.cancelTimer('b');
    clock.cancelTimer('unknown');
    await vi.waitFor(() => expect(fired).toEqual(['replaced']));
  });

  it('fires a timer set in the past as soon as possible', async () => {
    const clock = new SystemClock({ keepAlive: true });
    const fired: number[] = [];
    clock.setTimer('late', clock.now() - 1000, () => fired.push(1));
    await vi.waitFor(() => expect(fired).toEqual([1]));
  });
});
