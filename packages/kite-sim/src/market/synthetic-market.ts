// The deterministic synthetic market: prices, volumes, OI, depth and candles of every simulated instrument as
// pure functions of (seed, instrument, time). Derivatives are monotone functions of the index path (futures by
// cost of carry, options by Black-76 with a fixed volatility), so their candles are exact too.
import { istDate, istToEpochMs } from '@kitepilot/core';
import { black76 } from './black76.ts';
import { monthlyExpiriesFrom } from './expiries.ts';
import { hashUnit } from './hash.ts';
import {
  smoothNoise,
  rangeUpTo,
  valueAtSecond,
  type MinuteShape,
  type UnderlyingPath,
} from './price-path.ts';
import { DAY_MS, dayOfMinute, minuteStartMs, SESSION_MINUTES, sessionPoint } from './session-time.ts';
import type { SimInstrument } from './sim-instrument.ts';
import { buildUniverse, type InstrumentModel } from './universe.ts';
import { HistoricalCandles, type Candle, type HistoricalInterval } from './historical-candles.ts';

export { HISTORICAL_INTERVALS, type Candle, type HistoricalInterval } from './historical-candles.ts';

const RATE = 0.065;
const OPTION_VOL = 0.14;
const YEAR_MS = 365 * DAY_MS;
const VOLUME_STREAM = 11;
const OI_STREAM = 12;
const DEPTH_STREAM = 13;
const TRADE_STREAM = 30;

/** One level of market depth. */
export interface DepthLevel {
  readonly pricePaise: number;
  readonly quantity: number;
  readonly orders: number;
}

/** The market state of one instrument at one instant (what a full quote and a full tick carry). */
export interface MarketSnapshot {
  readonly instrument: SimInstrument;
  readonly trading: boolean;
  readonly lastPricePaise: number;
  readonly lastQuantity: number;
  readonly averagePricePaise: number;
  readonly volume: number;
  readonly buyQuantity: number;
  readonly sellQuantity: number;
  readonly openPaise: number;
  readonly highPaise: number;
  readonly lowPaise: number;
  /** The previous session's close. */
  readonly closePaise: number;
  readonly lastTradeTimeMs: number;
  readonly exchangeTimestampMs: number;
  readonly oi: number;
  readonly oiDayHigh: number;
  readonly oiDayLow: number;
  readonly buy: readonly DepthLevel[];
  readonly sell: readonly DepthLevel[];
  readonly lowerCircuitPaise: number;
  readonly upperCircuitPaise: number;
}

/** The book an order meets at one second. */
export interface OrderBookView {
  readonly lastPricePaise: number;
  readonly buy: readonly DepthLevel[];
  readonly sell: readonly DepthLevel[];
}

interface DayState {
  day: number;
  done: number;
  high: number;
  low: number;
  volume: number;
  pv: number;
  oiHigh: number;
  oiLow: number;
}

type ValueMap = (value: number) => number;

