// Property tests of the indicators against naive references that recompute every window from scratch.
// Invariants:
// 1. For safe-integer (paise) series, Sma and Wma equal the exact window mean / weighted mean (one rounding of the
//    exact BigInt sum, one division) bit for bit, and SessionVwap equals the exact session Σp·v / Σv bit for bit.
// 2. For safe-integer series, Bollinger's middle is the exact mean, its stdDev is within 2 ulps of the correctly
//    rounded population stdev, upper/lower are middle ± k·stdDev; RollingZScore is within 4 ulps of the exact
//    (x − mean)/stdev and exactly 0 on a flat window.
// 3. Ema, Rsi, Atr and Macd equal the textbook recursive loops bit for bit, on integer and on float series.
// 4. With non-integer inputs (compensated sums, periodic re-sums), Sma stays within 4 ulps of the exact mean,
//    Bollinger's stdDev within 1e-14 relative of the exact stdev, RollingZScore within 1e-13·max(1, |z|) of the
//    exact z-score, and RollingVolatility within 32 ulps of the exact stdev of the same log returns.
// 5. On 100 000 values of large magnitude, where naive running float sums do drift, the windowed indicators
//    still equal the from-scratch recomputation at every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Atr, type AtrBar } from './atr.ts';
import { Bollinger } from './bollinger.ts';
import { Ema } from './ema.ts';
import { Macd } from './macd.ts';
import {
  exactMean,
  exactStdDev,
  exactZScore,
  integerMean,
  integerSessionVwap,
  integerVariance,
  integerWeightedMean,
  recursiveAtr,
  recursiveEma,
  recursiveMacd,
  recursiveRsi,
  rolling,
  ulpDistance,
  type VwapTrade,
} from './naive-reference.ts';
import { RollingVolatility } from './rolling-volatility.ts';
import { RollingZScore } from './rolling-z-score.ts';
import { Rsi } from './rsi.ts';
import { SessionVwap } from './session-vwap.ts';
import { Sma } from './sma.ts';
import { Wma } from './wma.ts';

const paise = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.integer({ min: 1, max: 50_000_000 }),
  fc.integer({ min: 1, max: 4_000_000_000_000 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0),
);
const integerSeries = fc.array(paise, { minLength: 1, maxLength: 200 });
const period = fc.integer({ min: 1, max: 40 });
const floatPrice = fc.oneof(
  fc.integer({ min: 1, max: 100_000_000 }).map((k) => k / 100),
  fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
  fc.integer({ min: 1, max: 1_000_000_000 }),
);
const floatSeries = fc.array(floatPrice, { minLength: 1, maxLength: 200 });

function feed<T>(series: readonly number[], update: (x: number) => T): T[] {
  return series.map((x) => update(x));
}

describe('windowed indicators on integer series', () => {
  it('Sma equals the exact window mean bit for bit', () => {
    fc.assert(
      fc.property(integerSeries, period, (series, p) => {
        const sma = new Sma(p);
        expect(feed(series, (x) => sma.update(x))).toEqual(rolling(series, p, integerMean));
      }),
    );
  });

  it('Wma equals the exact weighted window mean bit for bit', () => {
    fc.assert(
      fc.property(integerSeries, period, (series, p) => {
        const wma = new Wma(p);
        expect(feed(series, (x) => wma.update(x))).toEqual(rolling(series, p, integerWeightedMean));
      }),
    );
  });

  it('Bollinger has the exact mean, a stdDev within 2 ulps, and bands at middle ± k·stdDev', () => {
    fc.assert(
      fc.property(integerSeries, period, fc.double({ min: 0.1, max: 4, noNaN: true }), (series, p, k) => {
        const bands = new Bollinger(p, k);
        const values = feed(series, (x) => bands.update(x));
        const windows = rolling(series, p, (w) => w);
        values.forEach((value, i) => {
          const window = windows[i];
          if (window === null || window === undefined) return expect(value).toBeNull();
          if (value === null) return expect.unreachable('Bollinger is ready once the window is full');
          expect(value.middle).toBe(integerMean(window));
          expect(value.stdDev).toBe(Math.sqrt(integerVariance(window)));
          expect(ulpDistance(value.stdDev, exactStdDev(window))).toBeLessThanOrEqual(2);
          expect(value.upper).toBe(value.middle + k * value.stdDev);
          expect(value.lower).toBe(value.middle - k * value.stdDev);
        });
      }),
    );
  });

  it('RollingZScore is within 4 ulps of the exact z-score', () => {
    fc.assert(
      fc.property(integerSeries, period, (series, p) => {
        const z = new RollingZScore(p);
        const values = feed(series, (x) => z.update(x));
        const expected = rolling(series, p, (w) => exactZScore(w, w[w.length - 1] ?? Number.NaN));
        values.forEach((value, i) => {
          const reference = expected[i];
          if (reference === null || reference === undefined) return expect(value).toBeNull();
          expect(ulpDistance(value ?? Number.NaN, reference)).toBeLessThanOrEqual(4);
        });
      }),
    );
  });

  it('SessionVwap equals the exact session Σp·v / Σv bit for bit', () => {
    const trade = fc.record({
      price: fc.integer({ min: 1, max: 5_000_000_000 }),
      volume: fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.constant(0)),
      session: fc.constantFrom('2026-03-02', '2026-03-03', '2026-03-04'),
    });
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 150 }), (trades: VwapTrade[]) => {
        const vwap = new SessionVwap();
        const values = trades.map((t) => vwap.update(t.price, t.volume, t.session));
        expect(values).toEqual(integerSessionVwap(trades));
      }),
    );
  });
});

