/**
 * Rate tests.
 * Property invariants: applyRate equals a BigInt half-up reference; it is monotone in the value
 * (v1 ≤ v2 ⇒ applyRate(v1) ≤ applyRate(v2)) for both roundings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from './errors.ts';
import { paise, type Paise } from './money.ts';
import { applyRate, rate, rateToString } from './rate.ts';

const value = fc.integer({ min: -(10 ** 12), max: 10 ** 12 }).map((n) => n as Paise);
const rateText = fc
  .tuple(fc.integer({ min: 0, max: 10 ** 7 }), fc.integer({ min: 4, max: 12 }))
  .map(([u, s]) =>
    s === 0 ? String(u) : `${Math.floor(u / 10 ** s)}.${String(u % 10 ** s).padStart(s, '0')}`,
  );

describe('rate', () => {
  it('reads decimals and percentages exactly', () => {
    expect(rate('0.0000307')).toMatchObject({ numerator: 307n, denominator: 10_000_000n });
    expect(rate('18%')).toMatchObject({ numerator: 9n, denominator: 50n });
    expect(rate('0.00307%')).toMatchObject({ numerator: 307n, denominator: 10_000_000n });
    expect(rateToString(rate('0.00025'))).toBe('0.00025');
    expect(rateToString(rate('18%'))).toBe('0.18');
  });

  it('refuses negative and malformed rates', () => {
    for (const bad of ['-0.1', 'abc', '1/3', '', '%']) expect(() => rate(bad)).toThrow(MoneyError);
  });
});

describe('applyRate', () => {
  it('rounds to the paisa half-up', () => {
    // Exchange charge 0.0000307 × ₹1,00,000 = ₹3.07.
    expect(applyRate(paise(10_000_000), rate('0.0000307'), 'paisa')).toBe(307);
    // GST 18% of 1.5 paise = 0.27 → 0; of 25 paise = 4.5 → 5.
    expect(applyRate(paise(25), rate('18%'), 'paisa')).toBe(5);
    expect(applyRate(paise(-25), rate('18%'), 'paisa')).toBe(-5);
  });

  it('rounds STT to the rupee, 50 paise and above up (market-rules.md §1.4)', () => {
    // 0.00025 × ₹2,02,000 = ₹50.50 → ₹51; × ₹2,01,960 = ₹50.49 → ₹50.
    expect(applyRate(paise(20_200_000), rate('0.00025'), 'rupee')).toBe(5100);
    expect(applyRate(paise(20_196_000), rate('0.00025'), 'rupee')).toBe(5000);
  });

  it('matches a BigInt half-up reference and is monotone in value', () => {
    fc.assert(
      fc.property(
        value,
        value,
        rateText,
        fc.constantFrom('paisa' as const, 'rupee' as const),
        (a, b, text, to) => {
          const r = rate(text);
          const unit = to === 'rupee' ? 100n : 1n;
          const n = BigInt(a) * r.numerator;
          const d = r.denominator * unit;
          const abs = (2n * (n < 0n ? -n : n) + d) / (2n * d);
          const expected = Number((n < 0n ? -abs : abs) * unit);
          expect(applyRate(a, r, to)).toBe(expected === 0 ? 0 : expected);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(applyRate(lo, r, to)).toBeLessThanOrEqual(applyRate(hi, r, to));
        },
      ),
    );
  });
});
