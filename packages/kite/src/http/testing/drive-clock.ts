import type { TestClock } from '@kitepilot/core';

/**
 * Resolves `promise` while moving `clock` to each pending rate-limit or backoff timer as soon as the event loop is
 * idle (request timeouts are left alone unless `fireTimeouts`), so tests of waits run without sleeping.
 */
export async function driveClock<T>(clock: TestClock, promise: Promise<T>, fireTimeouts = false): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  // A rejection is observed through `tracked`; this keeps an early rejection from being reported as unhandled.
  tracked.catch(() => undefined);
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done) break;
    const next = clock.pendingTimers().find((t) => fireTimeouts || !t.name.startsWith('kite-timeout'));
    if (next !== undefined) clock.advanceTo(Math.max(clock.now(), next.atMs));
    else await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return tracked;
}
