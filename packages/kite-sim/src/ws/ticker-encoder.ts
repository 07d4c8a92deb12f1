// The simulator's encoder of Kite's binary ticker frames (kite-connect.md §5.3–§5.4): a uint16 packet count,
// then per packet a uint16 length and the packet; all integers big-endian; the packet type is its length.
import type { MarketSnapshot } from '../market/synthetic-market.ts';

/** Streaming modes of the ticker. */
export type TickerMode = 'ltp' | 'quote' | 'full';

/** One depth entry in raw wire units (price already multiplied by the segment's divisor). */
export interface RawDepthEntry {
  readonly quantity: number;
  readonly price: number;
  readonly orders: number;
}

/**
 * One packet in raw wire units: prices are integers in the segment's divisor (paise for divisor 100),
 * times are Unix seconds. Fields a mode does not carry are ignored; missing ones are written as 0.
 */
export interface TickPacket {
  readonly instrumentToken: number;
  readonly mode: TickerMode;
  readonly lastPrice: number;
  readonly lastTradedQuantity?: number;
  readonly averageTradedPrice?: number;
  readonly volumeTraded?: number;
  readonly totalBuyQuantity?: number;
  readonly totalSellQuantity?: number;
  readonly open?: number;
  readonly high?: number;
  readonly low?: number;
  readonly close?: number;
  /** Index packets only: the raw price-change field at offset 24. */
  readonly change?: number;
  readonly lastTradeTime?: number;
  readonly oi?: number;
  readonly oiDayHigh?: number;
  readonly oiDayLow?: number;
  readonly exchangeTimestamp?: number;
  readonly depth?: { readonly buy: readonly RawDepthEntry[]; readonly sell: readonly RawDepthEntry[] };
}

/** Segment id of indices (§5.5): their quote/full packets are 28/32 bytes. */
export const INDICES_SEGMENT = 9;

/** Returns the packet length of a token in a mode: ltp 8; index 28/32; otherwise quote 44, full 184. */
export function packetLength(instrumentToken: number, mode: TickerMode): number {
  if (mode === 'ltp') return 8;
  if ((instrumentToken & 0xff) === INDICES_SEGMENT) return mode === 'quote' ? 28 : 32;
  return mode === 'quote' ? 44 : 184;
}

function writeInt(view: DataView, offset: number, value: number | undefined): void {
  const v = value ?? 0;
  if (!Number.isSafeInteger(v) || v < -2147483648 || v > 4294967295) {
    throw new RangeError(`ticker field value ${v} at offset ${offset} does not fit in 32 bits`);
  }
  if (v < 0) view.setInt32(offset, v);
  else view.setUint32(offset, v);
}

function writePacket(view: DataView, at: number, p: TickPacket): void {
  writeInt(view, at, p.instrumentToken);
  writeInt(view, at + 4, p.lastPrice);
  if (p.mode === 'ltp') return;
  if ((p.instrumentToken & 0xff) === INDICES_SEGMENT) {
    // §5.4: index packets order the OHLC fields high, low, open, close.
    writeInt(view, at + 8, p.high);
    writeInt(view, at + 12, p.low);
    writeInt(view, at + 16, p.open);
    writeInt(view, at + 20, p.close);
    writeInt(view, at + 24, p.change);
    if (p.mode === 'full') writeInt(view, at + 28, p.exchangeTimestamp);
    return;
  }
  writeInt(view, at + 8, p.lastTradedQuantity);
  writeInt(view, at + 12, p.averageTradedPrice);
  writeInt(view, at + 16, p.volumeTraded);
  writeInt(view, at + 20, p.totalBuyQuantity);
  writeInt(view, at + 24, p.totalSellQuantity);
  writeInt(view, at + 28, p.open);
  writeInt(view, at + 32, p.high);
  writeInt(view, at + 36, p.low);
  writeInt(view, at + 40, p.close);
  if (p.mode === 'quote') return;
  writeInt(view, at + 44, p.lastTradeTime);
  writeInt(view, at + 48, p.oi);
  writeInt(view, at + 52, p.oiDayHigh);
  writeInt(view, at + 56, p.oiDayLow);
  writeInt(view, at + 60, p.exchangeTimestamp);
  const entries = [...(p.depth?.buy ?? []).slice(0, 5)];
  while (entries.length < 5) entries.push({ quantity: 0, price: 0, orders: 0 });
  entries.push(...(p.depth?.sell ?? []).slice(0, 5));
  while (entries.length < 10) entries.push({ quantity: 0, price: 0, orders: 0 });
  entries.forEach((e, i) => {
    const o = at + 64 + i * 12;
    writeInt(view, o, e.quantity);
    writeInt(view, o + 4, e.price);
    view.setUint16(o + 8, e.orders);
    // Bytes 10–11 of a depth entry are padding.
  });
}

/** Returns one binary ticker message carrying the packets in order. */
export function encodeTickerFrame(packets: readonly TickPacket[]): Uint8Array {
  if (packets.length > 0xffff)
    throw new RangeError(`${packets.length} packets do not fit in one frame (max 65535)`);
  let size = 2;
  for (const p of packets) size += 2 + packetLength(p.instrumentToken, p.mode);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, packets.length);
  let at = 2;
  for (const p of packets) {
    const length = packetLength(p.instrumentToken, p.mode);
    view.setUint16(at, length);
    writePacket(view, at + 2, p);
    at += 2 + length;
  }
  return bytes;
}

/** Returns the packet of a market snapshot in a mode (prices in paise: every simulated segment divides by 100). */
export function packetFromSnapshot(s: MarketSnapshot, mode: TickerMode): TickPacket {
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  const depth = (levels: MarketSnapshot['buy']) =>
    levels.map((l) => ({ quantity: l.quantity, price: l.pricePaise, orders: l.orders }));
  return {
    instrumentToken: s.instrument.instrumentToken,
    mode,
    lastPrice: s.lastPricePaise,
    lastTradedQuantity: s.lastQuantity,
    averageTradedPrice: s.averagePricePaise,
    volumeTraded: s.volume,
    totalBuyQuantity: s.buyQuantity,
    totalSellQuantity: s.sellQuantity,
    open: s.openPaise,
    high: s.highPaise,
    low: s.lowPaise,
    close: s.closePaise,
    change: s.lastPricePaise - s.closePaise,
    lastTradeTime: seconds(s.lastTradeTimeMs),
    oi: s.oi,
    oiDayHigh: s.oiDayHigh,
    oiDayLow: s.oiDayLow,
    exchangeTimestamp: seconds(s.exchangeTimestampMs),
    depth: { buy: depth(s.buy), sell: depth(s.sell) },
  };
}
