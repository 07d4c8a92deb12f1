import type { Clock } from '@kitepilot/core';

/** Settings of a circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the circuit (default 5). */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe is let through (default 30 s). */
  readonly coolDownMs: number;
}

/** The default breaker settings. */
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, coolDownMs: 30_000 };

/** closed: requests flow; open: requests fail fast; half-open: one probe decides. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for one endpoint class: opens after `failureThreshold` consecutive retryable failures,
 * lets one probe through after `coolDownMs`, closes on the probe's success and reopens on its failure.
 */
export class CircuitBreaker {
  readonly #clock: Clock;
  readonly #options: CircuitBreakerOptions;
  #failures = 0;
  #openedAt: number | null = null;
  #probeInFlight = false;

  /** Creates a closed breaker. */
  constructor(clock: Clock, options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER) {
    this.#clock = clock;
    this.#options = options;
  }

  /** Returns the state at the clock's current time. */
  get state(): CircuitState {
    if (this.#openedAt === null) return 'closed';
    return this.#clock.now() - this.#openedAt >= this.#options.coolDownMs ? 'half-open' : 'open';
  }

  /** Returns the ms until a probe is allowed (0 unless open). */
  retryInMs(): number {
    if (this.#openedAt === null) return 0;
    return Math.max(0, this.#openedAt + this.#options.coolDownMs - this.#clock.now());
  }

  /** Returns true when a request may be sent now; in half-open only the first caller gets the probe. */
  tryPass(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /** Records a success: closes the circuit. */
  onSuccess(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#probeInFlight = false;
  }

  /** Records a retryable failure: opens the circuit at the threshold, or again after a failed probe. */
  onFailure(): void {
    this.#failures++;
    if (this.#probeInFlight || this.#failures >= this.#options.failureThreshold) {
      this.#openedAt = this.#clock.now();
    }
    this.#probeInFlight = false;
  }

  /** Records an outcome that says nothing about the service's health (a broker rejection): ends a probe. */
  onNeutral(): void {
    if (this.#probeInFlight) this.onSuccess();
  }
}
