import type { Clock } from '@kitepilot/core';

let sequence = 0;

/** Returns a promise that resolves when `clock` reaches now + `ms` (a TestClock resolves it when advanced). */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  const name = `kite-sleep-${++sequence}`;
  return new Promise((resolve) => clock.setTimer(name, clock.now() + Math.max(0, Math.ceil(ms)), resolve));
}

/** Returns a unique timer name with `prefix` (Clock timers are keyed by name). */
export function uniqueTimerName(prefix: string): string {
  return `${prefix}-${++sequence}`;
}
