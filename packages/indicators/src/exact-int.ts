// An exact integer accumulator: a Number while every intermediate result is a safe integer, a BigInt beyond.
// A sum or product of safe integers whose true value reaches 2^53 rounds to a value of magnitude ≥ 2^53, so
// `Number.isSafeInteger(result)` tells exactly when the Number result is exact.

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Holds an exact integer sum of safe-integer terms and products; `toNumber()` rounds it once. */
export class ExactInt {
  #small = 0;
  #big: bigint | null = null;

  /** Adds the safe integer `term`. */
  add(term: number): void {
    if (this.#big === null) {
      const total = this.#small + term;
      if (Number.isSafeInteger(total)) {
        this.#small = total;
        return;
      }
    }
    this.#setBig(this.toBigInt() + BigInt(term));
  }

  /** Subtracts the safe integer `term`. */
  sub(term: number): void {
    this.add(-term);
  }

  /** Adds the exact product `a · b` of two safe integers. */
  addProduct(a: number, b: number): void {
    const product = a * b;
    if (Number.isSafeInteger(product)) {
      this.add(product);
    } else {
      this.#setBig(this.toBigInt() + BigInt(a) * BigInt(b));
    }
  }

  /** Subtracts the exact product `a · b` of two safe integers. */
  subProduct(a: number, b: number): void {
    this.addProduct(-a, b);
  }

  /** Subtracts the current value of another accumulator. */
  subExact(other: ExactInt): void {
    const small = other.smallValue;
    if (small !== null) {
      this.sub(small);
    } else {
      this.#setBig(this.toBigInt() - other.toBigInt());
    }
  }

  /** Returns the value as a Number when it is a safe integer, else null. */
  get smallValue(): number | null {
    return this.#big === null ? this.#small : null;
  }

  /** Returns the exact value. */
  toBigInt(): bigint {
    return this.#big ?? BigInt(this.#small);
  }

  /** Returns the value rounded once to the nearest Number. */
  toNumber(): number {
    return this.#big === null ? this.#small : Number(this.#big);
  }

  /** Sets the value back to zero. */
  reset(): void {
    this.#small = 0;
    this.#big = null;
  }

  #setBig(value: bigint): void {
    if (value >= MIN_SAFE && value <= MAX_SAFE) {
      this.#small = Number(value);
      this.#big = null;
    } else {
      this.#big = value;
    }
  }
}

/** Returns n·Σx² − (Σx)² computed exactly, then rounded once to a Number (never negative for real windows). */
export function exactScatter(n: number, sum: ExactInt, sumSquares: ExactInt): number {
  const s = sum.smallValue;
  const q = sumSquares.smallValue;
  if (s !== null && q !== null) {
    const nq = n * q;
    const ss = s * s;
    if (Number.isSafeInteger(nq) && Number.isSafeInteger(ss)) return nq - ss;
  }
  const bigSum = sum.toBigInt();
  return Number(BigInt(n) * sumSquares.toBigInt() - bigSum * bigSum);
}

/** Returns n·x − Σx computed exactly, then rounded once to a Number. */
export function exactDeviation(n: number, x: number, sum: ExactInt): number {
  const s = sum.smallValue;
  if (s !== null) {
    const nx = n * x;
    if (Number.isSafeInteger(nx)) {
      const deviation = nx - s;
      if (Number.isSafeInteger(deviation)) return deviation;
    }
  }
  return Number(BigInt(n) * BigInt(x) - sum.toBigInt());
}
