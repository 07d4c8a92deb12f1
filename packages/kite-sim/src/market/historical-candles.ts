// Historical candles aggregated from exact minute candles (kite-connect.md §2.3): buckets start at 09:15,
// day candles are stamped at IST midnight, the running candle is partial, complete days are cached.
import type { InstrumentModel } from './universe.ts';
import {
  dayOfMinute,
  istDayNumber,
  istMidnightMs,
  minuteStartMs,
  SESSION_MINUTES,
  sessionPoint,
} from './session-time.ts';

/** One OHLCV candle in paise and units. */
export interface Candle {
  readonly startMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
}

/** Historical candle intervals of Kite (§2.3). */
export const HISTORICAL_INTERVALS = {
  minute: 1,
  '3minute': 3,
  '5minute': 5,
  '10minute': 10,
  '15minute': 15,
  '30minute': 30,
  '60minute': 60,
  day: 0,
} as const;

/** A Kite historical interval name. */
export type HistoricalInterval = keyof typeof HISTORICAL_INTERVALS;

/** Returns the candle of one session minute up to `second`. */
export type MinuteCandleSource = (
  model: InstrumentModel,
  minute: number,
  second: number,
  continuous: boolean,
) => Candle;

/** Aggregates minute candles into Kite's intervals. */
export class HistoricalCandles {
  readonly #minuteCandle: MinuteCandleSource;
  readonly #dayCandles = new Map<string, Candle>();

  /** Creates the aggregator over a source of minute candles. */
  constructor(minuteCandle: MinuteCandleSource) {
    this.#minuteCandle = minuteCandle;
  }

  /** Returns the candles of an interval whose start lies in [fromMs, toMs] and is not after `nowMs` (the running candle is partial). */
  candles(
    model: InstrumentModel,
    interval: HistoricalInterval,
    fromMs: number,
    toMs: number,
    nowMs: number,
    continuous: boolean,
  ): Candle[] {
    const size = HISTORICAL_INTERVALS[interval];
    const now = sessionPoint(nowMs);
    const lastMinute = now.minute;
    const out: Candle[] = [];
    const firstDay = istDayNumber(fromMs);
    const lastDay = Math.min(istDayNumber(toMs), dayOfMinute(lastMinute));
    for (let day = firstDay; day <= lastDay; day++) {
      const first = day * SESSION_MINUTES;
      if (size === 0) {
        const candle = this.#dayCandle(model, day, lastMinute, now.second, continuous);
        out.push(candle);
        continue;
      }
      for (let m = 0; m < SESSION_MINUTES; m += size) {
        const start = minuteStartMs(first + m);
        if (start < fromMs || start > toMs || first + m > lastMinute) continue;
        const end = Math.min(first + m + size - 1, first + SESSION_MINUTES - 1, lastMinute);
        out.push(this.#aggregate(model, first + m, end, lastMinute, now.second, continuous, start));
      }
    }
    return out;
  }

  #dayCandle(
    model: InstrumentModel,
    day: number,
    lastMinute: number,
    lastSecond: number,
    continuous: boolean,
  ): Candle {
    const first = day * SESSION_MINUTES;
    const end = Math.min(first + SESSION_MINUTES - 1, lastMinute);
    const complete = end === first + SESSION_MINUTES - 1 && (end < lastMinute || lastSecond === 59);
    const key = `${model.instrument.instrumentToken}:${day}:${continuous ? 1 : 0}`;
    const cached = complete ? this.#dayCandles.get(key) : undefined;
    if (cached !== undefined) return cached;
    const candle = this.#aggregate(model, first, end, lastMinute, lastSecond, continuous, istMidnightMs(day));
    if (complete) this.#dayCandles.set(key, candle);
    return candle;
  }

  #aggregate(
    model: InstrumentModel,
    from: number,
    to: number,
    lastMinute: number,
    lastSecond: number,
    continuous: boolean,
    startMs: number,
  ): Candle {
    let open = 0;
    let high = -Infinity;
    let low = Infinity;
    let close = 0;
    let volume = 0;
    let oi = 0;
    for (let m = from; m <= to; m++) {
      const c = this.#minuteCandle(model, m, m === lastMinute ? lastSecond : 59, continuous);
      if (m === from) open = c.open;
      high = Math.max(high, c.high);
      low = Math.min(low, c.low);
      close = c.close;
      volume += c.volume;
      oi = c.oi;
    }
    return { startMs, open, high, low, close, volume, oi };
  }
}
