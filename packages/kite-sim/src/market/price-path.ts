// A synthetic price path that is a pure function of (seed, stream, minute): log price = multi-octave value
// noise over session minutes + a per-day opening gap + per-minute noise. Inside a minute the price moves
// piecewise-linearly open → first extreme → second extreme → close, so a minute's high and low are exact
// (no sampling) and every price streamed during the minute lies inside its candle.
import { hashSigned, hashUnit } from './hash.ts';
import { dayOfMinute, SESSION_MINUTES } from './session-time.ts';

/** The float shape of one minute of an underlying path (values in rupees, not yet on the tick grid). */
export interface MinuteShape {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Second (1–57) of the first extreme. */
  readonly firstAt: number;
  /** Second (2–58) of the second extreme. */
  readonly secondAt: number;
  /** True when the high comes before the low. */
  readonly highFirst: boolean;
}

const OCTAVE_PERIODS = [4, 16, 64, 256, 1024, 4096, 16384, 65536] as const;
const GAP_STREAM = 1_000;
const WHITE_STREAM = 2_000;
const SHAPE_STREAM = 3_000;

/** Returns smooth value noise in [-1, 1] at x (smoothstep between hashed lattice values). */
export function smoothNoise(seed: number, stream: number, octave: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const s = f * f * (3 - 2 * f);
  const a = hashSigned(seed, stream, octave, i);
  const b = hashSigned(seed, stream, octave, i + 1);
  return a + (b - a) * s;
}

/** The price path of one underlying (an equity or the index). */
export class UnderlyingPath {
  readonly #seed: number;
  readonly #stream: number;
  readonly #base: number;
  readonly #minuteVol: number;
  readonly #gapVol: number;
  #memoMinute = Number.NaN;
  #memoValue = 0;
  #memoMinute2 = Number.NaN;
  #memoValue2 = 0;

  /** Creates the path of `stream` around `baseRupees` with an approximate daily volatility (e.g. 0.012). */
  constructor(seed: number, stream: number, baseRupees: number, dailyVol: number) {
    this.#seed = seed;
    this.#stream = stream;
    this.#base = baseRupees;
    this.#minuteVol = dailyVol / Math.sqrt(SESSION_MINUTES);
    this.#gapVol = dailyVol * 0.4;
  }

  #trend(minute: number): number {
    let sum = 0;
    for (let k = 0; k < OCTAVE_PERIODS.length; k++) {
      const period = OCTAVE_PERIODS[k] as number;
      sum +=
        smoothNoise(this.#seed, this.#stream, k, minute / period) * this.#minuteVol * Math.sqrt(period) * 0.9;
    }
    return sum;
  }

  #gap(day: number): number {
    return hashSigned(this.#seed, this.#stream + GAP_STREAM, day) * this.#gapVol;
  }

  /** Returns the close value of a session minute. */
  close(minute: number): number {
    // Candle loops ask for close(m - 1) and close(m) in turn: remember the last two answers.
    if (minute === this.#memoMinute) return this.#memoValue;
    if (minute === this.#memoMinute2) return this.#memoValue2;
    const value = this.#computeClose(minute);
    this.#memoMinute2 = this.#memoMinute;
    this.#memoValue2 = this.#memoValue;
    this.#memoMinute = minute;
    this.#memoValue = value;
    return value;
  }

  #computeClose(minute: number): number {
    const white = hashSigned(this.#seed, this.#stream + WHITE_STREAM, minute) * this.#minuteVol * 0.6;
    return this.#base * Math.exp(this.#trend(minute) + this.#gap(dayOfMinute(minute)) + white);
  }

  /** Returns the open value of a session minute: the previous close, moved by the day's gap at a session start. */
  open(minute: number): number {
    const day = dayOfMinute(minute);
    if (minute !== day * SESSION_MINUTES) return this.close(minute - 1);
    return this.close(minute - 1) * Math.exp(this.#gap(day) - this.#gap(day - 1));
  }

  /** Returns the full float shape of a session minute. */
  shape(minute: number): MinuteShape {
    const open = this.open(minute);
    const close = this.close(minute);
    const r1 = hashUnit(this.#seed, this.#stream + SHAPE_STREAM, minute, 1);
    const r2 = hashUnit(this.#seed, this.#stream + SHAPE_STREAM, minute, 2);
    const r3 = hashUnit(this.#seed, this.#stream + SHAPE_STREAM, minute, 3);
    const r4 = hashUnit(this.#seed, this.#stream + SHAPE_STREAM, minute, 4);
    const excursion = close * this.#minuteVol * 0.5;
    const high = Math.max(open, close) + excursion * r1;
    const low = Math.min(open, close) - excursion * r2;
    const a = 1 + Math.floor(r3 * 56);
    const b = 1 + Math.floor(r4 * 56);
    const firstAt = Math.min(a, b);
    const secondAt = Math.max(a, b) === firstAt ? firstAt + 1 : Math.max(a, b);
    return { open, high, low, close, firstAt, secondAt, highFirst: r1 >= r2 };
  }
}

/** Returns the value of a minute shape at a second (0 = open, 59 = close), linear between the turning points. */
export function valueAtSecond(shape: MinuteShape, second: number): number {
  const first = shape.highFirst ? shape.high : shape.low;
  const secondValue = shape.highFirst ? shape.low : shape.high;
  if (second <= shape.firstAt) return lerp(shape.open, first, second / shape.firstAt);
  if (second <= shape.secondAt)
    return lerp(first, secondValue, (second - shape.firstAt) / (shape.secondAt - shape.firstAt));
  return lerp(secondValue, shape.close, (second - shape.secondAt) / (59 - shape.secondAt));
}

/** Returns the highest and lowest values of a minute shape over seconds 0…`second` (inclusive). */
export function rangeUpTo(
  shape: MinuteShape,
  second: number,
): { readonly high: number; readonly low: number } {
  const now = valueAtSecond(shape, second);
  let high = Math.max(shape.open, now);
  let low = Math.min(shape.open, now);
  if (second >= shape.firstAt) {
    const v = shape.highFirst ? shape.high : shape.low;
    high = Math.max(high, v);
    low = Math.min(low, v);
  }
  if (second >= shape.secondAt) {
    const v = shape.highFirst ? shape.low : shape.high;
    high = Math.max(high, v);
    low = Math.min(low, v);
  }
  return { high, low };
}

function lerp(a: number, b: number, t: number): number {
  // Exact end points: the close streamed at second 59 must equal the candle's close bit for bit.
  if (t <= 0) return a;
  if (t >= 1) return b;
  return a + (b - a) * t;
}
