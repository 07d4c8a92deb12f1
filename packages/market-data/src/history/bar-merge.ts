import type { Bar, BarOrigin } from '@kitepilot/core';

/** What merging broker candles into the stored bars will do. */
export interface BarMergePlan {
  /** The bars to upsert: new ones and those whose stored values differ. */
  readonly toWrite: readonly Bar[];
  /** Bars with no stored bar at their start. */
  readonly inserted: number;
  /** Stored bars whose values equal the candle's and that stay as they are. */
  readonly unchanged: number;
  /** Stored bars replaced because their values differ, by the origin they had. */
  readonly replaced: Readonly<Record<BarOrigin, number>>;
  /** The starts of the replaced `live` bars (epoch ms), so that every replacement of live data is visible. */
  readonly replacedLiveStarts: readonly number[];
}

/** Returns true when two bars of the same key hold the same OHLCV and OI (origin aside). */
export function sameBarValues(a: Bar, b: Bar): boolean {
  return (
    a.openPaise === b.openPaise &&
    a.highPaise === b.highPaise &&
    a.lowPaise === b.lowPaise &&
    a.closePaise === b.closePaise &&
    a.volume === b.volume &&
    a.oi === b.oi
  );
}

/**
 * Returns the plan for storing `incoming` (one instrument and interval) over `stored` (the bars already in that
 * range). A stored bar with equal values is kept whatever its origin, so a second run writes nothing; a stored bar
 * that differs is replaced — the broker's candle of a completed interval is authoritative — and counted by origin.
 * When `alwaysWrite` is set (gap repair), every incoming bar is written, so the gap minutes carry its origin.
 */
export function planBarMerge(
  stored: readonly Bar[],
  incoming: readonly Bar[],
  options: { readonly alwaysWrite?: boolean } = {},
): BarMergePlan {
  const byStart = new Map<number, Bar>();
  for (const b of stored) byStart.set(b.start, b);
  const toWrite: Bar[] = [];
  const replaced: Record<BarOrigin, number> = { live: 0, historical: 0, repaired: 0 };
  const replacedLiveStarts: number[] = [];
  let inserted = 0;
  let unchanged = 0;
  for (const bar of incoming) {
    const old = byStart.get(bar.start);
    if (old === undefined) {
      inserted++;
      toWrite.push(bar);
    } else if (sameBarValues(old, bar)) {
      unchanged++;
      if (options.alwaysWrite === true && old.origin !== bar.origin) toWrite.push(bar);
    } else {
      replaced[old.origin]++;
      if (old.origin === 'live') replacedLiveStarts.push(bar.start);
      toWrite.push(bar);
    }
  }
  return { toWrite, inserted, unchanged, replaced, replacedLiveStarts };
}
