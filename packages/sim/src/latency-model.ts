import { InvariantError, type Order, type Random } from '@kitepilot/core';

/** How long the simulated venue takes to handle each kind of request, in ms (0 = at once). */
export interface LatencyModel {
  /** Returns the delay before a new order reaches the venue. */
  submitMs(order: Order): number;
  /** Returns the delay before a modification reaches the venue. */
  modifyMs(): number;
  /** Returns the delay before a cancellation reaches the venue. */
  cancelMs(): number;
}

function checkMs(name: string, ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvariantError(`${name} ${ms} must be integer ms ≥ 0`);
  return ms;
}

/** The same delay for every request. */
export class FixedLatency implements LatencyModel {
  readonly #ms: number;

  /** Creates a model answering `ms` (an integer ≥ 0) for every request. */
  constructor(ms: number) {
    this.#ms = checkMs('latency', ms);
  }

  /** Returns the fixed delay. */
  submitMs(): number {
    return this.#ms;
  }

  /** Returns the fixed delay. */
  modifyMs(): number {
    return this.#ms;
  }

  /** Returns the fixed delay. */
  cancelMs(): number {
    return this.#ms;
  }
}

/** A delay drawn uniformly from the integers minMs…maxMs (both inclusive) for every request. */
export class UniformLatency implements LatencyModel {
  readonly #minMs: number;
  readonly #span: number;
  readonly #random: Random;

  /** Creates a model drawing from `random`; the same seed gives the same delays. */
  constructor(minMs: number, maxMs: number, random: Random) {
    this.#minMs = checkMs('minMs', minMs);
    checkMs('maxMs', maxMs);
    if (maxMs < minMs) throw new InvariantError(`latency maxMs ${maxMs} is below minMs ${minMs}`);
    this.#span = maxMs - minMs + 1;
    this.#random = random;
  }

  #draw(): number {
    return this.#minMs + this.#random.nextInt(this.#span);
  }

  /** Returns a random delay. */
  submitMs(): number {
    return this.#draw();
  }

  /** Returns a random delay. */
  modifyMs(): number {
    return this.#draw();
  }

  /** Returns a random delay. */
  cancelMs(): number {
    return this.#draw();
  }
}

/** No latency: the venue handles every request at once. */
export const ZERO_LATENCY: LatencyModel = new FixedLatency(0);
