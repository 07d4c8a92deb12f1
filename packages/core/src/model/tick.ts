import type { Paise } from './money.ts';

/** The ticker subscription mode a tick was received in (kite-connect.md §5.4). */
export type TickMode = 'ltp' | 'quote' | 'full';

/** One market-depth level. */
export interface DepthLevel {
  readonly pricePaise: Paise;
  readonly qty: number;
  readonly orders: number;
}

/** Five bid and five ask levels of a full-mode tick. */
export interface Depth {
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

/**
 * A normalised ticker packet. Every Tick object has every key (flat and monomorphic for speed);
 * a field the packet's mode or type does not carry is null, never 0 (kite-connect.md §5.4).
 */
export interface Tick {
  /** Kite `instrument_token`. */
  readonly token: number;
  /** False for index packets (segment 9). */
  readonly tradable: boolean;
  readonly mode: TickMode;
  readonly lastPricePaise: Paise;
  readonly lastTradedQty: number | null;
  readonly avgTradedPricePaise: Paise | null;
  /** Cumulative volume traded today. */
  readonly volume: number | null;
  readonly totalBuyQty: number | null;
  readonly totalSellQty: number | null;
  readonly openPaise: Paise | null;
  readonly highPaise: Paise | null;
  readonly lowPaise: Paise | null;
  /** Previous trading day's close. */
  readonly closePaise: Paise | null;
  /**
   * The raw "price change" field of index quote/full packets (offset 24), null for other packets;
   * for equities the change is derived as last − close.
   */
  readonly changePaise: Paise | null;
  /** Epoch ms of the last trade (full mode), null when absent or 0. */
  readonly lastTradeTime: number | null;
  readonly oi: number | null;
  readonly oiDayHigh: number | null;
  readonly oiDayLow: number | null;
  /** Exchange timestamp in epoch ms, null when absent or 0. */
  readonly exchangeTs: number | null;
  readonly depth: Depth | null;
  /** Epoch ms when we received the packet. */
  readonly tsInit: number;
}

/** The fields of a Tick that every mode carries; the rest default to null in makeTick. */
export type TickRequired = Pick<Tick, 'token' | 'tradable' | 'mode' | 'lastPricePaise' | 'tsInit'>;

/** Returns a Tick with every key present: the given fields, and null for the rest. */
export function makeTick(fields: TickRequired & Partial<Tick>): Tick {
  // The literal lists every key in one fixed order so every Tick shares one hidden class.
  return {
    token: fields.token,
    tradable: fields.tradable,
    mode: fields.mode,
    lastPricePaise: fields.lastPricePaise,
    lastTradedQty: fields.lastTradedQty ?? null,
    avgTradedPricePaise: fields.avgTradedPricePaise ?? null,
    volume: fields.volume ?? null,
    totalBuyQty: fields.totalBuyQty ?? null,
    totalSellQty: fields.totalSellQty ?? null,
    openPaise: fields.openPaise ?? null,
    highPaise: fields.highPaise ?? null,
    lowPaise: fields.lowPaise ?? null,
    closePaise: fields.closePaise ?? null,
    changePaise: fields.changePaise ?? null,
    lastTradeTime: fields.lastTradeTime ?? null,
    oi: fields.oi ?? null,
    oiDayHigh: fields.oiDayHigh ?? null,
    oiDayLow: fields.oiDayLow ?? null,
    exchangeTs: fields.exchangeTs ?? null,
    depth: fields.depth ?? null,
    tsInit: fields.tsInit,
  };
}
