import { intervalMs, type Bar, type BarClosed } from '@kitepilot/core';

/** Returns the epoch ms at which `bar` ends (exclusive): its start plus the interval length. */
export function barEndMs(bar: Bar): number {
  return bar.start + intervalMs(bar.interval);
}

/** Returns the BarClosed event of `bar`: tsEvent is the bar's end, tsInit when it was closed (caller's clock). */
export function barClosedEvent(bar: Bar, tsInit: number): BarClosed {
  return { type: 'BarClosed', bar, tsEvent: barEndMs(bar), tsInit };
}
