import { performance } from 'node:perf_hooks';

/** An opaque handle of a scheduled callback. */
export type TickerTimer = unknown;

/**
 * The timers and monotonic time the ticker uses for its watchdog and reconnect backoff; injected so
 * that tests can drive them. Event timestamps come from the Clock port, not from here.
 */
export interface TickerScheduler {
  /** Returns a monotonic time in ms (only differences are meaningful). */
  now(): number;
  /** Runs `callback` after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TickerTimer;
  /** Cancels a pending callback; cancelling a fired or cancelled one does nothing. */
  clearTimeout(timer: TickerTimer): void;
}

/** The scheduler on Node's real timers and performance.now(). */
export const realTickerScheduler: TickerScheduler = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};