describe('recursive indicators equal the textbook loops bit for bit', () => {
  const anySeries = fc.oneof(integerSeries, floatSeries);

  it('Ema', () => {
    fc.assert(
      fc.property(anySeries, period, (series, p) => {
        const ema = new Ema(p);
        expect(feed(series, (x) => ema.update(x))).toEqual(recursiveEma(series, p));
      }),
    );
  });

  it('Rsi', () => {
    fc.assert(
      fc.property(anySeries, period, (series, p) => {
        const rsi = new Rsi(p);
        expect(feed(series, (x) => rsi.update(x))).toEqual(recursiveRsi(series, p));
      }),
    );
  });

  it('Atr', () => {
    const bar = fc
      .tuple(fc.integer({ min: 1, max: 1_000_000_000 }), fc.nat(1_000_000), fc.nat(1_000_000))
      .map(([close, up, down]): AtrBar => ({ high: close + up, low: close - down, close }));
    fc.assert(
      fc.property(fc.array(bar, { minLength: 1, maxLength: 200 }), period, (bars, p) => {
        const atr = new Atr(p);
        expect(bars.map((b) => atr.update(b))).toEqual(recursiveAtr(bars, p));
      }),
    );
  });

  it('Macd', () => {
    const periods = fc
      .tuple(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 10 }),
      )
      .map(([fast, extra, signal]) => ({ fast, slow: fast + extra, signal }));
    fc.assert(
      fc.property(anySeries, periods, (series, { fast, slow, signal }) => {
        const macd = new Macd(fast, slow, signal);
        expect(feed(series, (x) => macd.update(x))).toEqual(recursiveMacd(series, fast, slow, signal));
      }),
    );
  });
});

describe('windowed indicators on non-integer series', () => {
  const mixedSeries = fc.array(fc.oneof(floatPrice, fc.integer({ min: 1, max: 1_000_000_000 })), {
    minLength: 1,
    maxLength: 300,
  });

  it('Sma stays within 4 ulps of the exact mean', () => {
    fc.assert(
      fc.property(mixedSeries, period, (series, p) => {
        const sma = new Sma(p);
        const values = feed(series, (x) => sma.update(x));
        const expected = rolling(series, p, exactMean);
        values.forEach((value, i) => {
          const reference = expected[i];
          if (reference === null || reference === undefined) return expect(value).toBeNull();
          expect(ulpDistance(value ?? Number.NaN, reference)).toBeLessThanOrEqual(4);
        });
      }),
    );
  });

  it('Bollinger stdDev stays within 1e-14 relative of the exact stdev', () => {
    fc.assert(
      fc.property(mixedSeries, period, (series, p) => {
        const bands = new Bollinger(p, 2);
        const values = feed(series, (x) => bands.update(x)?.stdDev ?? null);
        const expected = rolling(series, p, exactStdDev);
        values.forEach((value, i) => {
          const reference = expected[i];
          if (reference === null || reference === undefined) return expect(value).toBeNull();
          expect(Math.abs((value ?? Number.NaN) - reference)).toBeLessThanOrEqual(1e-14 * reference);
        });
      }),
    );
  });

  it('RollingZScore stays within 1e-13 · max(1, |z|) of the exact z-score', () => {
    fc.assert(
      fc.property(mixedSeries, period, (series, p) => {
        const z = new RollingZScore(p);
        const values = feed(series, (x) => z.update(x));
        const expected = rolling(series, p, (w) => exactZScore(w, w[w.length - 1] ?? Number.NaN));
        values.forEach((value, i) => {
          const reference = expected[i];
          if (reference === null || reference === undefined) return expect(value).toBeNull();
          expect(Math.abs((value ?? Number.NaN) - reference)).toBeLessThanOrEqual(
            1e-13 * Math.max(1, Math.abs(reference)),
          );
        });
      }),
    );
  });

  it('RollingVolatility stays within 32 ulps of the exact stdev of the same log returns', () => {
    const walk = fc
      .tuple(fc.integer({ min: 10_000, max: 1_000_000_000 }), fc.array(fc.integer({ min: -300, max: 300 })))
      .map(([start, steps]) => {
        const prices = [start];
        for (const step of steps)
          prices.push(Math.max(1, (prices[prices.length - 1] ?? start) * (1 + step / 10_000)));
        return prices;
      });
    fc.assert(
      fc.property(walk, period, (prices, p) => {
        const vol = new RollingVolatility(p);
        const values = feed(prices, (x) => vol.update(x));
        const returns = prices.slice(1).map((x, i) => {
          const previous = prices[i] ?? Number.NaN;
          return Math.log1p((x - previous) / previous);
        });
        const expected = [null, ...rolling(returns, p, exactStdDev)];
        values.forEach((value, i) => {
          const reference = expected[i];
          if (reference === null || reference === undefined) return expect(value).toBeNull();
          expect(ulpDistance(value ?? Number.NaN, reference)).toBeLessThanOrEqual(32);
        });
      }),
    );
  });
});

