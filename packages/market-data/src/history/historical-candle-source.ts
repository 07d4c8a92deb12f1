import type { Bar, BarInterval, Instrument } from '@kitepilot/core';

/** The options of one candle request. */
export interface CandleRequestOptions {
  /** Continuous data for futures (Kite `continuous=1`, day candles only). */
  readonly continuous?: boolean;
  /** Include open interest (Kite `oi=1`). */
  readonly oi?: boolean;
}

/** The broker's historical candles, as the history jobs need them (implemented over Kite in apps/server). */
export interface HistoricalCandleSource {
  /** Candles [fromMs, toMs] (IST-aligned, Kite intervals), oldest first; chunking/rate limits are the source's job. */
  fetchCandles(
    instrument: Instrument,
    interval: BarInterval,
    fromMs: number,
    toMs: number,
    options?: CandleRequestOptions,
  ): Promise<Bar[]>;
}
