import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, divRoundNumber, ROUNDING_MODES } from './rounding.ts';

describe('divRoundNumber', () => {
  it('equals the BigInt divRound for every safe integer pair and mode', () => {
    const safe = fc.oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    );
    fc.assert(
      fc.property(safe, safe, fc.constantFrom(...ROUNDING_MODES), (n, d, mode) => {
        fc.pre(d !== 0);
        expect(divRoundNumber(n, d, mode)).toBe(Number(divRound(BigInt(n), BigInt(d), mode)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds halves by the mode, never returns -0 and refuses a zero divisor', () => {
    expect(divRoundNumber(5, 2, 'half-up')).toBe(3);
    expect(divRoundNumber(-5, 2, 'half-up')).toBe(-3);
    expect(divRoundNumber(5, 2, 'half-even')).toBe(2);
    expect(divRoundNumber(7, -2, 'floor')).toBe(-4);
    expect(Object.is(divRoundNumber(-1, 3, 'truncate'), 0)).toBe(true);
    expect(() => divRoundNumber(1, 0, 'half-up')).toThrow(/division by zero/);
  });
});
