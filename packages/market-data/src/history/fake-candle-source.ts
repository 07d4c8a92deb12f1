import {
  alignBarStart,
  intervalMs,
  istDate,
  istToEpochMs,
  makeBar,
  paise,
  type Bar,
  type BarInterval,
  type Instrument,
} from '@kitepilot/core';
import type { CandleRequestOptions, HistoricalCandleSource } from './historical-candle-source.ts';

/** One recorded request of a FakeCandleSource. */
export interface FakeCandleRequest {
  readonly instrumentId: string;
  readonly interval: BarInterval;
  readonly fromMs: number;
  readonly toMs: number;
  readonly options: CandleRequestOptions;
}

const MINUTE_MS = 60_000;

/**
 * A deterministic HistoricalCandleSource for tests: every IST day has candles from 09:15 to 15:29 whose prices are
 * a pure function of (instrument token, start, `version`); it records requests and can be told to fail.
 * Candles of intervals that have not ended at `nowMs()` are returned partial, as Kite returns its running candle.
 */
export class FakeCandleSource implements HistoricalCandleSource {
  readonly requests: FakeCandleRequest[] = [];
  /** Changes every price: a "corrected" broker history. */
  version = 0;
  readonly #nowMs: () => number;
  #failures: {
    readonly remaining: number;
    readonly error: () => Error;
    readonly onRequest: number | null;
  } | null = null;

  /** Creates the source; `nowMs` tells which candle is still running. */
  constructor(nowMs: () => number) {
    this.#nowMs = nowMs;
  }

  /** Makes `count` requests fail with `error`, starting at request number `onRequest` (1-based; default the next). */
  failNext(count: number, error: () => Error, onRequest: number | null = null): void {
    this.#failures = { remaining: count, error, onRequest };
  }

  /** Returns the candle this source serves for `start` (complete). */
  candle(instrument: Instrument, interval: BarInterval, start: number): Bar {
    const seed = (instrument.token % 997) + this.version * 31;
    const k = Math.floor(start / MINUTE_MS);
    const base = 100_000 + ((k * 37 + seed * 101) % 5000) * 5;
    const up = ((k + seed) % 7) * 5;
    const down = ((k * 3 + seed) % 5) * 5;
    const close = base + (((k + seed) % 3) - 1) * 5;
    return makeBar({
      instrumentId: instrument.id,
      interval,
      start,
      openPaise: paise(base),
      highPaise: paise(Math.max(base, close) + up),
      lowPaise: paise(Math.min(base, close) - down),
      closePaise: paise(close),
      volume: ((k * 13 + seed) % 1000) * 10,
      oi: null,
      origin: 'historical',
    });
  }

  async fetchCandles(
    instrument: Instrument,
    interval: BarInterval,
    fromMs: number,
    toMs: number,
    options: CandleRequestOptions = {},
  ): Promise<Bar[]> {
    this.requests.push({ instrumentId: instrument.id, interval, fromMs, toMs, options });
    const f = this.#failures;
    if (f !== null && f.remaining > 0 && (f.onRequest === null || this.requests.length >= f.onRequest)) {
      this.#failures = { ...f, remaining: f.remaining - 1 };
      throw f.error();
    }
    const step = intervalMs(interval);
    const out: Bar[] = [];
    const now = this.#nowMs();
    for (let day = istDate(fromMs); ; day = istDate(istToEpochMs(day, '00:00') + 86_400_000)) {
      const open = istToEpochMs(day, '09:15');
      if (open > toMs) break;
      const first = interval === '1d' ? alignBarStart(open, '1d') : open;
      const last = interval === '1d' ? first : istToEpochMs(day, '15:29');
      for (let start = first; start <= last; start += step) {
        if (start < fromMs || start > toMs || start > now) continue;
        const bar = this.candle(instrument, interval, start);
        // The running candle is partial: its close is the open, its volume half.
        out.push(start + step > now ? { ...bar, closePaise: bar.openPaise, volume: bar.volume >> 1 } : bar);
      }
    }
    await Promise.resolve();
    return out;
  }
}
