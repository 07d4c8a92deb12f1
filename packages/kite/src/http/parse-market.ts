// Quote, OHLC, LTP and candle responses (kite-connect.md §2.3) in paise and epoch ms.
import type { Paise } from '@kitepilot/core';
import { candleTimestampToEpochMs, readIstField } from './kite-time.ts';
import { arr, amountPaise, int, obj, pricePaise, valuePricePaise, type KiteJson } from './kite-values.ts';

/** Open, high, low and (previous) close in paise. */
export interface KiteOhlc {
  readonly openPaise: Paise;
  readonly highPaise: Paise;
  readonly lowPaise: Paise;
  readonly closePaise: Paise;
}

/** One market-depth level. */
export interface KiteDepthLevel {
  readonly pricePaise: Paise;
  readonly quantity: number;
  readonly orders: number;
}

/** An LTP entry (GET /quote/ltp). */
export interface KiteLtp {
  readonly instrumentToken: number;
  readonly lastPricePaise: Paise;
}

/** An OHLC entry (GET /quote/ohlc). */
export interface KiteOhlcQuote extends KiteLtp {
  readonly ohlc: KiteOhlc;
}

/** A full quote entry (GET /quote). */
export interface KiteQuote extends KiteOhlcQuote {
  readonly timestampMs: number | null;
  readonly lastTradeTimeMs: number | null;
  readonly lastQuantity: number;
  readonly buyQuantity: number;
  readonly sellQuantity: number;
  readonly volume: number;
  readonly averagePricePaise: Paise;
  readonly oi: number;
  readonly oiDayHigh: number;
  readonly oiDayLow: number;
  /** `net_change` in paise. */
  readonly netChangePaise: Paise;
  readonly lowerCircuitLimitPaise: Paise;
  readonly upperCircuitLimitPaise: Paise;
  readonly depth: { readonly buy: readonly KiteDepthLevel[]; readonly sell: readonly KiteDepthLevel[] };
}

function ohlc(v: unknown): KiteOhlc {
  const o = v === undefined || v === null ? {} : obj(v, 'ohlc');
  return {
    openPaise: pricePaise(o, 'open'),
    highPaise: pricePaise(o, 'high'),
    lowPaise: pricePaise(o, 'low'),
    closePaise: pricePaise(o, 'close'),
  };
}

function levels(v: unknown, side: string): KiteDepthLevel[] {
  if (v === undefined || v === null) return [];
  return arr(v, `depth.${side}`).map((x) => {
    const o = obj(x, `depth.${side} level`);
    return { pricePaise: pricePaise(o, 'price'), quantity: int(o, 'quantity'), orders: int(o, 'orders') };
  });
}

/** Returns an LTP entry. */
export function parseLtp(v: unknown): KiteLtp {
  const o = obj(v, 'ltp entry');
  return { instrumentToken: int(o, 'instrument_token'), lastPricePaise: pricePaise(o, 'last_price') };
}

/** Returns an OHLC entry. */
export function parseOhlcQuote(v: unknown): KiteOhlcQuote {
  const o = obj(v, 'ohlc entry');
  return { ...parseLtp(o), ohlc: ohlc(o['ohlc']) };
}

/** Returns a full quote entry. */
export function parseQuote(v: unknown): KiteQuote {
  const o: KiteJson = obj(v, 'quote entry');
  const depth = o['depth'] === undefined || o['depth'] === null ? {} : obj(o['depth'], 'depth');
  return {
    ...parseOhlcQuote(o),
    timestampMs: readIstField(o['timestamp']),
    lastTradeTimeMs: readIstField(o['last_trade_time']),
    lastQuantity: int(o, 'last_quantity'),
    buyQuantity: int(o, 'buy_quantity'),
    sellQuantity: int(o, 'sell_quantity'),
    volume: int(o, 'volume'),
    averagePricePaise: amountPaise(o, 'average_price'),
    oi: int(o, 'oi'),
    oiDayHigh: int(o, 'oi_day_high'),
    oiDayLow: int(o, 'oi_day_low'),
    netChangePaise: amountPaise(o, 'net_change'),
    lowerCircuitLimitPaise: pricePaise(o, 'lower_circuit_limit'),
    upperCircuitLimitPaise: pricePaise(o, 'upper_circuit_limit'),
    depth: { buy: levels(depth['buy'], 'buy'), sell: levels(depth['sell'], 'sell') },
  };
}

/** Returns the map in `data` with every entry parsed by `parse`, keyed by `EX:SYMBOL`. */
export function parseQuoteMap<T>(data: unknown, parse: (v: unknown) => T): Map<string, T> {
  const o = obj(data, 'quote map');
  const out = new Map<string, T>();
  for (const [key, value] of Object.entries(o)) out.set(key, parse(value));
  return out;
}

/** The candle intervals of GET /instruments/historical (§2.3). */
export const CANDLE_INTERVALS = [
  'minute',
  '3minute',
  '5minute',
  '10minute',
  '15minute',
  '30minute',
  '60minute',
  'day',
] as const;

/** One candle interval. */
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

/** One historical candle. `oi` is null only when it was not requested; 0 is kept (unlike the official client). */
export interface KiteCandle {
  readonly tsMs: number;
  readonly openPaise: Paise;
  readonly highPaise: Paise;
  readonly lowPaise: Paise;
  readonly closePaise: Paise;
  readonly volume: number;
  readonly oi: number | null;
}

/** Returns the candles of `data` (`{candles: [[ts, o, h, l, c, v, oi?], …]}`). */
export function parseCandles(data: unknown): KiteCandle[] {
  const candles = arr(obj(data, 'historical data')['candles'], 'candles');
  return candles.map((row, i) => {
    const c = arr(row, `candle ${i}`);
    const ts = c[0];
    if (typeof ts !== 'string')
      throw new RangeError(`candle ${i} timestamp ${JSON.stringify(ts)} is not a string`);
    const volume = c[5];
    const oi = c[6];
    if (typeof volume !== 'number' || !Number.isSafeInteger(volume)) {
      throw new RangeError(`candle ${i} (${ts}) volume ${JSON.stringify(volume)} is not an integer`);
    }
    if (oi !== undefined && (typeof oi !== 'number' || !Number.isSafeInteger(oi))) {
      throw new RangeError(`candle ${i} (${ts}) oi ${JSON.stringify(oi)} is not an integer`);
    }
    return {
      tsMs: candleTimestampToEpochMs(ts),
      openPaise: valuePricePaise(c[1], `candle ${ts} open`),
      highPaise: valuePricePaise(c[2], `candle ${ts} high`),
      lowPaise: valuePricePaise(c[3], `candle ${ts} low`),
      closePaise: valuePricePaise(c[4], `candle ${ts} close`),
      volume,
      oi: oi === undefined ? null : oi,
    };
  });
}
