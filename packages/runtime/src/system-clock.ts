import type { Clock } from '@kitepilot/core';

/** What `SystemClock` takes. */
export interface SystemClockOptions {
  /**
   * Keep the process alive while a timer is pending (for a client whose pending reconnect or backoff is the only
   * work left); false by default, so that timers never hold a process open on shutdown.
   */
  readonly keepAlive?: boolean;
}

/** The wall clock of a live process: `now()` is `Date.now()`, timers are real timers. */
export class SystemClock implements Clock {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #keepAlive: boolean;

  constructor(options: SystemClockOptions = {}) {
    this.#keepAlive = options.keepAlive ?? false;
  }

  /** Returns `Date.now()`. */
  now(): number {
    return Date.now();
  }

  /** Sets (or replaces) the timer `name` to fire at `atMs` (at once when that has passed). */
  setTimer(name: string, atMs: number, callback: () => void): void {
    this.cancelTimer(name);
    const timer = setTimeout(
      () => {
        // Node's timers run on a monotonic clock and may fire a millisecond before Date.now() reaches atMs: wait the
        // rest, so that now() never reads a time before the timer's when its callback runs.
        if (Date.now() < atMs) {
          this.setTimer(name, atMs, callback);
          return;
        }
        this.#timers.delete(name);
        callback();
      },
      Math.max(0, atMs - Date.now()),
    );
    if (!this.#keepAlive) timer.unref();
    this.#timers.set(name, timer);
  }

  /** Cancels the timer `name`; an unknown name does nothing. */
  cancelTimer(name: string): void {
    const timer = this.#timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(name);
  }
}
