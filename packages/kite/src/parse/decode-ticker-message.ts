import type { DepthLevel, Paise, Tick } from '@kitepilot/core';
import { isPaiseSegment, KITE_SEGMENTS } from './ticker-segment.ts';
import type { TickerDecodeStats } from './ticker-decode-stats.ts';

// Decodes Kite ticker binary frames (kite-connect.md §5.3–5.5) straight from the received bytes: one
// DataView over the caller's buffer, no packet copies (the official client slices every field into a
// new ArrayBuffer, which is why it manages only ~31k ticks/s).
//
// Integer choices: prices are read as signed int32, like the official TS client, because a price or
// a price change can be negative (the index "change" field, spreads); quantities, volume, OI and
// timestamps are read as unsigned uint32, like pykiteconnect and gokiteconnect, because they are
// non-negative by definition and a day's volume can pass 2^31. The raw price integer of a divisor-100
// segment is the price in paise, so prices need no arithmetic at all.

/** Why part of a frame could not be decoded. */
export type TickerDecodeErrorReason =
  'empty-frame' | 'truncated-length' | 'packet-overrun' | 'unknown-packet-length' | 'trailing-bytes';

/** A malformed part of a frame, with where it was and why. */
export interface TickerDecodeError {
  readonly reason: TickerDecodeErrorReason;
  /** Byte offset in the frame where the problem starts. */
  readonly offset: number;
  /** Index of the packet concerned (0-based), or −1 for the frame header. */
  readonly packetIndex: number;
  readonly message: string;
}

/** Why a well-formed packet produced no tick. */
export type SkippedPacketReason = 'currency-segment' | 'unknown-segment';

/** A well-formed packet deliberately not turned into a Tick. */
export interface SkippedPacket {
  readonly token: number;
  readonly segment: number;
  readonly reason: SkippedPacketReason;
}

/** What decodeTickerMessageDetailed returns. */
export interface DetailedDecodeResult {
  readonly ticks: Tick[];
  readonly errors: TickerDecodeError[];
  readonly skipped: SkippedPacket[];
}

/** Packet lengths by type (kite-connect.md §5.3): the length alone identifies the layout. */
export const TICKER_PACKET_LENGTHS = {
  ltp: 8,
  indexQuote: 28,
  indexFull: 32,
  quote: 44,
  full: 184,
} as const;

/**
 * Returns the ticks in one binary ticker frame. A heartbeat (1 byte) gives `[]`. Never throws on
 * malformed input: it returns what decoded and counts the rest in `stats` (use
 * decodeTickerMessageDetailed for the reasons). `receivedAtMs` becomes every tick's `tsInit`.
 */
export function decodeTickerMessage(bytes: Uint8Array, receivedAtMs = 0, stats?: TickerDecodeStats): Tick[] {
  const ticks: Tick[] = [];
  decodeInto(bytes, receivedAtMs, ticks, stats ?? null, null, null);
  return ticks;
}

/** Returns the ticks of one frame together with every malformed part and every skipped packet. */
export function decodeTickerMessageDetailed(
  bytes: Uint8Array,
  receivedAtMs = 0,
  stats?: TickerDecodeStats,
): DetailedDecodeResult {
  const result: DetailedDecodeResult = { ticks: [], errors: [], skipped: [] };
  decodeInto(bytes, receivedAtMs, result.ticks, stats ?? null, result.errors, result.skipped);
  return result;
}

