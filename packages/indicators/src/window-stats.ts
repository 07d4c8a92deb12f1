// Running sums over a sliding window of the last `period` values, O(1) per push, without drift:
// - While every value in the window is a safe integer (paise), Σx, Σx² and Σi·x are exact integers (ExactInt), so
//   the mean, the weighted mean and the variance equal a from-scratch recomputation of the window bit for bit
//   (one rounding of the exact sum, then one division).
// - Once a non-integer enters, the sums become Neumaier-compensated floats (Σx and Σi·x as they are; Σx and Σx²
//   also about a shift near the window mean, which keeps the variance free of cancellation), and the window is
//   summed again from scratch every `period` pushes (amortised O(1)), so rounding errors never accumulate. The
//   first re-sum that finds only integers in the window switches back to exact integer sums. A re-sum also happens
//   when the window's level moves so far from the shift that the variance would lose precision to cancellation.

import { CompensatedSum } from './compensated-sum.ts';
import { ExactInt, exactDeviation, exactScatter } from './exact-int.ts';
import { requirePeriod } from './validate.ts';

/** Which sums a WindowStats keeps besides Σx. */
export interface WindowStatsOptions {
  /** Keep Σx² (variance, standard deviation, z-score). */
  readonly squares?: boolean;
  /** Keep Σi·x with weights 1..n, newest heaviest (weighted mean). */
  readonly weighted?: boolean;
}

// Squares of larger magnitudes overflow a double; prices and returns are nowhere near this.
const MAX_SQUARED_MAGNITUDE = 1e150;

/** Keeps exact (integer) or compensated (float) sums over the last `period` values of a series. */
export class WindowStats {
  /** Window length. */
  readonly period: number;
  readonly #squares: boolean;
  readonly #weighted: boolean;
  readonly #buffer: Float64Array;
  #next = 0;
  #size = 0;
  #nonIntegers = 0;
  #exact = true;
  #sinceResum = 0;
  readonly #sum = new ExactInt();
  readonly #sumSquares = new ExactInt();
  readonly #weightedSum = new ExactInt();
  readonly #floatSum = new CompensatedSum();
  readonly #floatWeightedSum = new CompensatedSum();
  #shift = 0;
  readonly #shiftedSum = new CompensatedSum();
  readonly #shiftedSquares = new CompensatedSum();

  /** Creates an empty window of `period` values. */
  constructor(period: number, options: WindowStatsOptions = {}) {
    this.period = requirePeriod('WindowStats period', period);
    this.#squares = options.squares ?? false;
    this.#weighted = options.weighted ?? false;
    this.#buffer = new Float64Array(period);
  }

  /** Returns how many values the window holds (at most `period`). */
  get size(): number {
    return this.#size;
  }

  /** Returns whether the window holds `period` values. */
  get full(): boolean {
    return this.#size === this.period;
  }

  /** Returns whether the sums are exact integers (every value in the window is a safe integer). */
  get exact(): boolean {
    return this.#exact;
  }

