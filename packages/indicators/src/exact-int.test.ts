import { describe, expect, it } from 'vitest';
import { ExactInt, exactDeviation, exactScatter } from './exact-int.ts';

describe('ExactInt', () => {
  it('stays exact across 2^53 and returns to a Number below it', () => {
    const sum = new ExactInt();
    const max = Number.MAX_SAFE_INTEGER;
    sum.add(max);
    sum.add(max);
    expect(sum.smallValue).toBeNull();
    expect(sum.toBigInt()).toBe(2n * BigInt(max));
    sum.sub(max);
    expect(sum.smallValue).toBe(max);
  });

  it('adds products exactly when they exceed 2^53', () => {
    const sum = new ExactInt();
    sum.addProduct(1_000_000_007, 1_000_000_009);
    sum.subProduct(1_000_000_007, 1_000_000_008);
    expect(sum.smallValue).toBe(1_000_000_007);
  });

  it('subtracts another accumulator, small or big', () => {
    const a = new ExactInt();
    const b = new ExactInt();
    a.addProduct(3_000_000_000, 3_000_000_000);
    b.addProduct(3_000_000_000, 2_999_999_999);
    a.subExact(b);
    expect(a.smallValue).toBe(3_000_000_000);
  });

  it('computes the variance numerator and the deviation exactly', () => {
    const sum = new ExactInt();
    const squares = new ExactInt();
    for (const x of [1_000_000_000, 1_000_000_001, 1_000_000_003]) {
      sum.add(x);
      squares.addProduct(x, x);
    }
    // n·Σx² − (Σx)² does not depend on a common offset: with offsets 0, 1, 3 it is 3·(0 + 1 + 9) − 4² = 14.
    expect(exactScatter(3, sum, squares)).toBe(14);
    expect(exactDeviation(3, 1_000_000_003, sum)).toBe(5);
  });
});
