import { describe, expect, it } from 'vitest';
import { Wma } from './wma.ts';

describe('Wma', () => {
  it('weights the window 1..period with the newest heaviest', () => {
    const wma = new Wma(3);
    expect([1, 2, 3, 4, 0].map((x) => wma.update(x))).toEqual([null, null, 14 / 6, 20 / 6, 11 / 6]);
  });

  it('is the value itself for period 1', () => {
    const wma = new Wma(1);
    expect([5, -3, 2.5].map((x) => wma.update(x))).toEqual([5, -3, 2.5]);
  });
});
