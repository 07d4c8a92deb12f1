import { describe, expect, it } from 'vitest';
import { RollingVolatility, annualise } from './rolling-volatility.ts';

describe('RollingVolatility', () => {
  it('is the population stdev of the last period log returns, after period + 1 prices', () => {
    const vol = new RollingVolatility(2);
    expect(vol.update(100)).toBeNull();
    expect(vol.update(110)).toBeNull();
    const value = vol.update(99);
    expect(value).toBeCloseTo(Math.abs(Math.log(1.1) - Math.log(0.9)) / 2, 15);
  });

  it('is 0 for a constant price', () => {
    const vol = new RollingVolatility(5);
    for (let i = 0; i < 20; i += 1) vol.update(123_45);
    expect(vol.value).toBe(0);
  });

  it('annualises by √periodsPerYear', () => {
    expect(annualise(0.01, 252)).toBe(0.01 * Math.sqrt(252));
    expect(RollingVolatility.annualise(0.02, 4)).toBe(0.04);
    expect(() => annualise(0.01, 0)).toThrow(/periodsPerYear must be a finite number > 0, got 0/);
  });

  it('refuses prices ≤ 0', () => {
    expect(() => new RollingVolatility(3).update(0)).toThrow(/price must be > 0, got 0/);
  });
});
