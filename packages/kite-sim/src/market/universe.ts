// The simulated universe: ten NSE equities, one index (segment 9), two NIFTY-like futures and a weekly
// NIFTY-like option chain (market-rules.md §4.3 ticks, §4.4 freeze, §4.5 lot 65, §4.6 Tuesday expiries).
import { istDate, istToEpochMs, nseTickSizePaise, paise } from '@kitepilot/core';
import { monthlyExpiriesFrom, monthlySymbolPart, weeklyExpiryFrom, weeklySymbolPart } from './expiries.ts';
import { stringId } from './hash.ts';
import { UnderlyingPath } from './price-path.ts';
import { istDayNumber, SESSION_MINUTES } from './session-time.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** How an instrument's price is produced. */
export type PriceModel =
  | { readonly kind: 'path'; readonly path: UnderlyingPath }
  | { readonly kind: 'future'; readonly rank: number; readonly expiryMs: number }
  | {
      readonly kind: 'option';
      readonly optionType: 'CE' | 'PE';
      readonly strike: number;
      readonly expiryMs: number;
    };

/** An instrument with the parameters of its synthetic market. */
export interface InstrumentModel {
  readonly instrument: SimInstrument;
  readonly price: PriceModel;
  /** Random stream id of the instrument (volumes, depth). */
  readonly stream: number;
  /** Average traded units per minute. */
  readonly minuteVolume: number;
  /** Average open interest in units (0 for cash instruments). */
  readonly baseOi: number;
  /** Daily price band as a fraction of the previous close (0 when the band is computed differently). */
  readonly band: number;
}

/** The universe and its shared underlying (the index path that drives every derivative). */
export interface Universe {
  readonly models: readonly InstrumentModel[];
  readonly index: UnderlyingPath;
}

interface EquitySpec {
  readonly symbol: string;
  readonly name: string;
  readonly price: number;
  readonly band: number;
  readonly vol: number;
}

