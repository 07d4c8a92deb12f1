import { requireFinite, requirePeriod } from './validate.ts';
import { WindowStats } from './window-stats.ts';

/** Weighted moving average, weights 1..period with the newest heaviest; exact for integer inputs. */
export class Wma {
  readonly #name: string;
  /** Window length. */
  readonly period: number;
  readonly #window: WindowStats;
  #value: number | null = null;
  #count = 0;

  /** Creates a WMA over `period` values (a positive integer). */
  constructor(period: number) {
    this.period = requirePeriod('Wma period', period);
    this.#name = `Wma(${period})`;
    this.#window = new WindowStats(period, { weighted: true });
  }

  /** Adds a value and returns Σ i·x_i / Σ i, or null until `period` values have been seen. */
  update(x: number): number | null {
    requireFinite(x, this.#name, 'input');
    this.#count += 1;
    this.#window.push(x);
    this.#value = this.#window.full ? this.#window.weightedMean() : null;
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
