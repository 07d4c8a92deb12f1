// The broker's historical candles for the history jobs of @kitepilot/market-data (backfill, gap repair).
import { makeBar, type Bar, type BarInterval, type Instrument } from '@kitepilot/core';
import type { CandleInterval, KiteRestClient } from '@kitepilot/kite';
import type { CandleRequestOptions, HistoricalCandleSource } from '@kitepilot/market-data';

/** Kite's candle interval for each bar interval; Kite has no 1-second candles (kite-connect.md §2.3). */
export const KITE_CANDLE_INTERVALS: Readonly<Partial<Record<BarInterval, CandleInterval>>> = {
  '1m': 'minute',
  '3m': '3minute',
  '5m': '5minute',
  '10m': '10minute',
  '15m': '15minute',
  '30m': '30minute',
  '60m': '60minute',
  '1d': 'day',
};

/** Returns Kite's candle interval for `interval`; throws a RangeError for 1s, which Kite does not serve. */
export function kiteCandleInterval(interval: BarInterval): CandleInterval {
  const kite = KITE_CANDLE_INTERVALS[interval];
  if (kite === undefined) {
    throw new RangeError(
      `Kite has no ${interval} candles (its historical API serves minute, 3/5/10/15/30/60minute and day); ` +
        `${interval} bars come only from ticks`,
    );
  }
  return kite;
}

/**
 * The HistoricalCandleSource over Kite's GET /instruments/historical: KiteRestClient splits the range by the
 * per-interval caps and keeps to the historical rate limit (3 requests/s); candles become bars with origin
 * `historical` (the caller restamps gap repairs as `repaired`).
 */
export class KiteCandleSource implements HistoricalCandleSource {
  readonly #client: KiteRestClient;

  /** Creates the source over a logged-in REST client. */
  constructor(client: KiteRestClient) {
    this.#client = client;
  }

  async fetchCandles(
    instrument: Instrument,
    interval: BarInterval,
    fromMs: number,
    toMs: number,
    options: CandleRequestOptions = {},
  ): Promise<Bar[]> {
    const candles = await this.#client.getHistoricalData({
      instrumentToken: instrument.token,
      interval: kiteCandleInterval(interval),
      fromMs,
      toMs,
      ...(options.continuous === undefined ? {} : { continuous: options.continuous }),
      ...(options.oi === undefined ? {} : { oi: options.oi }),
    });
    return candles.map((c) =>
      makeBar({
        instrumentId: instrument.id,
        interval,
        start: c.tsMs,
        openPaise: c.openPaise,
        highPaise: c.highPaise,
        lowPaise: c.lowPaise,
        closePaise: c.closePaise,
        volume: c.volume,
        oi: c.oi,
        origin: 'historical',
      }),
    );
  }
}
