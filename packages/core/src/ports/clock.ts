/** What a timer callback receives. */
export interface TimerFired {
  readonly name: string;
  /** The time the timer was set for (epoch ms). */
  readonly atMs: number;
}

/** Called when a named timer fires. */
export type TimerCallback = (timer: TimerFired) => void;

/**
 * The only source of time for core, engine, sim and strategies (DESIGN.md §3). Live code uses the
 * wall clock; backtests and tests use TestClock.
 */
export interface Clock {
  /** Returns the current time in epoch ms (UTC). */
  now(): number;
  /** Sets (or replaces) the timer `name` to fire at `atMs`; a time already past fires as soon as possible. */
  setTimer(name: string, atMs: number, callback: TimerCallback): void;
  /** Cancels the timer `name`; cancelling an unknown name does nothing. */
  cancelTimer(name: string): void;
}
