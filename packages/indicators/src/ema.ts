import { requireFinite, requirePeriod } from './validate.ts';

/**
 * Exponential moving average with alpha = 2/(period+1), seeded with the mean of the first `period` values
 * (summed left to right) and then updated as ema + alpha·(x − ema).
 */
export class Ema {
  readonly #name: string;
  /** Smoothing period. */
  readonly period: number;
  /** Smoothing factor 2/(period+1). */
  readonly alpha: number;
  #seedSum = 0;
  #value: number | null = null;
  #count = 0;

  /** Creates an EMA with the given period (a positive integer). */
  constructor(period: number) {
    this.period = requirePeriod('Ema period', period);
    this.#name = `Ema(${period})`;
    this.alpha = 2 / (period + 1);
  }

  /** Adds a value and returns the new average, or null until `period` values have been seen. */
  update(x: number): number | null {
    requireFinite(x, this.#name, 'input');
    this.#count += 1;
    if (this.#value === null) {
      this.#seedSum += x;
      if (this.#count === this.period) this.#value = this.#seedSum / this.period;
      return this.#value;
    }
    this.#value += this.alpha * (x - this.#value);
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

  /** Forgets every value. */
  reset(): void {
    this.#seedSum = 0;
    this.#value = null;
    this.#count = 0;
  }
}
