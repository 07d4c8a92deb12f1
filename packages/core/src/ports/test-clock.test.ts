import { describe, expect, it } from 'vitest';
import { InvariantError } from '../model/errors.ts';
import { TestClock } from './test-clock.ts';

describe('TestClock', () => {
  it('fires due timers in time order, with now() at each timer time', () => {
    const clock = new TestClock(1_000);
    const fired: [string, number][] = [];
    const log = (name: string) => () => fired.push([name, clock.now()]);
    clock.setTimer('c', 3_000, log('c'));
    clock.setTimer('a', 1_500, log('a'));
    clock.setTimer('b', 1_500, log('b'));
    clock.setTimer('late', 9_000, log('late'));
    clock.advanceTo(5_000);
    expect(fired).toEqual([
      ['a', 1_500],
      ['b', 1_500],
      ['c', 3_000],
    ]);
    expect(clock.now()).toBe(5_000);
    expect(clock.pendingTimers()).toEqual([{ name: 'late', atMs: 9_000 }]);
  });

  it('fires timers set by a callback when they fall inside the same advance', () => {
    const clock = new TestClock(0);
    const fired: number[] = [];
    const again = () => {
      fired.push(clock.now());
      if (clock.now() < 400) clock.setTimer('tick', clock.now() + 100, again);
    };
    clock.setTimer('tick', 100, again);
    clock.advanceTo(350);
    expect(fired).toEqual([100, 200, 300]);
    clock.advanceBy(1_000);
    expect(fired).toEqual([100, 200, 300, 400]);
  });

  it('replaces a timer of the same name and cancels by name', () => {
    const clock = new TestClock(0);
    const fired: string[] = [];
    clock.setTimer('x', 10, () => fired.push('first'));
    clock.setTimer('x', 20, () => fired.push('second'));
    clock.setTimer('y', 15, () => fired.push('y'));
    clock.cancelTimer('y');
    clock.cancelTimer('unknown');
    clock.advanceTo(100);
    expect(fired).toEqual(['second']);
  });

  it('fires a timer set in the past on the next advance without moving time backwards', () => {
    const clock = new TestClock(1_000);
    const seen: number[] = [];
    clock.setTimer('past', 500, () => seen.push(clock.now()));
    clock.advanceTo(1_000);
    expect(seen).toEqual([1_000]);
  });

  it('throws when asked to go backwards', () => {
    const clock = new TestClock(1_000);
    expect(() => clock.advanceTo(999)).toThrow(InvariantError);
    expect(() => clock.advanceTo(999)).toThrow(/backwards from 1000 to 999/);
  });
});