describe('long series of large magnitude', () => {
  /** xorshift32: a fixed, reproducible series. */
  function generator(seed: number): () => number {
    let state = seed >>> 0 || 1;
    return () => {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      return state / 2 ** 32;
    };
  }

  const LONG_SERIES: readonly [string, (next: () => number) => number][] = [
    // Σx passes 2^53 within a window, Σx² and Σi·x on nearly every value.
    ['notional-sized paise up to 10^15', (next) => 1 + Math.floor(next() * 1e15)],
    // Σx² − (Σx)²/n cancels: a running float variance loses most of its digits.
    ['prices near 10^9 paise with a small spread', (next) => 1_000_000_000 + Math.floor(next() * 20_000)],
  ];

  it.each(LONG_SERIES)(
    'keeps Sma, Wma, Bollinger and RollingZScore equal to from-scratch windows over 100 000 %s',
    (_name, draw) => {
      const n = 100_000;
      const p = 20;
      const next = generator(20_260_302);
      const series = Array.from({ length: n }, () => draw(next));
      const sma = new Sma(p);
      const wma = new Wma(p);
      const bands = new Bollinger(p, 2);
      const z = new RollingZScore(p);
      let naiveSum = 0;
      let naiveSquares = 0;
      let naiveMismatches = 0;
      let mismatches = 0;
      for (let i = 0; i < n; i += 1) {
        const x = series[i] ?? 0;
        const smaValue = sma.update(x);
        const wmaValue = wma.update(x);
        const band = bands.update(x);
        const zValue = z.update(x);
        naiveSum += x;
        naiveSquares += x * x;
        const old = series[i - p];
        if (old !== undefined) {
          naiveSum -= old;
          naiveSquares -= old * old;
        }
        if (i + 1 < p) continue;
        let s = 0n;
        let q = 0n;
        let w = 0n;
        for (let j = 0; j < p; j += 1) {
          const v = BigInt(series[i + 1 - p + j] ?? 0);
          s += v;
          q += v * v;
          w += BigInt(j + 1) * v;
        }
        const scatter = Number(BigInt(p) * q - s * s);
        const mean = Number(s) / p;
        const variance = scatter / (p * p);
        const zScore = scatter === 0 ? 0 : Number(BigInt(p) * BigInt(x) - s) / Math.sqrt(scatter);
        if (
          smaValue !== mean ||
          wmaValue !== Number(w) / ((p * (p + 1)) / 2) ||
          band?.middle !== mean ||
          band.stdDev !== Math.sqrt(variance) ||
          zValue !== zScore
        ) {
          mismatches += 1;
        }
        const naiveVariance = naiveSquares / p - (naiveSum / p) ** 2;
        if (naiveSum / p !== mean || Math.abs(naiveVariance - variance) > 1e-9 * variance)
          naiveMismatches += 1;
      }
      expect(mismatches).toBe(0);
      // The data is hard enough that running float sums do go wrong on it.
      expect(naiveMismatches).toBeGreaterThan(n / 10);
    },
  );

  it('keeps Sma within 4 ulps of the exact mean over 100 000 rupee prices with paise decimals', () => {
    const n = 100_000;
    const p = 50;
    const next = generator(7);
    let price = 2_500;
    const series = Array.from({ length: n }, () => {
      price = Math.max(1, Math.round((price + (next() - 0.5) * 20) * 100) / 100);
      return price;
    });
    const sma = new Sma(p);
    let worst = 0;
    series.forEach((x, i) => {
      const value = sma.update(x);
      if (i + 1 >= p && i % 97 === 0) {
        worst = Math.max(worst, ulpDistance(value ?? Number.NaN, exactMean(series.slice(i + 1 - p, i + 1))));
      }
    });
    expect(worst).toBeLessThanOrEqual(4);
  });
});
