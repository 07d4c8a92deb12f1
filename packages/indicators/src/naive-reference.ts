// Reference implementations for the tests: every windowed value is recomputed from scratch over its window with
// exact rational arithmetic (BigInt), and the recursive indicators are written as the plain textbook loops.
// Nothing here is exported from the package.

import type { AtrBar } from './atr.ts';

const SCALE_BITS = 1074n;
const view = new DataView(new ArrayBuffer(8));

/** Returns x · 2^1074 as an exact BigInt (every finite double is an integer multiple of 2^-1074). */
export function scaledExact(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`scaledExact needs a finite number, got ${x}`);
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // value = mantissa · 2^(exponent − 1075) for normal numbers, fraction · 2^-1074 for subnormal ones.
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const shift = exponent === 0 ? 0n : BigInt(exponent - 1);
  const scaled = mantissa << shift;
  return negative ? -scaled : scaled;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length;
}

function timesPowerOfTwo(x: number, power: number): number {
  let result = x;
  let remaining = power;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}

/** Returns num/den rounded to a double (within one ulp); den > 0. */
export function ratioToNumber(num: bigint, den: bigint): number {
  if (den <= 0n) throw new RangeError(`ratioToNumber needs den > 0, got ${den}`);
  if (num === 0n) return 0;
  const k = 66 - (bitLength(num) - bitLength(den));
  const q = k >= 0 ? (num << BigInt(k)) / den : num / (den << BigInt(-k));
  return timesPowerOfTwo(Number(q), -k);
}

