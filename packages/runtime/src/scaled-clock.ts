import type { Clock, TimerCallback } from '@kitepilot/core';
import { SystemClock } from './system-clock.ts';

/** What `ScaledClock` takes. */
export interface ScaledClockOptions {
  /** The simulated time at the moment the clock is created (epoch ms). */
  readonly startAtMs: number;
  /** How many simulated milliseconds pass per base millisecond (> 0; 1 = real time, 10 = ten times faster). */
  readonly speed: number;
  /** The clock that drives it (default a SystemClock). */
  readonly base?: Clock;
}

/**
 * A clock offset and sped up from a base clock, for the demo mode: `now() = startAtMs + (base.now() − t0) × speed`
 * where `t0` is the base time at construction, and a timer set for simulated time T fires when the base clock reaches
 * `t0 + (T − startAtMs) / speed`. Simulated times are floored to whole ms so they stay integer.
 */
export class ScaledClock implements Clock {
  readonly #base: Clock;
  readonly #startAtMs: number;
  readonly #speed: number;
  readonly #t0: number;

  constructor(options: ScaledClockOptions) {
    if (!Number.isSafeInteger(options.startAtMs)) {
      throw new RangeError(`ScaledClock startAtMs ${options.startAtMs} must be integer epoch ms`);
    }
    if (!Number.isFinite(options.speed) || options.speed <= 0) {
      throw new RangeError(`ScaledClock speed ${options.speed} must be a finite number > 0`);
    }
    this.#base = options.base ?? new SystemClock();
    this.#startAtMs = options.startAtMs;
    this.#speed = options.speed;
    this.#t0 = this.#base.now();
  }

  /** Returns the speed factor. */
  get speed(): number {
    return this.#speed;
  }

  /** Returns the simulated time in epoch ms. */
  now(): number {
    return this.#startAtMs + Math.floor((this.#base.now() - this.#t0) * this.#speed);
  }

  /** Sets (or replaces) the timer `name` to fire at simulated time `atMs` (at once when that has passed). */
  setTimer(name: string, atMs: number, callback: TimerCallback): void {
    // Ceil: the callback must never run while now() still reads a time before atMs.
    const baseAt = this.#t0 + Math.ceil((atMs - this.#startAtMs) / this.#speed);
    this.#base.setTimer(name, baseAt, callback);
  }

  /** Cancels the timer `name`; an unknown name does nothing. */
  cancelTimer(name: string): void {
    this.#base.cancelTimer(name);
  }

  /** Returns the base-clock duration (ms) that `simulatedMs` of simulated time takes. */
  baseDurationOf(simulatedMs: number): number {
    return simulatedMs / this.#speed;
  }
}