const EQUITIES: readonly EquitySpec[] = [
  { symbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', price: 1452.3, band: 0.1, vol: 0.012 },
  { symbol: 'TCS', name: 'TATA CONSULTANCY SERV', price: 3120, band: 0.1, vol: 0.011 },
  { symbol: 'HDFCBANK', name: 'HDFC BANK', price: 985.5, band: 0.1, vol: 0.01 },
  { symbol: 'INFY', name: 'INFOSYS', price: 1548, band: 0.1, vol: 0.013 },
  { symbol: 'SBIN', name: 'STATE BANK OF INDIA', price: 872.4, band: 0.1, vol: 0.013 },
  { symbol: 'ITC', name: 'ITC', price: 412.35, band: 0.1, vol: 0.009 },
  { symbol: 'TATASTEEL', name: 'TATA STEEL', price: 164.8, band: 0.1, vol: 0.016 },
  { symbol: 'MARUTI', name: 'MARUTI SUZUKI INDIA', price: 12820, band: 0.1, vol: 0.012 },
  { symbol: 'PAGEIND', name: 'PAGE INDUSTRIES', price: 44850, band: 0.2, vol: 0.012 },
  { symbol: 'IDEA', name: 'VODAFONE IDEA', price: 9.45, band: 0.2, vol: 0.025 },
];

const INDEX_BASE = 25_800;
const INDEX_VOL = 0.009;
/** NIFTY lot size from Jan 2026 expiries (market-rules.md §4.5). */
export const NIFTY_LOT = 65;
/** NIFTY quantity freeze limit (market-rules.md §4.4). */
export const NIFTY_FREEZE = 1800;
const STRIKE_STEP = 50;
const STRIKES_EACH_SIDE = 10;
const EXPIRY_TIME = '15:30';

/** Returns the segment id of Kite's token rule (§5.5). */
export const SEGMENT_IDS = { NSE: 1, NFO: 2, INDICES: 9 } as const;

function token(exchangeToken: number, segmentId: number): number {
  return exchangeToken * 256 + segmentId;
}

/** Builds the universe for the IST day of `nowMs` (expiries and strikes depend on it). */
export function buildUniverse(seed: number, nowMs: number): Universe {
  const models: InstrumentModel[] = [];
  EQUITIES.forEach((spec, i) => {
    const exchangeToken = 7_100_001 + i;
    const symbol = `SIM${spec.symbol}`;
    const stream = stringId(symbol);
    models.push({
      instrument: {
        instrumentToken: token(exchangeToken, SEGMENT_IDS.NSE),
        exchangeToken,
        tradingsymbol: symbol,
        name: `SIM ${spec.name}`,
        exchange: 'NSE',
        segment: 'NSE',
        instrumentType: 'EQ',
        expiry: null,
        strikePaise: 0,
        tickSizePaise: nseTickSizePaise(paise(Math.round(spec.price * 100)), 'equity'),
        lotSize: 1,
        freezeQuantity: null,
        tradable: true,
        key: `NSE:${symbol}`,
      },
      price: { kind: 'path', path: new UnderlyingPath(seed, stream, spec.price, spec.vol) },
      stream,
      minuteVolume: Math.max(1, Math.round(4_000_000 / spec.price)),
      baseOi: 0,
      band: spec.band,
    });
  });

  const indexSymbol = 'SIM NIFTY 50';
  const indexStream = stringId(indexSymbol);
  const index = new UnderlyingPath(seed, indexStream, INDEX_BASE, INDEX_VOL);
  models.push({
    instrument: {
      instrumentToken: token(7_200_001, SEGMENT_IDS.INDICES),
      exchangeToken: 7_200_001,
      tradingsymbol: indexSymbol,
      name: indexSymbol,
      exchange: 'NSE',
      segment: 'INDICES',
      instrumentType: 'EQ',
      expiry: null,
      strikePaise: 0,
      tickSizePaise: 5,
      lotSize: 0,
      freezeQuantity: null,
      tradable: false,
      key: `NSE:${indexSymbol}`,
    },
    price: { kind: 'path', path: index },
    stream: indexStream,
    minuteVolume: 0,
    baseOi: 0,
    band: 0,
  });

  const today = istDate(nowMs);
  const monthly = monthlyExpiriesFrom(today, 2);
  monthly.forEach((expiry, rank) => {
    const exchangeToken = 7_300_001 + rank;
    const symbol = `SIMNIFTY${monthlySymbolPart(expiry)}FUT`;
    models.push({
      instrument: {
        instrumentToken: token(exchangeToken, SEGMENT_IDS.NFO),
        exchangeToken,
        tradingsymbol: symbol,
        name: 'SIMNIFTY',
        exchange: 'NFO',
        segment: 'NFO-FUT',
        instrumentType: 'FUT',
        expiry,
        strikePaise: 0,
        tickSizePaise: nseTickSizePaise(paise(INDEX_BASE * 100), 'index-future'),
        lotSize: NIFTY_LOT,
        freezeQuantity: NIFTY_FREEZE,
        tradable: true,
        key: `NFO:${symbol}`,
      },
      price: { kind: 'future', rank, expiryMs: istToEpochMs(expiry, EXPIRY_TIME) },
      stream: stringId(symbol),
      minuteVolume: NIFTY_LOT * (rank === 0 ? 60 : 8),
      baseOi: NIFTY_LOT * (rank === 0 ? 180_000 : 30_000),
      band: 0.1,
    });
  });

  const weekly = weeklyExpiryFrom(today);
  const weeklyIsMonthly = monthly.includes(weekly);
  const firstMinuteToday = istDayNumber(nowMs) * SESSION_MINUTES;
  const atm = Math.round(index.open(firstMinuteToday) / STRIKE_STEP) * STRIKE_STEP;
  let optionIndex = 0;
  for (let k = -STRIKES_EACH_SIDE; k <= STRIKES_EACH_SIDE; k++) {
    const strike = atm + k * STRIKE_STEP;
    for (const optionType of ['CE', 'PE'] as const) {
      const exchangeToken = 7_400_001 + optionIndex++;
      const stem = weeklyIsMonthly ? monthlySymbolPart(weekly) : weeklySymbolPart(weekly);
      const symbol = `SIMNIFTY${stem}${strike}${optionType}`;
      const nearness = Math.exp(-Math.abs(k) / 4);
      models.push({
        instrument: {
          instrumentToken: token(exchangeToken, SEGMENT_IDS.NFO),
          exchangeToken,
          tradingsymbol: symbol,
          name: 'SIMNIFTY',
          exchange: 'NFO',
          segment: 'NFO-OPT',
          instrumentType: optionType,
          expiry: weekly,
          strikePaise: strike * 100,
          tickSizePaise: nseTickSizePaise(paise(0), 'index-option'),
          lotSize: NIFTY_LOT,
          freezeQuantity: NIFTY_FREEZE,
          tradable: true,
          key: `NFO:${symbol}`,
        },
        price: { kind: 'option', optionType, strike, expiryMs: istToEpochMs(weekly, EXPIRY_TIME) },
        stream: stringId(symbol),
        minuteVolume: NIFTY_LOT * Math.max(2, Math.round(400 * nearness)),
        baseOi: NIFTY_LOT * Math.max(500, Math.round(60_000 * nearness)),
        band: 0,
      });
    }
  }
  return { models, index };
}
