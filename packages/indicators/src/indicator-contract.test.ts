// Behaviour every indicator shares: warm-up then ready, count of updates, reset equal to a fresh instance,
// RangeError for bad parameters, and non-finite input refused without touching state.
import { describe, expect, it } from 'vitest';
import { Atr } from './atr.ts';
import { Bollinger } from './bollinger.ts';
import { Ema } from './ema.ts';
import { Macd } from './macd.ts';
import { RollingVolatility } from './rolling-volatility.ts';
import { RollingZScore } from './rolling-z-score.ts';
import { Rsi } from './rsi.ts';
import { SessionVwap } from './session-vwap.ts';
import { Sma } from './sma.ts';
import { Wma } from './wma.ts';

interface Subject {
  update(x: number): unknown;
  readonly value: unknown;
  readonly ready: boolean;
  readonly count: number;
  reset(): void;
}

const adapt = (indicator: Omit<Subject, 'update'>, update: (x: number) => unknown): Subject => ({
  update,
  get value() {
    return indicator.value;
  },
  get ready() {
    return indicator.ready;
  },
  get count() {
    return indicator.count;
  },
  reset: () => indicator.reset(),
});

/** Name, factory and the number of updates before the first value. */
const CASES: readonly [string, () => Subject, number][] = [
  ['Sma(4)', () => new Sma(4), 4],
  ['Ema(4)', () => new Ema(4), 4],
  ['Wma(4)', () => new Wma(4), 4],
  ['Rsi(4)', () => new Rsi(4), 5],
  [
    'Atr(4)',
    () => {
      const atr = new Atr(4);
      return adapt(atr, (x) => atr.update({ high: x + 3, low: x - 2, close: x }));
    },
    4,
  ],
  [
    'SessionVwap',
    () => {
      const vwap = new SessionVwap();
      return adapt(vwap, (x) => vwap.update(x, 10, '2026-03-02'));
    },
    1,
  ],
  ['Bollinger(4, 2)', () => new Bollinger(4, 2), 4],
  ['Macd(2, 4, 3)', () => new Macd(2, 4, 3), 6],
  ['RollingZScore(4)', () => new RollingZScore(4), 4],
  ['RollingVolatility(4)', () => new RollingVolatility(4), 5],
];

const SERIES = [101, 103, 102.5, 99, 104, 108, 107, 111, 109, 115, 113, 112];

describe.each(CASES)('%s', (_name, make, warmUp) => {
  it('returns null while warming up, then a value with ready set', () => {
    const indicator = make();
    SERIES.forEach((x, i) => {
      const value = indicator.update(x);
      expect(value === null).toBe(i + 1 < warmUp);
      expect(indicator.ready).toBe(i + 1 >= warmUp);
      expect(indicator.value).toEqual(value);
      expect(indicator.count).toBe(i + 1);
    });
  });

  it('gives after reset exactly what a fresh instance gives', () => {
    const used = make();
    SERIES.forEach((x) => used.update(x * 3));
    used.reset();
    expect(used.count).toBe(0);
    expect(used.value).toBeNull();
    expect(used.ready).toBe(false);
    const fresh = make();
    expect(SERIES.map((x) => used.update(x))).toEqual(SERIES.map((x) => fresh.update(x)));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'refuses %s without changing state',
    (bad) => {
      const indicator = make();
      const reference = make();
      SERIES.slice(0, 7).forEach((x) => {
        indicator.update(x);
        reference.update(x);
      });
      const before = indicator.value;
      expect(() => indicator.update(bad)).toThrow(RangeError);
      expect(() => indicator.update(bad)).toThrow(new RegExp(String(bad)));
      expect(indicator.count).toBe(7);
      expect(indicator.value).toEqual(before);
      expect(SERIES.slice(7).map((x) => indicator.update(x))).toEqual(
        SERIES.slice(7).map((x) => reference.update(x)),
      );
    },
  );
});

describe('indicator constructors', () => {
  it.each([0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuse the period %s, naming it', (bad) => {
    const text = new RegExp(`period must be a positive integer, got ${String(bad)}`);
    expect(() => new Sma(bad)).toThrow(text);
    expect(() => new Ema(bad)).toThrow(text);
    expect(() => new Wma(bad)).toThrow(text);
    expect(() => new Rsi(bad)).toThrow(text);
    expect(() => new Atr(bad)).toThrow(text);
    expect(() => new Bollinger(bad)).toThrow(text);
    expect(() => new Macd(bad, 26, 9)).toThrow(text);
    expect(() => new Macd(12, 26, bad)).toThrow(text);
    expect(() => new RollingZScore(bad)).toThrow(text);
    expect(() => new RollingVolatility(bad)).toThrow(text);
    expect(() => new Sma(bad)).toThrow(RangeError);
  });

  it('use the documented defaults', () => {
    expect(new Rsi().period).toBe(14);
    expect(new Atr().period).toBe(14);
    const bands = new Bollinger();
    expect([bands.period, bands.k]).toEqual([20, 2]);
    const macd = new Macd();
    expect([macd.fast, macd.slow, macd.signal]).toEqual([12, 26, 9]);
  });
});
