import { requireFinite, requirePeriod } from './validate.ts';
import { WindowStats } from './window-stats.ts';

/** Returns a per-period volatility scaled to a year: vol · √periodsPerYear. */
export function annualise(vol: number, periodsPerYear: number): number {
  requireFinite(vol, 'annualise', 'vol');
  if (!Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
    throw new RangeError(`annualise periodsPerYear must be a finite number > 0, got ${periodsPerYear}`);
  }
  return vol * Math.sqrt(periodsPerYear);
}

/**
 * Rolling volatility: the population standard deviation of the last `period` log returns ln(pₜ/pₜ₋₁), computed as
 * log1p((pₜ − pₜ₋₁)/pₜ₋₁) so that small returns keep their precision; needs period+1 prices.
 */
export class RollingVolatility {
  readonly #name: string;
  /** Number of returns in the window. */
  readonly period: number;
  readonly #returns: WindowStats;
  #previous: number | null = null;
  #value: number | null = null;
  #count = 0;

  /** Returns vol · √periodsPerYear (same as the module function `annualise`). */
  static annualise(vol: number, periodsPerYear: number): number {
    return annualise(vol, periodsPerYear);
  }

  /** Creates a volatility over `period` returns (a positive integer). */
  constructor(period: number) {
    this.period = requirePeriod('RollingVolatility period', period);
    this.#returns = new WindowStats(period, { squares: true });
    this.#name = `RollingVolatility(${period})`;
  }

  /** Adds a price (> 0) and returns the volatility per period, or null until period+1 prices have been seen. */
  update(price: number): number | null {
    requireFinite(price, this.#name, 'price');
    if (price <= 0) throw new RangeError(`${this.#name} price must be > 0, got ${price}`);
    this.#count += 1;
    const previous = this.#previous;
    this.#previous = price;
    if (previous === null) return this.#value;
    this.#returns.push(Math.log1p((price - previous) / previous));
    this.#value = this.#returns.full ? this.#returns.stdDev() : null;
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

  /** Returns how many updates (prices) have been seen since construction or the last reset. */
  get count(): number {
    return this.#count;
  }

  /** Forgets every price. */
  reset(): void {
    this.#returns.reset();
    this.#previous = null;
    this.#value = null;
    this.#count = 0;
  }
}
