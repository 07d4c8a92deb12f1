import { requireFinite, requirePeriod } from './validate.ts';
import { WindowStats } from './window-stats.ts';

/** Rolling z-score: (x − mean) / population stdDev over the last `period` values including x; 0 when flat. */
export class RollingZScore {
  readonly #name: string;
  /** Window length. */
  readonly period: number;
  readonly #window: WindowStats;
  #value: number | null = null;
  #count = 0;

  /** Creates a z-score over `period` values (a positive integer). */
  constructor(period: number) {
    this.period = requirePeriod('RollingZScore period', period);
    this.#name = `RollingZScore(${period})`;
    this.#window = new WindowStats(period, { squares: true });
  }

  /** Adds a value and returns its z-score, or null until `period` values have been seen. */
  update(x: number): number | null {
    requireFinite(x, this.#name, 'input');
    this.#window.push(x);
    this.#count += 1;
    this.#value = this.#window.full ? this.#window.zScore(x) : null;
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
    this.#window.reset();
    this.#value = null;
    this.#count = 0;
  }
}
