import type { Clock } from '@kitepilot/core';

/** The wall clock used when no Clock is injected: `now()` is `Date.now()`, timers are real (unref'd) timers. */
export class WallClock implements Clock {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  /** Returns the current time in epoch ms. */
  now(): number {
    return Date.now();
  }

  /** Sets (or replaces) the timer `name`. */
  setTimer(name: string, atMs: number, callback: () => void): void {
    this.cancelTimer(name);
    const timer = setTimeout(
      () => {
        this.#timers.delete(name);
        callback();
      },
      Math.max(0, atMs - Date.now()),
    );
    timer.unref();
    this.#timers.set(name, timer);
  }

  /** Cancels the timer `name`. */
  cancelTimer(name: string): void {
    const timer = this.#timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(name);
  }
}