/** The seeded synthetic market over the simulated universe. */
export class SyntheticMarket {
  readonly #seed: number;
  readonly #index: UnderlyingPath;
  readonly #models: readonly InstrumentModel[];
  readonly #byToken = new Map<number, InstrumentModel>();
  readonly #byKey = new Map<string, InstrumentModel>();
  readonly #dayStates = new Map<number, DayState>();
  readonly #history = new HistoricalCandles((model, minute, second, continuous) =>
    this.minuteCandle(model, minute, second, continuous),
  );
  readonly #continuousExpiries = new Map<number, number>();

  /** Creates the market for `seed`; the universe's expiries and strikes follow the IST day of `nowMs`. */
  constructor(seed: number, nowMs: number) {
    this.#seed = seed >>> 0;
    const universe = buildUniverse(this.#seed, nowMs);
    this.#index = universe.index;
    this.#models = universe.models;
    for (const m of this.#models) {
      this.#byToken.set(m.instrument.instrumentToken, m);
      this.#byKey.set(m.instrument.key, m);
    }
  }

  /** Returns every simulated instrument. */
  get instruments(): readonly SimInstrument[] {
    return this.#models.map((m) => m.instrument);
  }

  /** Returns the model of an instrument token, or undefined for an unknown token. */
  modelByToken(token: number): InstrumentModel | undefined {
    return this.#byToken.get(token);
  }

  /** Returns the model of an `EX:SYMBOL` key, or undefined for an unknown key. */
  modelByKey(key: string): InstrumentModel | undefined {
    return this.#byKey.get(key);
  }

  #path(model: InstrumentModel): UnderlyingPath {
    return model.price.kind === 'path' ? model.price.path : this.#index;
  }

  #futureExpiryMs(model: InstrumentModel, minute: number, continuous: boolean): number {
    if (model.price.kind !== 'future') return 0;
    if (!continuous) return model.price.expiryMs;
    // A continuous series uses, at each minute, the contract of the same rank that was trading then.
    const day = dayOfMinute(minute);
    const key = day * 8 + model.price.rank;
    let expiryMs = this.#continuousExpiries.get(key);
    if (expiryMs === undefined) {
      const date = istDate(minuteStartMs(minute));
      const expiry = monthlyExpiriesFrom(date, model.price.rank + 1)[model.price.rank] ?? date;
      expiryMs = istToEpochMs(expiry, '15:30');
      this.#continuousExpiries.set(key, expiryMs);
    }
    return expiryMs;
  }

  /** Returns the map from the driving path's value to this instrument's value (rupees) during a minute. */
  #mapper(model: InstrumentModel, minute: number, continuous: boolean): ValueMap {
    const p = model.price;
    if (p.kind === 'path') return (v) => v;
    const startMs = minuteStartMs(minute);
    if (p.kind === 'future') {
      const years = Math.max(0, this.#futureExpiryMs(model, minute, continuous) - startMs) / YEAR_MS;
      const carry = Math.exp(RATE * years);
      return (v) => v * carry;
    }
    const years = Math.max(0, p.expiryMs - startMs) / YEAR_MS;
    const carry = Math.exp(RATE * years);
    return (v) => black76(p.optionType, v * carry, p.strike, years, OPTION_VOL, RATE);
  }

  #toPaise(model: InstrumentModel, rupees: number): number {
    const tick = model.instrument.tickSizePaise;
    const steps = Math.round((rupees * 100) / tick);
    // Options never trade below one tick (0.05).
    return Math.max(steps, model.price.kind === 'option' ? 1 : 0) * tick;
  }

  /** Returns the candle of one session minute, up to and including `second` (59 = the whole minute). */
  minuteCandle(model: InstrumentModel, minute: number, second = 59, continuous = false): Candle {
    const shape: MinuteShape = this.#path(model).shape(minute);
    const f = this.#mapper(model, minute, continuous);
    const range = second >= 59 ? { high: shape.high, low: shape.low } : rangeUpTo(shape, second);
    const a = this.#toPaise(model, f(range.high));
    const b = this.#toPaise(model, f(range.low));
    return {
      startMs: minuteStartMs(minute),
      open: this.#toPaise(model, f(shape.open)),
      high: Math.max(a, b),
      low: Math.min(a, b),
      close: this.#toPaise(model, f(valueAtSecond(shape, second))),
      volume: this.volumeThrough(model, minute, second),
      oi: this.oiAt(model, minute),
    };
  }

  /** Returns the traded price (paise) at a second of a session minute. */
  priceAt(model: InstrumentModel, minute: number, second: number): number {
    const shape = this.#path(model).shape(minute);
    return this.#toPaise(model, this.#mapper(model, minute, false)(valueAtSecond(shape, second)));
  }

  /** Returns the units traded in a minute from its start through `second`. */
  volumeThrough(model: InstrumentModel, minute: number, second: number): number {
    if (model.minuteVolume === 0) return 0;
    const m = minute - dayOfMinute(minute) * SESSION_MINUTES;
    const x = (m / (SESSION_MINUTES - 1)) * 2 - 1;
    const factor =
      (0.4 + 1.2 * hashUnit(this.#seed, model.stream, VOLUME_STREAM, minute)) * (1 + 0.8 * x * x);
    const lot = Math.max(1, model.instrument.lotSize);
    const lots = Math.max(1, Math.round((model.minuteVolume / lot) * factor));
    return Math.floor((lots * (Math.min(second, 59) + 1)) / 60) * lot;
  }

  /** Returns the open interest (units) during a minute; 0 for cash instruments. */
  oiAt(model: InstrumentModel, minute: number): number {
    if (model.baseOi === 0) return 0;
    const lot = model.instrument.lotSize;
    const level = 1 + 0.1 * smoothNoise(this.#seed, model.stream, OI_STREAM, minute / 45);
    return Math.round((model.baseOi / lot) * level) * lot;
  }

  /** Returns the close (paise) of the session before `day`. */
  previousClose(model: InstrumentModel, day: number): number {
    return this.minuteCandle(model, day * SESSION_MINUTES - 1).close;
  }

  /** Returns the day's price band (paise): a fraction of the previous close, or for options one tick up to close + 10 % of the future. */
  circuit(model: InstrumentModel, day: number): { readonly lower: number; readonly upper: number } {
    const prev = this.previousClose(model, day);
    const tick = model.instrument.tickSizePaise;
    if (model.price.kind === 'option') {
      const underlying = this.#path(model).close(day * SESSION_MINUTES - 1) * 100;
      return { lower: tick, upper: Math.floor((prev + 0.1 * underlying) / tick) * tick };
    }
    if (model.band === 0) return { lower: 0, upper: 0 };
    return {
      lower: Math.ceil((prev * (1 - model.band)) / tick) * tick,
      upper: Math.floor((prev * (1 + model.band)) / tick) * tick,
    };
  }

  #dayState(model: InstrumentModel, minute: number): DayState {
    const day = dayOfMinute(minute);
    const first = day * SESSION_MINUTES;
    let state = this.#dayStates.get(model.instrument.instrumentToken);
    if (state === undefined || state.day !== day || state.done > minute - first) {
      state = { day, done: 0, high: -Infinity, low: Infinity, volume: 0, pv: 0, oiHigh: 0, oiLow: Infinity };
      this.#dayStates.set(model.instrument.instrumentToken, state);
    }
    while (first + state.done < minute) {
      const c = this.minuteCandle(model, first + state.done);
      state.high = Math.max(state.high, c.high);
      state.low = Math.min(state.low, c.low);
      state.volume += c.volume;
      state.pv += c.volume * c.close;
      state.oiHigh = Math.max(state.oiHigh, c.oi);
      state.oiLow = Math.min(state.oiLow, c.oi);
      state.done += 1;
    }
    return state;
  }

  /** Returns the full market state of an instrument at an instant. */
  snapshot(model: InstrumentModel, epochMs: number): MarketSnapshot {
    const point = sessionPoint(epochMs);
    const { minute, second } = point;
    const day = dayOfMinute(minute);
    const state = this.#dayState(model, minute);
    const current = this.minuteCandle(model, minute, second);
    const volume = state.volume + current.volume;
    const pv = state.pv + current.volume * current.close;
    const lot = Math.max(1, model.instrument.lotSize);
    const secondIndex = minute * 60 + second;
    const { buy, sell } = this.#depth(model, current.close, secondIndex);
    const tradeHash = hashUnit(this.#seed, model.stream, TRADE_STREAM, secondIndex);
    const lastQuantity =
      model.minuteVolume === 0
        ? 0
        : model.instrument.lotSize > 1
          ? lot * (1 + Math.floor(tradeHash * 10))
          : 1 + Math.floor(tradeHash * Math.max(1, model.minuteVolume / 50));
    const depthBuy = buy.reduce((s, l) => s + l.quantity, 0);
    const depthSell = sell.reduce((s, l) => s + l.quantity, 0);
    const band = this.circuit(model, day);
    const timestampMs = minuteStartMs(minute) + second * 1000;
    const oi = current.oi;
    return {
      instrument: model.instrument,
      trading: point.trading,
      lastPricePaise: current.close,
      lastQuantity,
      averagePricePaise: volume === 0 ? 0 : Math.round(pv / volume),
      volume,
      buyQuantity: depthBuy * (20 + Math.floor(tradeHash * 20)),
      sellQuantity: depthSell * (20 + Math.floor((1 - tradeHash) * 20)),
      openPaise: this.minuteCandle(model, day * SESSION_MINUTES).open,
      highPaise: Math.max(state.high, current.high),
      lowPaise: Math.min(state.low, current.low),
      closePaise: this.previousClose(model, day),
      lastTradeTimeMs: timestampMs,
      exchangeTimestampMs: timestampMs,
      oi,
      oiDayHigh: model.baseOi === 0 ? 0 : Math.max(state.oiHigh, oi),
      oiDayLow: model.baseOi === 0 ? 0 : Math.min(state.oiLow, oi),
      buy,
      sell,
      lowerCircuitPaise: band.lower,
      upperCircuitPaise: band.upper,
    };
  }

  /** Returns the last price and the five-level book (bids at and below the last price, asks above it) at a second. */
  book(model: InstrumentModel, minute: number, second: number): OrderBookView {
    const last = this.priceAt(model, minute, second);
    return { lastPricePaise: last, ...this.#depth(model, last, minute * 60 + second) };
  }

  #depth(
    model: InstrumentModel,
    last: number,
    secondIndex: number,
  ): { buy: DepthLevel[]; sell: DepthLevel[] } {
    const tick = model.instrument.tickSizePaise;
    const buy: DepthLevel[] = [];
    const sell: DepthLevel[] = [];
    for (let level = 0; level < 5; level++) {
      buy.push(this.#depthLevel(model, last - level * tick, secondIndex, level));
      sell.push(this.#depthLevel(model, last + (level + 1) * tick, secondIndex, level + 5));
    }
    return { buy, sell };
  }

  #depthLevel(model: InstrumentModel, pricePaise: number, secondIndex: number, level: number): DepthLevel {
    if (model.minuteVolume === 0 || pricePaise <= 0) return { pricePaise: 0, quantity: 0, orders: 0 };
    const r = hashUnit(this.#seed, model.stream, DEPTH_STREAM + level, secondIndex);
    const lot = model.instrument.lotSize;
    const quantity =
      lot > 1
        ? lot * (1 + Math.floor(r * 30))
        : Math.max(1, Math.round(model.minuteVolume * 0.08 * (0.3 + r)));
    const orders = Math.min(quantity / Math.max(1, lot), 1 + Math.floor(r * 17));
    return { pricePaise, quantity, orders: Math.max(1, Math.floor(orders)) };
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
    return this.#history.candles(model, interval, fromMs, toMs, nowMs, continuous);
  }
}
