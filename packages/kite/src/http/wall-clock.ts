import type { Clock } from '@kitepilot/core';

/** A Clock on wall time and real timers (kept referenced, so a pending backoff keeps the process alive), for a live client outside the server's composition root. */
export class WallClock implements Clock {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Returns Date.now(). */
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
    this.#timers.set(name, timer);
  }

  /** Cancels the timer `name`. */
  cancelTimer(name: string): void {
    const timer = this.#timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(name);
  }
}