function decodeInto(
  bytes: Uint8Array,
  tsInit: number,
  out: Tick[],
  stats: TickerDecodeStats | null,
  errors: TickerDecodeError[] | null,
  skipped: SkippedPacket[] | null,
): void {
  const size = bytes.byteLength;
  if (stats !== null) stats.frames++;
  if (size === 1) {
    // The 1-byte heartbeat (kite-connect.md §5.3).
    if (stats !== null) stats.heartbeats++;
    return;
  }
  if (size < 2) {
    fail(stats, errors, 'empty-frame', 0, -1, 'frame has 0 bytes');
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  const count = view.getUint16(0);
  let pos = 2;
  for (let i = 0; i < count; i++) {
    if (pos + 2 > size) {
      fail(
        stats,
        errors,
        'truncated-length',
        pos,
        i,
        `frame of ${size} bytes declares ${count} packets but ends before the length of packet ${i} at offset ${pos}`,
      );
      return;
    }
    const len = view.getUint16(pos);
    const start = pos + 2;
    if (start + len > size) {
      fail(
        stats,
        errors,
        'packet-overrun',
        pos,
        i,
        `packet ${i} of length ${len} at offset ${start} overruns the frame of ${size} bytes`,
      );
      return;
    }
    pos = start + len;
    if (stats !== null) stats.packets++;
    if (len !== 8 && len !== 28 && len !== 32 && len !== 44 && len !== 184) {
      fail(
        stats,
        errors,
        'unknown-packet-length',
        start - 2,
        i,
        `packet ${i} has length ${len}, which matches no packet type (8, 28, 32, 44, 184)`,
      );
      continue;
    }
    const token = view.getUint32(start);
    const segment = token & 0xff;
    if (!isPaiseSegment(segment)) {
      // Currency prices (÷10^7, ÷10^4) are not whole paise; KitePilot does not trade those segments.
      const reason: SkippedPacketReason =
        segment === KITE_SEGMENTS.cds || segment === KITE_SEGMENTS.bcd
          ? 'currency-segment'
          : 'unknown-segment';
      if (stats !== null) {
        if (reason === 'currency-segment') stats.skippedCurrency++;
        else stats.skippedUnknownSegment++;
      }
      if (skipped !== null) skipped.push({ token, segment, reason });
      continue;
    }
    out.push(decodePacket(view, start, len, token, segment !== KITE_SEGMENTS.indices, tsInit));
    if (stats !== null) stats.ticks++;
  }
  if (pos !== size) {
    fail(
      stats,
      errors,
      'trailing-bytes',
      pos,
      count,
      `${size - pos} bytes follow the ${count} declared packets (frame of ${size} bytes)`,
    );
  }
}

function fail(
  stats: TickerDecodeStats | null,
  errors: TickerDecodeError[] | null,
  reason: TickerDecodeErrorReason,
  offset: number,
  packetIndex: number,
  message: string,
): void {
  if (stats !== null) {
    if (packetIndex < 0 || reason === 'trailing-bytes') stats.malformedFrames++;
    else stats.malformedPackets++;
  }
  if (errors !== null) errors.push({ reason, offset, packetIndex, message });
}

function epochMsOrNull(seconds: number): number | null {
  return seconds === 0 ? null : seconds * 1000;
}

function decodePacket(
  view: DataView,
  p: number,
  len: number,
  token: number,
  tradable: boolean,
  tsInit: number,
): Tick {
  const last = view.getInt32(p + 4) as Paise;
  if (len === 8) {
    return {
      token,
      tradable,
      mode: 'ltp',
      lastPricePaise: last,
      lastTradedQty: null,
      avgTradedPricePaise: null,
      volume: null,
      totalBuyQty: null,
      totalSellQty: null,
      openPaise: null,
      highPaise: null,
      lowPaise: null,
      closePaise: null,
      changePaise: null,
      lastTradeTime: null,
      oi: null,
      oiDayHigh: null,
      oiDayLow: null,
      exchangeTs: null,
      depth: null,
      tsInit,
    };
  }
  if (len === 28 || len === 32) {
    // Index packets put high/low before open/close (kite-connect.md §5.4).
    return {
      token,
      tradable,
      mode: len === 32 ? 'full' : 'quote',
      lastPricePaise: last,
      lastTradedQty: null,
      avgTradedPricePaise: null,
      volume: null,
      totalBuyQty: null,
      totalSellQty: null,
      openPaise: view.getInt32(p + 16) as Paise,
      highPaise: view.getInt32(p + 8) as Paise,
      lowPaise: view.getInt32(p + 12) as Paise,
      closePaise: view.getInt32(p + 20) as Paise,
      changePaise: view.getInt32(p + 24) as Paise,
      lastTradeTime: null,
      oi: null,
      oiDayHigh: null,
      oiDayLow: null,
      exchangeTs: len === 32 ? epochMsOrNull(view.getUint32(p + 28)) : null,
      depth: null,
      tsInit,
    };
  }
  const full = len === 184;
  return {
    token,
    tradable,
    mode: full ? 'full' : 'quote',
    lastPricePaise: last,
    lastTradedQty: view.getUint32(p + 8),
    avgTradedPricePaise: view.getInt32(p + 12) as Paise,
    volume: view.getUint32(p + 16),
    totalBuyQty: view.getUint32(p + 20),
    totalSellQty: view.getUint32(p + 24),
    openPaise: view.getInt32(p + 28) as Paise,
    highPaise: view.getInt32(p + 32) as Paise,
    lowPaise: view.getInt32(p + 36) as Paise,
    closePaise: view.getInt32(p + 40) as Paise,
    changePaise: null,
    lastTradeTime: full ? epochMsOrNull(view.getUint32(p + 44)) : null,
    oi: full ? view.getUint32(p + 48) : null,
    oiDayHigh: full ? view.getUint32(p + 52) : null,
    oiDayLow: full ? view.getUint32(p + 56) : null,
    exchangeTs: full ? epochMsOrNull(view.getUint32(p + 60)) : null,
    depth: full ? { bids: depthSide(view, p + 64), asks: depthSide(view, p + 124) } : null,
    tsInit,
  };
}

function depthSide(view: DataView, p: number): DepthLevel[] {
  return [
    depthLevel(view, p),
    depthLevel(view, p + 12),
    depthLevel(view, p + 24),
    depthLevel(view, p + 36),
    depthLevel(view, p + 48),
  ];
}

function depthLevel(view: DataView, p: number): DepthLevel {
  // Depth entry: +0 quantity, +4 price, +8 uint16 orders, +10 padding (kite-connect.md §5.4).
  return { pricePaise: view.getInt32(p + 4) as Paise, qty: view.getUint32(p), orders: view.getUint16(p + 8) };
}
