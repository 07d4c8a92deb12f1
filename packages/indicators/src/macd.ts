import { Ema } from './ema.ts';
import { requireFinite, requirePeriod } from './validate.ts';

/** One MACD reading: macd = EMA(fast) − EMA(slow), its signal EMA, and their difference. */
export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

/**
 * Moving average convergence divergence. Both price EMAs see every value from the first; the MACD line exists
 * once the slow EMA is seeded and feeds the signal EMA, so the first reading comes after slow + signal − 1 values.
 */
export class Macd {
  readonly #name: string;
  /** Fast EMA period. */
  readonly fast: number;
  /** Slow EMA period. */
  readonly slow: number;
  /** Signal EMA period. */
  readonly signal: number;
  readonly #fast: Ema;
  readonly #slow: Ema;
  readonly #signal: Ema;
  #value: MacdValue | null = null;
  #count = 0;

  /** Creates a MACD(fast, slow, signal), positive integers with fast < slow (defaults 12, 26, 9). */
  constructor(fast = 12, slow = 26, signal = 9) {
    this.fast = requirePeriod('Macd fast period', fast);
    this.slow = requirePeriod('Macd slow period', slow);
    this.signal = requirePeriod('Macd signal period', signal);
    if (fast >= slow) throw new RangeError(`Macd fast period ${fast} must be less than slow period ${slow}`);
    this.#fast = new Ema(fast);
    this.#slow = new Ema(slow);
    this.#signal = new Ema(signal);
    this.#name = `Macd(${fast}, ${slow}, ${signal})`;
  }

  /** Adds a value and returns the reading, or null until the signal EMA is seeded. */
  update(x: number): MacdValue | null {
    requireFinite(x, this.#name, 'input');
    this.#count += 1;
    const fast = this.#fast.update(x);
    const slow = this.#slow.update(x);
    if (fast === null || slow === null) return this.#value;
    const macd = fast - slow;
    const signal = this.#signal.update(macd);
    if (signal === null) return this.#value;
    this.#value = { macd, signal, histogram: macd - signal };
    return this.#value;
  }

  /** Returns the last value, or null while warming up. */
  get value(): MacdValue | null {
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
    this.#fast.reset();
    this.#slow.reset();
    this.#signal.reset();
    this.#value = null;
    this.#count = 0;
  }
}
