// Kite rejects historical requests longer than a per-interval range (kite-connect.md §2.3, forum staff):
// minute 60 days; 3/5/10minute 100; 15/30minute 200; 60minute 400; day 2000.

import type { CandleInterval, KiteCandle } from './parse-market.ts';

const DAY_MS = 86_400_000;

/** The longest range, in days, of one historical request per interval. */
export const HISTORICAL_MAX_DAYS: Readonly<Record<CandleInterval, number>> = {
  minute: 60,
  '3minute': 100,
  '5minute': 100,
  '10minute': 100,
  '15minute': 200,
  '30minute': 200,
  '60minute': 400,
  day: 2000,
};

/** One request's range: both ends inclusive, whole seconds. */
export interface HistoricalChunk {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Returns the ranges that cover [fromMs, toMs] (both inclusive, `to` as Kite reads it) with each shorter than the
 * interval's cap and no second in two ranges. Throws a RangeError when from > to or the ends are not whole seconds.
 */
export function historicalChunks(interval: CandleInterval, fromMs: number, toMs: number): HistoricalChunk[] {
  if (
    !Number.isSafeInteger(fromMs) ||
    !Number.isSafeInteger(toMs) ||
    fromMs % 1000 !== 0 ||
    toMs % 1000 !== 0
  ) {
    throw new RangeError(`historical range ${fromMs}–${toMs} must be whole seconds in epoch ms`);
  }
  if (fromMs > toMs) throw new RangeError(`historical range starts at ${fromMs}, after its end ${toMs}`);
  const spanMs = HISTORICAL_MAX_DAYS[interval] * DAY_MS - 1000;
  const chunks: HistoricalChunk[] = [];
  for (let start = fromMs; start <= toMs;) {
    const end = Math.min(start + spanMs, toMs);
    chunks.push({ fromMs: start, toMs: end });
    start = end + 1000;
  }
  return chunks;
}

/** Returns the candles of several chunks in time order, each timestamp once (the first chunk's candle wins). */
export function mergeCandles(parts: readonly (readonly KiteCandle[])[]): KiteCandle[] {
  const byTs = new Map<number, KiteCandle>();
  for (const part of parts) for (const c of part) if (!byTs.has(c.tsMs)) byTs.set(c.tsMs, c);
  return [...byTs.values()].sort((a, b) => a.tsMs - b.tsMs);
}
