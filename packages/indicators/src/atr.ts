import { requireFinite, requirePeriod } from './validate.ts';

/** The part of a bar the ATR reads. */
export interface AtrBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * Wilder's average true range: true range = max(high − low, |high − previous close|, |low − previous close|)
 * (high − low for the first bar); the first value is the mean of the first `period` true ranges, later ones
 * smooth as atr = (atr·(period−1) + tr)/period.
 */
export class Atr {
  readonly #name: string;
  /** Smoothing period. */
  readonly period: number;
  #previousClose: number | null = null;
  #seedSum = 0;
  #value: number | null = null;
  #count = 0;

  /** Creates an ATR with the given period (a positive integer, default 14). */
  constructor(period = 14) {
    this.period = requirePeriod('Atr period', period);
    this.#name = `Atr(${period})`;
  }

  /** Adds a bar and returns the new ATR, or null until `period` bars have been seen. */
  update(bar: AtrBar): number | null {
    const high = requireFinite(bar.high, this.#name, 'high');
    const low = requireFinite(bar.low, this.#name, 'low');
    const close = requireFinite(bar.close, this.#name, 'close');
    const previousClose = this.#previousClose;
    const trueRange =
      previousClose === null
        ? high - low
        : Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
    this.#previousClose = close;
    this.#count += 1;
    const period = this.period;
    if (this.#value === null) {
      this.#seedSum += trueRange;
      if (this.#count === period) this.#value = this.#seedSum / period;
      return this.#value;
    }
    this.#value = (this.#value * (period - 1) + trueRange) / period;
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

  /** Forgets every bar. */
  reset(): void {
    this.#previousClose = null;
    this.#seedSum = 0;
    this.#value = null;
    this.#count = 0;
  }
}
