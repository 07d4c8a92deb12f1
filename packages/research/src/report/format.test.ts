import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatCount,
  formatDurationMs,
  formatFixed,
  formatIstDateTime,
  formatPaise,
  formatPct,
  formatRatio,
  MISSING,
} from './format.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('plain ₹ text')).toBe('plain ₹ text');
  });
});

describe('formatPaise', () => {
  it('shows rupees with en-IN grouping', () => {
    expect(formatPaise(12_345_678)).toBe('₹1,23,456.78');
    expect(formatPaise(1_000_000_000)).toBe('₹1,00,00,000.00');
    expect(formatPaise(-500)).toBe('-₹5.00');
    expect(formatPaise(0)).toBe('₹0.00');
    expect(formatPaise(7)).toBe('₹0.07');
  });

  it('keeps up to two more decimals of a fractional amount', () => {
    expect(formatPaise(157_370.25)).toBe('₹1,573.7025');
    expect(formatPaise(157_370.5)).toBe('₹1,573.705');
    expect(formatPaise(-157_370.25)).toBe('-₹1,573.7025');
    expect(formatPaise(157_370.001)).toBe('₹1,573.70'); // below a hundredth of a paisa
    expect(formatPaise(-0.004)).toBe('₹0.00'); // no sign on what rounds to zero
  });

  it('shows an em dash for null and non-finite values', () => {
    for (const missing of [null, undefined, Number.NaN, Infinity, -Infinity]) {
      expect(formatPaise(missing)).toBe(MISSING);
    }
  });
});

describe('formatPct, formatRatio, formatFixed, formatCount', () => {
  it('rounds a computed value as its decimal reading', () => {
    expect(formatPct(3.4549999999999996)).toBe('3.46%'); // (103455 − 100000) / 100000 × 100
    expect(formatPct(-12.344)).toBe('-12.34%');
    expect(formatRatio(1.925066)).toBe('1.93');
  });

  it('never prints a negative zero', () => {
    expect(formatPct(-0.001)).toBe('0.00%');
    expect(formatFixed(-0, 2)).toBe('0.00');
  });

  it('groups large numbers the Indian way and writes huge ones with an exponent', () => {
    expect(formatFixed(1_234_567.891, 2)).toBe('12,34,567.89');
    expect(formatPct(1e25)).toBe('1.00e+25%');
    expect(formatCount(1_234_567)).toBe('12,34,567');
    expect(formatCount(-1_000)).toBe('-1,000');
  });

  it('shows an em dash for null and non-finite values', () => {
    expect(formatPct(null)).toBe(MISSING);
    expect(formatPct(Number.NaN)).toBe(MISSING);
    expect(formatRatio(Infinity)).toBe(MISSING);
    expect(formatCount(undefined)).toBe(MISSING);
  });
});

describe('formatIstDateTime', () => {
  it('shows the IST wall time with the zone named', () => {
    expect(formatIstDateTime(Date.UTC(2026, 10, 23, 3, 45, 0))).toBe('2026-11-23 09:15:00 IST');
    expect(formatIstDateTime(Date.UTC(2026, 10, 23, 20, 0, 0))).toBe('2026-11-24 01:30:00 IST');
  });

  it('shows an em dash for a missing or non-integer instant', () => {
    expect(formatIstDateTime(undefined)).toBe(MISSING);
    expect(formatIstDateTime(Number.NaN)).toBe(MISSING);
    expect(formatIstDateTime(1.5)).toBe(MISSING);
  });
});

describe('formatDurationMs', () => {
  it('shows hours, minutes and seconds as needed', () => {
    expect(formatDurationMs(250)).toBe('0.250s');
    expect(formatDurationMs(125_000)).toBe('2m 05.000s');
    expect(formatDurationMs(3_723_456)).toBe('1h 02m 03.456s');
    expect(formatDurationMs(-1)).toBe(MISSING);
  });
});
