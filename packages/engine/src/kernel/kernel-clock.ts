// The kernel's view of time. While the kernel handles an input, now() reads the input's `at` and does not move, so
// everything that input causes (strategy intents, order timestamps, timers set) carries the same time live and in
// a replay of the journal. Between inputs it reads the underlying clock.
import type { Clock, TimerCallback } from '@kitepilot/core';

/** A Clock that reads the time of the input being handled; give the same instance to the kernel and the order manager. */
export class KernelClock implements Clock {
  readonly #base: Clock;
  #frozenAt: number | null = null;

  /** Wraps `base` (SystemClock live, TestClock in tests, ReplayClock in replays). */
  constructor(base: Clock) {
    this.#base = base;
  }

  /** Returns the clock this one wraps. */
  get base(): Clock {
    return this.#base;
  }

  /** Returns the handled input's time while the kernel handles one, else the underlying clock's time. */
  now(): number {
    return this.#frozenAt ?? this.#base.now();
  }

  /** Sets the timer on the underlying clock. */
  setTimer(name: string, atMs: number, callback: TimerCallback): void {
    this.#base.setTimer(name, atMs, callback);
  }

  /** Cancels the timer on the underlying clock. */
  cancelTimer(name: string): void {
    this.#base.cancelTimer(name);
  }

  /** Holds now() at `atMs` until release() (called by the kernel around each input). */
  freeze(atMs: number): void {
    this.#frozenAt = atMs;
  }

  /** Lets now() follow the underlying clock again. */
  release(): void {
    this.#frozenAt = null;
  }
}
