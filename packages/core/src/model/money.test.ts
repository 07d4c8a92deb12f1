/**
 * Money tests.
 * Property invariants: rupeesToPaise ∘ paiseToRupeesString is the identity on safe paise; float input
 * rounded half-up equals a BigInt reference on the shortest decimal; sums and products either are
 * exact or throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from './errors.ts';
import {
  addPaise,
  formatInr,
  mulPaise,
  paise,
  paiseToRupeesString,
  roundPaiseToRupee,
  rupeesToPaise,
  subPaise,
  sumPaise,
  type Paise,
} from './money.ts';

const safePaise = fc
  .integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
  .map((n) => n as Paise);

describe('paise', () => {
  it('rejects NaN, Infinity, fractions and unsafe integers', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, 1.5, 2 ** 53])
      expect(() => paise(bad)).toThrow(MoneyError);
    expect(paise(-0)).toBe(0);
    expect(Object.is(paise(-0), -0)).toBe(false);
  });
});

describe('rupeesToPaise', () => {
  it('parses decimal strings exactly', () => {
    expect(rupeesToPaise('1573.70')).toBe(157370);
    expect(rupeesToPaise('1573.7')).toBe(157370);
    expect(rupeesToPaise('-0.05')).toBe(-5);
    expect(rupeesToPaise('20')).toBe(2000);
    expect(rupeesToPaise('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses more than 2 decimals unless a rounding mode is given', () => {
    expect(() => rupeesToPaise('0.015')).toThrow(/more than 2 decimals/);
    expect(rupeesToPaise('0.015', 'half-up')).toBe(2);
    expect(rupeesToPaise('-0.015', 'half-up')).toBe(-2);
    expect(rupeesToPaise('0.015', 'half-even')).toBe(2);
    expect(rupeesToPaise('0.025', 'half-even')).toBe(2);
    expect(rupeesToPaise('0.019', 'truncate')).toBe(1);
  });

  it('refuses malformed strings and overflow', () => {
    for (const bad of ['', '1,000', '1e3', '.5', '1.', 'abc', '₹10'])
      expect(() => rupeesToPaise(bad)).toThrow(MoneyError);
    expect(() => rupeesToPaise('90071992547409.92')).toThrow(/overflows/);
  });

  it('needs a rounding mode for a float and reads its shortest decimal', () => {
    expect(() => rupeesToPaise(1.5 as unknown as string)).toThrow(/explicit rounding mode/);
    // 0.015 is 0.01499999… in binary; toFixed(2) gives "0.01", the decimal half-up rule gives 2 paise.
    expect(rupeesToPaise(0.015, 'half-up')).toBe(2);
    expect(rupeesToPaise(1573.7, 'half-up')).toBe(157370);
    expect(rupeesToPaise(1e-7, 'half-up')).toBe(0);
    expect(() => rupeesToPaise(1e21, 'half-up')).toThrow(/overflows/);
    expect(() => rupeesToPaise(Number.NaN, 'half-up')).toThrow(MoneyError);
  });
});

describe('rupeesToPaise (properties)', () => {
  it('inverts paiseToRupeesString', () => {
    fc.assert(fc.property(safePaise, (p) => rupeesToPaise(paiseToRupeesString(p)) === p));
  });

  it('rounds a float half-up like a BigInt reference on its shortest decimal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const x = units / 10 ** scale;
          const s = String(x);
          fc.pre(!s.includes('e'));
          const [int = '', frac = ''] = s.replace('-', '').split('.');
          const digits = BigInt(int + frac);
          const den = 10n ** BigInt(frac.length);
          // Reference: |x|·100 rounded half-up = floor((2·|x|·100 + 1) / 2), sign restored.
          const abs = (2n * digits * 100n + den) / (2n * den);
          const expected = Number(x < 0 ? -abs : abs);
          expect(rupeesToPaise(x, 'half-up')).toBe(expected === 0 ? 0 : expected);
        },
      ),
    );
  });
});

describe('paiseToRupeesString', () => {
  it('writes two decimals for any sign', () => {
    expect(paiseToRupeesString(paise(157370))).toBe('1573.70');
    expect(paiseToRupeesString(paise(-5))).toBe('-0.05');
    expect(paiseToRupeesString(paise(-157370))).toBe('-1573.70');
    expect(paiseToRupeesString(paise(0))).toBe('0.00');
  });
});

describe('formatInr', () => {
  it('groups the Indian way (lakh, crore)', () => {
    expect(formatInr(paise(12345670))).toBe('₹1,23,456.70');
    expect(formatInr(paise(1234567890))).toBe('₹1,23,45,678.90');
    expect(formatInr(paise(99900))).toBe('₹999.00');
    expect(formatInr(paise(100000))).toBe('₹1,000.00');
    expect(formatInr(paise(-12345670))).toBe('-₹1,23,456.70');
    expect(formatInr(paise(5))).toBe('₹0.05');
  });

  it('agrees with Intl en-IN grouping', () => {
    const intl = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 15 }), (n) => {
        expect(formatInr(paise(n))).toBe('₹' + intl.format(Number(paiseToRupeesString(paise(n)))));
      }),
    );
  });
});

describe('roundPaiseToRupee', () => {
  it('rounds 50 paise and above up, away from zero for negatives', () => {
    expect(roundPaiseToRupee(paise(12349))).toBe(12300);
    expect(roundPaiseToRupee(paise(12350))).toBe(12400);
    expect(roundPaiseToRupee(paise(-12350))).toBe(-12400);
    expect(roundPaiseToRupee(paise(-12349))).toBe(-12300);
  });
});

describe('addPaise / subPaise / mulPaise / sumPaise', () => {
  it('computes exactly and throws on overflow', () => {
    expect(addPaise(paise(1), paise(2))).toBe(3);
    expect(subPaise(paise(1), paise(2))).toBe(-1);
    expect(mulPaise(paise(157370), 65)).toBe(10229050);
    expect(sumPaise([paise(1), paise(2), paise(3)])).toBe(6);
    expect(() => addPaise(paise(Number.MAX_SAFE_INTEGER), paise(1))).toThrow(/overflows/);
    expect(() => mulPaise(paise(2 ** 40), 2 ** 14)).toThrow(/overflows/);
    expect(() => mulPaise(paise(10), 1.5)).toThrow(/not a safe integer/);
    expect(() => sumPaise([paise(Number.MAX_SAFE_INTEGER), paise(1)])).toThrow(MoneyError);
  });
});