function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of negative ${n}`);
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Returns √(num/den) rounded to a double (within one ulp); num ≥ 0, den > 0. */
export function sqrtRatioToNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const k = Math.ceil((132 - (bitLength(num) - bitLength(den))) / 2);
  const q = k >= 0 ? (num << BigInt(2 * k)) / den : num / (den << BigInt(-2 * k));
  return timesPowerOfTwo(Number(isqrt(q)), -k);
}

/** Returns how many doubles lie between a and b (0 when equal). */
export function ulpDistance(a: number, b: number): number {
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.POSITIVE_INFINITY;
  const ordered = (x: number): bigint => {
    view.setFloat64(0, x);
    const bits = view.getBigInt64(0);
    return bits >= 0n ? bits : -(bits & 0x7fffffffffffffffn);
  };
  const distance = ordered(a) - ordered(b);
  return Number(distance < 0n ? -distance : distance);
}

/** Returns Σx / n of integer values as one division of the exact sum (what an exact SMA must return). */
export function integerMean(values: readonly number[]): number {
  let sum = 0n;
  for (const x of values) sum += BigInt(x);
  return Number(sum) / values.length;
}

/** Returns Σ i·x_i / Σ i (weights 1..n, oldest first) of integer values as one division of the exact sum. */
export function integerWeightedMean(values: readonly number[]): number {
  let sum = 0n;
  values.forEach((x, i) => {
    sum += BigInt(i + 1) * BigInt(x);
  });
  return Number(sum) / ((values.length * (values.length + 1)) / 2);
}

/** Returns the exact n·Σx² − (Σx)² of integer values rounded once, then divided by n² (the exact variance). */
export function integerVariance(values: readonly number[]): number {
  let sum = 0n;
  let squares = 0n;
  for (const x of values) {
    sum += BigInt(x);
    squares += BigInt(x) * BigInt(x);
  }
  const n = values.length;
  return Number(BigInt(n) * squares - sum * sum) / (n * n);
}

interface ExactMoments {
  readonly n: bigint;
  readonly sum: bigint;
  readonly scatter: bigint;
}

function exactMoments(values: readonly number[]): ExactMoments {
  let sum = 0n;
  let squares = 0n;
  for (const x of values) {
    const scaled = scaledExact(x);
    sum += scaled;
    squares += scaled * scaled;
  }
  const n = BigInt(values.length);
  return { n, sum, scatter: n * squares - sum * sum };
}

/** Returns the mean of any finite values, correctly rounded to within one ulp. */
export function exactMean(values: readonly number[]): number {
  const { n, sum } = exactMoments(values);
  return ratioToNumber(sum, n << SCALE_BITS);
}

/** Returns the population standard deviation of any finite values to within one ulp. */
export function exactStdDev(values: readonly number[]): number {
  const { n, scatter } = exactMoments(values);
  return sqrtRatioToNumber(scatter, (n * n) << (2n * SCALE_BITS));
}

/** Returns (x − mean)/stdDev of the window (x is its newest value) to within one ulp; 0 when flat. */
export function exactZScore(values: readonly number[], x: number): number {
  const { n, sum, scatter } = exactMoments(values);
  if (scatter === 0n) return 0;
  const deviation = n * scaledExact(x) - sum;
  const magnitude = sqrtRatioToNumber(deviation * deviation, scatter);
  return deviation < 0n ? -magnitude : magnitude;
}

/** Returns the windowed values of `f` over every full window of `series` (null before the first). */
export function rolling<T>(
  series: readonly number[],
  period: number,
  f: (window: number[]) => T,
): (T | null)[] {
  return series.map((_, i) => (i + 1 < period ? null : f(series.slice(i + 1 - period, i + 1))));
}

/** Returns the textbook EMA series: SMA seed of the first `period` values, then prev + α·(x − prev). */
export function recursiveEma(series: readonly number[], period: number): (number | null)[] {
  const alpha = 2 / (period + 1);
  const out: (number | null)[] = [];
  let previous: number | null = null;
  for (let i = 0; i < series.length; i += 1) {
    const x = series[i] ?? Number.NaN;
    if (i + 1 < period) {
      out.push(null);
    } else if (previous === null) {
      previous = series.slice(0, period).reduce((a, b) => a + b, 0) / period;
      out.push(previous);
    } else {
      previous = previous + alpha * (x - previous);
      out.push(previous);
    }
  }
  return out;
}

/** Returns the textbook Wilder RSI series. */
export function recursiveRsi(closes: readonly number[], period: number): (number | null)[] {
  const out: (number | null)[] = [null];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i += 1) {
    const change = (closes[i] ?? Number.NaN) - (closes[i - 1] ?? Number.NaN);
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    if (i < period) {
      gain += up;
      loss += down;
      out.push(null);
      continue;
    }
    if (i === period) {
      gain = (gain + up) / period;
      loss = (loss + down) / period;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    out.push(loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
  }
  return out.slice(0, closes.length);
}

/** Returns the textbook Wilder ATR series. */
export function recursiveAtr(bars: readonly AtrBar[], period: number): (number | null)[] {
  const ranges = bars.map((bar, i) => {
    const previous = bars[i - 1];
    if (previous === undefined) return bar.high - bar.low;
    return Math.max(
      bar.high - bar.low,
      Math.abs(bar.high - previous.close),
      Math.abs(bar.low - previous.close),
    );
  });
  const out: (number | null)[] = [];
  let atr = 0;
  ranges.forEach((range, i) => {
    if (i + 1 < period) {
      out.push(null);
    } else if (i + 1 === period) {
      atr = ranges.slice(0, period).reduce((a, b) => a + b, 0) / period;
      out.push(atr);
    } else {
      atr = (atr * (period - 1) + range) / period;
      out.push(atr);
    }
  });
  return out;
}

/** Returns the MACD series built from the textbook EMA series. */
export function recursiveMacd(
  series: readonly number[],
  fast: number,
  slow: number,
  signal: number,
): ({ macd: number; signal: number; histogram: number } | null)[] {
  const fastEma = recursiveEma(series, fast);
  const slowEma = recursiveEma(series, slow);
  const line = series
    .slice(slow - 1)
    .map((_, i) => (fastEma[i + slow - 1] ?? 0) - (slowEma[i + slow - 1] ?? 0));
  const signalEma = recursiveEma(line, signal);
  return series.map((_, i) => {
    const j = i - (slow - 1);
    const s = signalEma[j];
    const m = line[j];
    if (j < 0 || s === null || s === undefined || m === undefined) return null;
    return { macd: m, signal: s, histogram: m - s };
  });
}

/** One VWAP input. */
export interface VwapTrade {
  readonly price: number;
  readonly volume: number;
  readonly session: string;
}

/** Returns the session VWAP after each trade from exact sums over the session so far (integer inputs). */
export function integerSessionVwap(trades: readonly VwapTrade[]): (number | null)[] {
  return trades.map((trade, i) => {
    let start = i;
    while (start > 0 && trades[start - 1]?.session === trade.session) start -= 1;
    let priceVolume = 0n;
    let volume = 0n;
    for (const t of trades.slice(start, i + 1)) {
      priceVolume += BigInt(t.price) * BigInt(t.volume);
      volume += BigInt(t.volume);
    }
    return volume === 0n ? null : Number(priceVolume) / Number(volume);
  });
}
