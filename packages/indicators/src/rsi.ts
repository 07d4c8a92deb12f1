import { requireFinite, requirePeriod } from './validate.ts';

/**
 * Wilder's relative strength index: the first value averages the first `period` changes (after period+1
 * closes), later ones smooth as avg = (avg·(period−1) + change)/period; 100 when there are no losses.
 */
export class Rsi {
  readonly #name: string;
  /** Smoothing period. */
  readonly period: number;
  #previous: number | null = null;
  #changes = 0;
  #averageGain = 0;
  #averageLoss = 0;
  #value: number | null = null;
  #count = 0;

  /** Creates an RSI with the given period (a positive integer, default 14). */
  constructor(period = 14) {
    this.period = requirePeriod('Rsi period', period);
    this.#name = `Rsi(${period})`;
  }

  /** Adds a close and returns the new RSI in [0, 100], or null until period+1 closes have been seen. */
  update(close: number): number | null {
    requireFinite(close, this.#name, 'close');
    this.#count += 1;
    const previous = this.#previous;
    this.#previous = close;
    if (previous === null) return this.#value;
    const change = close - previous;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    this.#changes += 1;
    const period = this.period;
    if (this.#changes <= period) {
      // During warm-up the averages hold the running sums of gains and losses.
      this.#averageGain += gain;
      this.#averageLoss += loss;
      if (this.#changes < period) return this.#value;
      this.#averageGain /= period;
      this.#averageLoss /= period;
    } else {
      this.#averageGain = (this.#averageGain * (period - 1) + gain) / period;
      this.#averageLoss = (this.#averageLoss * (period - 1) + loss) / period;
    }
    this.#value = this.#averageLoss === 0 ? 100 : 100 - 100 / (1 + this.#averageGain / this.#averageLoss);
    return this.#value;
  }

  /** Returns the last value, or null while warming up. */
  get value(): number | null {
    return this.#value;
  }

  /** Returns whether a value is available. */
  get ready(): boolean {
    return this.#value !== null;
  }

  /** Returns how many updates have been seen since construction or the last reset. */
  get count(): number {
    return this.#count;
  }

  /** Forgets every close. */
  reset(): void {
    this.#previous = null;
    this.#changes = 0;
    this.#averageGain = 0;
    this.#averageLoss = 0;
    this.#value = null;
    this.#count = 0;
  }
}
