// Neumaier's variant of Kahan summation: the running error term makes the sum of n floats accurate to about one
// rounding of the result instead of n roundings, including when terms are removed by adding their negation.

/** Keeps a floating-point sum with Neumaier compensation; `value` is the compensated total. */
export class CompensatedSum {
  #sum = 0;
  #compensation = 0;

  /** Adds `term` to the sum. */
  add(term: number): void {
    const total = this.#sum + term;
    if (Math.abs(this.#sum) >= Math.abs(term)) {
      this.#compensation += this.#sum - total + term;
    } else {
      this.#compensation += term - total + this.#sum;
    }
    this.#sum = total;
  }

  /** Returns the compensated sum. */
  get value(): number {
    return this.#sum + this.#compensation;
  }

  /** Sets the sum back to zero. */
  reset(): void {
    this.#sum = 0;
    this.#compensation = 0;
  }
}
