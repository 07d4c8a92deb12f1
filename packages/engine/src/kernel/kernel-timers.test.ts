import { InvariantError, TestClock } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { DeferredTradingTimers, KernelTimers } from './kernel-timers.ts';

describe('KernelTimers', () => {
  it('arms clock timers that report their owner and name, and consumes only armed, due timers', () => {
    const clock = new TestClock(0);
    const fired: string[] = [];
    const timers = new KernelTimers(clock, false, (owner, name) => fired.push(`${owner}/${name}`));
    timers.set('trading', 'a', 100);
    timers.port('scheduler').set('b', 50);
    clock.advanceTo(200);
    expect(fired).toEqual(['scheduler/b', 'trading/a']);
    expect(timers.consume('trading', 'a', 99)).toBe(false);
    expect(timers.consume('trading', 'a', 200)).toBe(true);
    expect(timers.consume('trading', 'a', 200)).toBe(false);
    expect(timers.stale).toBe(2);
  });

  it('sets no clock timer when replaying but still tracks what is armed', () => {
    const clock = new TestClock(0);
    const timers = new KernelTimers(clock, true, () => undefined);
    timers.set('trading', 'a', 100);
    expect(clock.pendingTimers()).toEqual([]);
    expect(timers.consume('trading', 'a', 100)).toBe(true);
  });
});

describe('DeferredTradingTimers', () => {
  it('forwards to the bound timers and refuses use before binding', () => {
    const deferred = new DeferredTradingTimers();
    expect(() => deferred.set('x', 1)).toThrow(InvariantError);
    const calls: string[] = [];
    deferred.bind({ set: (n, at) => calls.push(`set ${n} ${at}`), cancel: (n) => calls.push(`cancel ${n}`) });
    deferred.set('x', 5);
    deferred.cancel('x');
    expect(calls).toEqual(['set x 5', 'cancel x']);
  });
});
