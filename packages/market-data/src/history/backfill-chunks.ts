import type { BarInterval } from '@kitepilot/core';

const DAY_MS = 86_400_000;

/**
 * The days one backfill chunk spans per interval: Kite's per-request range caps (kite-connect.md §2.3; minute 60,
 * 3/5/10minute 100, 15/30minute 200, 60minute 400, day 2000), so that one chunk is one broker request. Kite has no
 * 1-second candles, so `1s` has no entry.
 */
export const BACKFILL_CHUNK_DAYS: Readonly<Partial<Record<BarInterval, number>>> = {
  '1m': 60,
  '3m': 100,
  '5m': 100,
  '10m': 100,
  '15m': 200,
  '30m': 200,
  '60m': 400,
  '1d': 2000,
};

/** One chunk of a backfill: both ends inclusive, whole seconds, as Kite reads `from` and `to`. */
export interface BackfillChunk {
  /** 1-based position in the plan. */
  readonly index: number;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Returns the chunk length in days for `interval`; throws a RangeError for an interval without broker candles. */
export function chunkDaysOf(interval: BarInterval): number {
  const days = BACKFILL_CHUNK_DAYS[interval];
  if (days === undefined) {
    throw new RangeError(
      `interval ${interval} has no historical candles at the broker (Kite serves minute and up)`,
    );
  }
  return days;
}

/**
 * Returns the chunks covering [fromMs, toMs] (inclusive) in order, each at most `chunkDays` days long and no second
 * in two chunks. Throws a RangeError when the ends are not whole seconds or from > to.
 */
export function backfillChunks(fromMs: number, toMs: number, chunkDays: number): BackfillChunk[] {
  for (const [name, v] of [
    ['from', fromMs],
    ['to', toMs],
  ] as const) {
    if (!Number.isSafeInteger(v) || v % 1000 !== 0) {
      throw new RangeError(`backfill ${name} ${v} must be whole seconds in epoch ms`);
    }
  }
  if (fromMs > toMs) throw new RangeError(`backfill range starts at ${fromMs}, after its end ${toMs}`);
  if (!Number.isSafeInteger(chunkDays) || chunkDays < 1) {
    throw new RangeError(`chunk length ${chunkDays} days must be a positive integer`);
  }
  const spanMs = chunkDays * DAY_MS - 1000;
  const chunks: BackfillChunk[] = [];
  for (let start = fromMs; start <= toMs;) {
    const end = Math.min(start + spanMs, toMs);
    chunks.push({ index: chunks.length + 1, fromMs: start, toMs: end });
    start = end + 1000;
  }
  return chunks;
}
