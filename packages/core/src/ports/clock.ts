/** Called when a named timer fires; the clock's now() then reads the time it fired at. */
export type TimerCallback = () => void;

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
