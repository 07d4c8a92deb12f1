import type { Clock, TimerCallback } from '@kitepilot/core';
import { SystemClock } from './system-clock.ts';

/** What `OffsetClock` takes. */
export interface OffsetClockOptions {
  /** Milliseconds added to the base clock (may be negative). */
  readonly offsetMs: number;
  /** The clock that drives it (default a SystemClock). */
  readonly base?: Clock;
}

/**
 * A clock that runs at the base clock's speed, shifted by a fixed offset: `now() = base.now() + offsetMs`, and a
 * timer set for T fires when the base clock reaches `T − offsetMs`. It lets a process and the Kite simulator agree
 * on a trading-day time whatever the wall clock says (simulator sessions only: real trading runs on the wall clock).
 */
export class OffsetClock implements Clock {
  readonly #base: Clock;
  readonly #offsetMs: number;

  constructor(options: OffsetClockOptions) {
    if (!Number.isSafeInteger(options.offsetMs)) {
      throw new RangeError(`OffsetClock offset ${options.offsetMs} ms must be an integer`);
    }
    this.#base = options.base ?? new SystemClock();
    this.#offsetMs = options.offsetMs;
  }

  /** Returns the offset in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Returns the base time plus the offset (epoch ms). */
  now(): number {
    return this.#base.now() + this.#offsetMs;
  }

  /** Sets (or replaces) the timer `name` to fire when now() reaches `atMs` (at once when that has passed). */
  setTimer(name: string, atMs: number, callback: TimerCallback): void {
    this.#base.setTimer(name, atMs - this.#offsetMs, callback);
  }

  /** Cancels the timer `name`; an unknown name does nothing. */
  cancelTimer(name: string): void {
    this.#base.cancelTimer(name);
  }
}
