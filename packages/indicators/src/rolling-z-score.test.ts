import { describe, expect, it } from 'vitest';
import { RollingZScore } from './rolling-z-score.ts';

describe('RollingZScore', () => {
  it('scores the newest value against the window that includes it', () => {
    const z = new RollingZScore(3);
    // z = (n·x − Σx) / √(n·Σx² − (Σx)²): [1, 2, 3] → 3/√6 = 1/√(2/3); [2, 3, 0] → −5/√14.
    const values = [1, 2, 3].map((x) => z.update(x));
    expect(values.slice(0, 2)).toEqual([null, null]);
    expect(values[2]).toBeCloseTo(1 / Math.sqrt(2 / 3), 15);
    expect(values[2]).toBe(3 / Math.sqrt(6));
    expect(z.update(0)).toBe(-5 / Math.sqrt(14));
  });

  it('is 0 on a flat window, exact or float', () => {
    const exact = new RollingZScore(4);
    const float = new RollingZScore(4);
    for (let i = 0; i < 10; i += 1) {
      exact.update(2_500_05);
      float.update(2500.05);
    }
    expect(exact.value).toBe(0);
    expect(float.value).toBe(0);
  });
});
