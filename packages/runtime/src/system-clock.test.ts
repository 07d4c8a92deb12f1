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

  it('never runs a callback while now() still reads a time before the timer (a timeout may fire early)', async () => {
    const clock = new SystemClock({ keepAlive: true });
    const atMs = Date.now() + 30;
    const seen: number[] = [];
    // The delay is computed from the first reading; when the timeout fires, the wall clock still reads 1 ms early.
    const spy = vi
      .spyOn(Date, 'now')
      .mockReturnValueOnce(atMs - 40)
      .mockReturnValueOnce(atMs - 1);
    try {
      clock.setTimer('early', atMs, () => seen.push(clock.now()));
      await vi.waitFor(() => expect(seen).toHaveLength(1));
    } finally {
      spy.mockRestore();
    }
    expect(seen[0]).toBeGreaterThanOrEqual(atMs);
  });
});
