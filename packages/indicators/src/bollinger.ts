import { requireFinite, requirePeriod } from './validate.ts';
import { WindowStats } from './window-stats.ts';

/** Bollinger bands of one window: the SMA, the population standard deviation and middle ± k·stdDev. */
export interface BollingerBands {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
  readonly stdDev: number;
}

/** Bollinger bands over the last `period` values with width `k` population standard deviations. */
export class Bollinger {
  readonly #name: string;
  /** Window length. */
  readonly period: number;
  /** Band width in standard deviations. */
  readonly k: number;
  readonly #window: WindowStats;
  #value: BollingerBands | null = null;
  #count = 0;

  /** Creates bands over `period` values (a positive integer, default 20), `k` > 0 wide (default 2). */
  constructor(period = 20, k = 2) {
    this.period = requirePeriod('Bollinger period', period);
    if (!Number.isFinite(k) || k <= 0)
      throw new RangeError(`Bollinger k must be a finite number > 0, got ${k}`);
    this.k = k;
    this.#name = `Bollinger(${period}, ${k})`;
    this.#window = new WindowStats(period, { squares: true });
  }

  /** Adds a value and returns the bands, or null until `period` values have been seen. */
  update(x: number): BollingerBands | null {
    requireFinite(x, this.#name, 'input');
    this.#window.push(x);
    this.#count += 1;
    if (!this.#window.full) return this.#value;
    const middle = this.#window.mean();
    const stdDev = this.#window.stdDev();
    const width = this.k * stdDev;
    this.#value = { middle, upper: middle + width, lower: middle - width, stdDev };
    return this.#value;
  }

  /** Returns the last value, or null while warming up. */
  get value(): BollingerBands | null {
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
    this.#window.reset();
    this.#value = null;
    this.#count = 0;
  }
}
