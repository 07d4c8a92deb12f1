// The official kiteconnect 5.3.0 decoder and the normalisations that make its ticks comparable with ours
// (see decode-ticker-message.parity.test.ts for the list of documented differences). Tests only.
import type { Tick } from '@kitepilot/core';
import { KiteTicker } from 'kiteconnect';

/** A tick as the official client returns it. */
export type OfficialTick = Record<string, unknown>;

// parseBinary is a public method at runtime but missing from the package's type declarations.
const official = new KiteTicker({
  api_key: 'parity',
  access_token: 'parity',
  reconnect: false,
}) as unknown as {
  parseBinary(frame: ArrayBuffer): unknown;
};

/** Returns the official client's ticks for a frame (its public KiteTicker#parseBinary). */
export function officialDecode(frame: Uint8Array): OfficialTick[] {
  const copy = frame.slice().buffer;
  return official.parseBinary(copy) as OfficialTick[];
}

const rupees = (paise: number | null): number | null => (paise === null ? null : paise / 100);
const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** Returns our tick in the official client's shape and units (the normalisations listed in the parity test's header). */
export function toOfficialShape(t: Tick): OfficialTick {
  const base: OfficialTick = {
    tradable: t.tradable,
    mode: t.mode,
    instrument_token: t.token,
    last_price: rupees(t.lastPricePaise),
  };
  if (t.mode === 'ltp') return base;
  const last = t.lastPricePaise / 100;
  const close = (t.closePaise ?? 0) / 100;
  const isIndexPacket = t.lastTradedQty === null;
  // The official formula (ticker.js parseBinary): % change vs close, else the raw field (index) or 0.
  const change = close !== 0 ? ((last - close) * 100) / close : isIndexPacket ? t.changePaise : 0;
  const ohlc = {
    open: rupees(t.openPaise),
    high: rupees(t.highPaise),
    low: rupees(t.lowPaise),
    close: rupees(t.closePaise),
  };
  if (isIndexPacket) {
    return {
      ...base,
      ohlc,
      change,
      ...(t.mode === 'full' ? { exchange_timestamp: date(t.exchangeTs) } : {}),
    };
  }
  const quote: OfficialTick = {
    ...base,
    last_traded_quantity: t.lastTradedQty,
    average_traded_price: rupees(t.avgTradedPricePaise),
    volume_traded: t.volume,
    total_buy_quantity: t.totalBuyQty,
    total_sell_quantity: t.totalSellQty,
    ohlc,
    change,
  };
  if (t.mode === 'quote') return quote;
  const level = (l: { pricePaise: number; qty: number; orders: number }): object => ({
    quantity: l.qty,
    price: l.pricePaise / 100,
    orders: l.orders,
  });
  const depth = t.depth;
  if (depth === null) throw new Error(`full tick ${t.token} has no depth`);
  return {
    ...quote,
    last_trade_time: date(t.lastTradeTime),
    exchange_timestamp: date(t.exchangeTs),
    oi: t.oi,
    oi_day_high: t.oiDayHigh,
    oi_day_low: t.oiDayLow,
    depth: { buy: depth.bids.map(level), sell: depth.asks.map(level) },
  };
}

const UNSIGNED_KEYS = [
  'last_traded_quantity',
  'volume_traded',
  'total_buy_quantity',
  'total_sell_quantity',
  'oi',
  'oi_day_high',
  'oi_day_low',
];

/** Returns the official tick with its signed reads of unsigned fields reinterpreted as uint32. */
export function normaliseOfficial(o: OfficialTick): OfficialTick {
  const n: OfficialTick = { ...o };
  for (const k of UNSIGNED_KEYS) if (typeof n[k] === 'number') n[k] = (n[k] as number) >>> 0;
  for (const k of ['last_trade_time', 'exchange_timestamp']) {
    if (n[k] instanceof Date) n[k] = new Date(((n[k].getTime() / 1000) >>> 0) * 1000);
  }
  const depth = n['depth'] as { buy: OfficialTick[]; sell: OfficialTick[] } | undefined;
  if (depth !== undefined) {
    const fix = (l: OfficialTick): OfficialTick => ({ ...l, quantity: (l['quantity'] as number) >>> 0 });
    n['depth'] = { buy: depth.buy.map(fix), sell: depth.sell.map(fix) };
  }
  return n;
}
