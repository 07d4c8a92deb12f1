import { InvariantError } from '../model/errors.ts';

/** The only source of randomness for core, engine, sim and strategies (DESIGN.md §3). */
export interface Random {
  /** Returns a float in [0, 1). */
  next(): number;
  /** Returns an integer in [0, maxExclusive), for 1 ≤ maxExclusive ≤ 2^32. */
  nextInt(maxExclusive: number): number;
}

/**
 * A seeded Random using mulberry32 (a 32-bit state generator by Tommy Ettinger: period 2^32, fast,
 * fine for simulation noise, not cryptographic). The same seed gives the same sequence everywhere.
 */
export class SeededRandom implements Random {
  #state: number;

  /** Creates a generator from a 32-bit integer seed (other integers are reduced mod 2^32). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new InvariantError(`SeededRandom seed ${seed} must be an integer`);
    this.#state = seed >>> 0;
  }

  /** Returns the next 32-bit unsigned integer. */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Returns a float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Returns an unbiased integer in [0, maxExclusive) by rejection sampling. */
  nextInt(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 4294967296) {
      throw new InvariantError(`nextInt bound ${maxExclusive} must be an integer in 1..2^32`);
    }
    const limit = 4294967296 - (4294967296 % maxExclusive);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % maxExclusive;
    }
  }
}
