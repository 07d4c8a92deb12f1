// Latency samples of the latency benchmark: a growable Float64Array of milliseconds and its percentiles.

/** The summary of a set of samples, in ms (NaN when there are none). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Durations in ms, appended without allocating per sample. */
export class LatencySamples {
  #values = new Float64Array(1 << 16);
  #count = 0;

  /** Appends one duration. */
  add(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  /** Returns how many samples were added. */
  get count(): number {
    return this.#count;
  }

  /** Returns p50, p99, p99.9 and the max (nearest rank). */
  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (q: number): number =>
      sorted.length === 0
        ? Number.NaN
        : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
    return {
      count: sorted.length,
      p50: at(0.5),
      p99: at(0.99),
      p999: at(0.999),
      max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? 0),
    };
  }
}
