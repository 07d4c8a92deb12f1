import { describe, expect, it } from 'vitest';
import { Ema } from './ema.ts';

describe('Ema', () => {
  it('seeds with the SMA of the first period values, then smooths with alpha = 2/(period+1)', () => {
    const ema = new Ema(3);
    expect(ema.alpha).toBe(0.5);
    expect([1, 2, 3, 4, 8].map((x) => ema.update(x))).toEqual([null, null, 2, 3, 5.5]);
  });

  it('stays exactly on a constant series', () => {
    const ema = new Ema(10);
    let last: number | null = null;
    for (let i = 0; i < 1000; i += 1) last = ema.update(123_456_789);
    expect(last).toBe(123_456_789);
  });
});