  /** Appends a finite value, dropping the oldest once the window is full. */
  push(x: number): void {
    if (this.#squares && Math.abs(x) > MAX_SQUARED_MAGNITUDE) {
      throw new RangeError(`WindowStats value ${x} is too large to square (limit ${MAX_SQUARED_MAGNITUDE})`);
    }
    const period = this.period;
    const full = this.#size === period;
    const old = full ? (this.#buffer[this.#next] ?? 0) : 0;
    if (full && !Number.isSafeInteger(old)) this.#nonIntegers -= 1;
    const isInteger = Number.isSafeInteger(x);
    if (!isInteger) this.#nonIntegers += 1;
    this.#buffer[this.#next] = x;
    this.#next = this.#next + 1 === period ? 0 : this.#next + 1;
    if (!full) this.#size += 1;

    if (this.#exact) {
      if (!isInteger) {
        this.#exact = false;
        this.#resumFloat();
        return;
      }
      if (this.#weighted) {
        // Shifting the window lowers every weight by one (Σx of the old window) and adds x at weight n.
        if (full) this.#weightedSum.subExact(this.#sum);
        this.#weightedSum.addProduct(this.#size, x);
      }
      if (full) this.#sum.sub(old);
      this.#sum.add(x);
      if (this.#squares) {
        if (full) this.#sumSquares.subProduct(old, old);
        this.#sumSquares.addProduct(x, x);
      }
      return;
    }

    this.#sinceResum += 1;
    if (this.#sinceResum >= period) {
      if (this.#nonIntegers === 0) {
        this.#exact = true;
        this.#resumExact();
      } else {
        this.#resumFloat();
      }
      return;
    }
    if (this.#weighted) {
      if (full) this.#floatWeightedSum.add(-this.#floatSum.value);
      this.#floatWeightedSum.add(this.#size * x);
    }
    if (full) this.#floatSum.add(-old);
    this.#floatSum.add(x);
    if (this.#squares) {
      if (full) {
        const oldDeviation = old - this.#shift;
        this.#shiftedSum.add(-oldDeviation);
        this.#shiftedSquares.add(-(oldDeviation * oldDeviation));
      }
      const deviation = x - this.#shift;
      this.#shiftedSum.add(deviation);
      this.#shiftedSquares.add(deviation * deviation);
      if (this.#shiftIsStale()) this.#resumFloat();
    }
  }

  /** Returns the mean of the window (NaN when empty). */
  mean(): number {
    const sum = this.#exact ? this.#sum.toNumber() : this.#floatSum.value;
    return sum / this.#size;
  }

  /** Returns Σ i·x_i / Σ i over the window, weights 1..size from oldest to newest (NaN when empty). */
  weightedMean(): number {
    if (!this.#weighted) throw new RangeError('WindowStats was created without weighted: true');
    const weightedSum = this.#exact ? this.#weightedSum.toNumber() : this.#floatWeightedSum.value;
    return weightedSum / ((this.#size * (this.#size + 1)) / 2);
  }

  /** Returns the population variance of the window; never negative. */
  variance(): number {
    const n = this.#size;
    if (this.#exact) return this.#scatter() / (n * n);
    const meanSquare = this.#shiftedSquares.value / n;
    const meanDeviation = this.#shiftedSum.value / n;
    const variance = meanSquare - meanDeviation * meanDeviation;
    // Below the rounding noise of the sums the variance cannot be told from zero.
    return variance <= 4 * Number.EPSILON * meanSquare ? 0 : variance;
  }

  /** Returns the population standard deviation of the window. */
  stdDev(): number {
    return Math.sqrt(this.variance());
  }

  /** Returns (x − mean) / stdDev for `x`, normally the newest value; 0 when the standard deviation is 0. */
  zScore(x: number): number {
    if (this.#exact && Number.isSafeInteger(x)) {
      // (x − Σx/n) / (√(nΣx² − (Σx)²)/n) = (nx − Σx) / √(nΣx² − (Σx)²): exact numerator and radicand.
      const scatter = this.#scatter();
      return scatter === 0 ? 0 : exactDeviation(this.#size, x, this.#sum) / Math.sqrt(scatter);
    }
    const variance = this.variance();
    if (variance === 0) return 0;
    const deviation = this.#exact ? x - this.mean() : x - this.#shift - this.#shiftedSum.value / this.#size;
    return deviation / Math.sqrt(variance);
  }

  /** Empties the window. */
  reset(): void {
    this.#buffer.fill(0);
    this.#next = 0;
    this.#size = 0;
    this.#nonIntegers = 0;
    this.#exact = true;
    this.#sinceResum = 0;
    this.#sum.reset();
    this.#sumSquares.reset();
    this.#weightedSum.reset();
    this.#floatSum.reset();
    this.#floatWeightedSum.reset();
    this.#shift = 0;
    this.#shiftedSum.reset();
    this.#shiftedSquares.reset();
  }

  /**
   * Tells whether the window mean has moved so far from the shift (more than 4 standard deviations, and beyond
   * the rounding noise of the shift) that Σ(x−K)² − (Σ(x−K))²/n would lose more than about 4 bits. Only a level
   * change large against the window's own spread does that, so the extra re-sums stay rare.
   */
  #shiftIsStale(): boolean {
    const n = this.#size;
    const offset = this.#shiftedSum.value / n;
    const offsetSquared = offset * offset;
    const variance = this.#shiftedSquares.value / n - offsetSquared;
    return offsetSquared > 16 * variance && Math.abs(offset) > 16 * Number.EPSILON * Math.abs(this.#shift);
  }

  #scatter(): number {
    if (!this.#squares) throw new RangeError('WindowStats was created without squares: true');
    return exactScatter(this.#size, this.#sum, this.#sumSquares);
  }

  /** Returns the window's values, oldest first. */
  values(): number[] {
    const out: number[] = [];
    const start = (this.#next - this.#size + this.period) % this.period;
    for (let i = 0; i < this.#size; i += 1) out.push(this.#buffer[(start + i) % this.period] ?? 0);
    return out;
  }

  #resumExact(): void {
    this.#sinceResum = 0;
    this.#sum.reset();
    this.#sumSquares.reset();
    this.#weightedSum.reset();
    const values = this.values();
    for (let i = 0; i < values.length; i += 1) {
      const x = values[i] ?? 0;
      this.#sum.add(x);
      if (this.#squares) this.#sumSquares.addProduct(x, x);
      if (this.#weighted) this.#weightedSum.addProduct(i + 1, x);
    }
  }

  #resumFloat(): void {
    this.#sinceResum = 0;
    this.#floatSum.reset();
    this.#floatWeightedSum.reset();
    this.#shiftedSum.reset();
    this.#shiftedSquares.reset();
    const values = this.values();
    for (let i = 0; i < values.length; i += 1) {
      const x = values[i] ?? 0;
      this.#floatSum.add(x);
      if (this.#weighted) this.#floatWeightedSum.add((i + 1) * x);
    }
    if (!this.#squares) return;
    this.#shift = this.#floatSum.value / values.length;
    for (const x of values) {
      const deviation = x - this.#shift;
      this.#shiftedSum.add(deviation);
      this.#shiftedSquares.add(deviation * deviation);
    }
  }
}
