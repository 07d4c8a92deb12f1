import { TestClock } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.ts';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, not before', () => {
    const clock = new TestClock(0);
    const breaker = new CircuitBreaker(clock, { failureThreshold: 3, coolDownMs: 1000 });
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.state).toBe('closed');
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.tryPass()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryPass()).toBe(false);
    expect(breaker.retryInMs()).toBe(1000);
  });

  it('lets exactly one probe through after the cool-down and reopens when it fails', () => {
    const clock = new TestClock(0);
    const breaker = new CircuitBreaker(clock, { failureThreshold: 1, coolDownMs: 1000 });
    breaker.onFailure();
    clock.advanceBy(1000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryPass()).toBe(true);
    expect(breaker.tryPass()).toBe(false);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    clock.advanceBy(999);
    expect(breaker.tryPass()).toBe(false);
    clock.advanceBy(1);
    expect(breaker.tryPass()).toBe(true);
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('closes when a probe ends with a broker rejection (the service answered)', () => {
    const clock = new TestClock(0);
    const breaker = new CircuitBreaker(clock, { failureThreshold: 1, coolDownMs: 10 });
    breaker.onFailure();
    clock.advanceBy(10);
    expect(breaker.tryPass()).toBe(true);
    breaker.onNeutral();
    expect(breaker.state).toBe('closed');
  });
});
