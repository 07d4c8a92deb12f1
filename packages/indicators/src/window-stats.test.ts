import { describe, expect, it } from 'vitest';
import { WindowStats } from './window-stats.ts';

describe('WindowStats', () => {
  it('keeps exact sums while the window holds integers and switches modes as values come and go', () => {
    const window = new WindowStats(3, { squares: true, weighted: true });
    [10, 20, 30].forEach((x) => window.push(x));
    expect(window.exact).toBe(true);
    expect(window.mean()).toBe(20);
    window.push(40.5);
    expect(window.exact).toBe(false);
    expect(window.values()).toEqual([20, 30, 40.5]);
    expect(window.mean()).toBeCloseTo(30.166666666666668, 14);
    [1, 2, 3].forEach((x) => window.push(x));
    // The re-sum every `period` pushes finds only integers and goes back to exact sums.
    expect(window.exact).toBe(true);
    expect(window.mean()).toBe(2);
    expect(window.weightedMean()).toBe(14 / 6);
    expect(window.variance()).toBe(2 / 3);
  });

  it('never returns a negative variance', () => {
    const window = new WindowStats(5, { squares: true });
    for (let i = 0; i < 200; i += 1) {
      window.push(0.1 * 3);
      expect(window.variance()).toBeGreaterThanOrEqual(0);
    }
    expect(window.variance()).toBe(0);
  });

  it('refuses values whose square would overflow', () => {
    expect(() => new WindowStats(2, { squares: true }).push(1e200)).toThrow(/1e\+200 is too large to square/);
  });

  it('refuses statistics it was not asked to keep', () => {
    const window = new WindowStats(2);
    window.push(1);
    expect(() => window.weightedMean()).toThrow(/without weighted/);
    expect(() => window.variance()).toThrow(/without squares/);
  });
});
