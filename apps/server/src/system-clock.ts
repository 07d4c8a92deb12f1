import type { Clock } from '@kitepilot/core';

/** The wall clock of a live process: `now()` is `Date.now()`, timers are real timers. */
export class SystemClock implements Clock {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

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

  cancelTimer(name: string): void {
    const timer = this.#timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(name);
  }
}
