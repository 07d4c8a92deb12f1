// Builds Kite ticker binary frames from raw packet fields, for tests only (the simulator has its own
// encoder). Layouts follow kite-connect.md §5.3–5.4; prices are the raw int32 (paise for divisor 100).

/** One raw depth entry. */
export interface RawDepthEntry {
  readonly qty: number;
  readonly price: number;
  readonly orders: number;
}

/** An 8-byte LTP packet. */
export interface RawLtpPacket {
  readonly kind: 'ltp';
  readonly token: number;
  readonly last: number;
}

/** A 28-byte (quote) or 32-byte (full) index packet. */
export interface RawIndexPacket {
  readonly kind: 'index-quote' | 'index-full';
  readonly token: number;
  readonly last: number;
  readonly high: number;
  readonly low: number;
  readonly open: number;
  readonly close: number;
  readonly change: number;
  /** Unix seconds; only written for index-full. */
  readonly exchangeTs: number;
}

/** A 44-byte quote or 184-byte full packet. */
export interface RawQuotePacket {
  readonly kind: 'quote' | 'full';
  readonly token: number;
  readonly last: number;
  readonly lastQty: number;
  readonly avg: number;
  readonly volume: number;
  readonly buyQty: number;
  readonly sellQty: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** The fields below are only written for full packets. */
  readonly lastTradeTime: number;
  readonly oi: number;
  readonly oiDayHigh: number;
  readonly oiDayLow: number;
  readonly exchangeTs: number;
  /** 10 entries: 5 bids then 5 asks. */
  readonly depth: readonly RawDepthEntry[];
}

/** Any raw packet. */
export type RawPacket = RawLtpPacket | RawIndexPacket | RawQuotePacket;

/** Returns the byte length of a packet kind. */
export function packetLength(kind: RawPacket['kind']): number {
  return { ltp: 8, 'index-quote': 28, 'index-full': 32, quote: 44, full: 184 }[kind];
}

function isIndexPacket(p: RawPacket): p is RawIndexPacket {
  return p.kind === 'index-quote' || p.kind === 'index-full';
}

/** Returns the bytes of one packet (without its length prefix). */
export function encodePacket(packet: RawPacket): Uint8Array {
  const bytes = new Uint8Array(packetLength(packet.kind));
  const v = new DataView(bytes.buffer);
  v.setUint32(0, packet.token);
  v.setInt32(4, packet.last);
  if (packet.kind === 'ltp') return bytes;
  if (isIndexPacket(packet)) {
    v.setInt32(8, packet.high);
    v.setInt32(12, packet.low);
    v.setInt32(16, packet.open);
    v.setInt32(20, packet.close);
    v.setInt32(24, packet.change);
    if (packet.kind === 'index-full') v.setUint32(28, packet.exchangeTs);
    return bytes;
  }
  v.setUint32(8, packet.lastQty);
  v.setInt32(12, packet.avg);
  v.setUint32(16, packet.volume);
  v.setUint32(20, packet.buyQty);
  v.setUint32(24, packet.sellQty);
  v.setInt32(28, packet.open);
  v.setInt32(32, packet.high);
  v.setInt32(36, packet.low);
  v.setInt32(40, packet.close);
  if (packet.kind === 'quote') return bytes;
  v.setUint32(44, packet.lastTradeTime);
  v.setUint32(48, packet.oi);
  v.setUint32(52, packet.oiDayHigh);
  v.setUint32(56, packet.oiDayLow);
  v.setUint32(60, packet.exchangeTs);
  for (let i = 0; i < 10; i++) {
    const e = packet.depth[i] ?? { qty: 0, price: 0, orders: 0 };
    v.setUint32(64 + i * 12, e.qty);
    v.setInt32(68 + i * 12, e.price);
    v.setUint16(72 + i * 12, e.orders);
  }
  return bytes;
}

/** Returns a frame: uint16 packet count, then each packet with its uint16 length (kite-connect.md §5.3). */
export function encodeFrame(packets: readonly (RawPacket | Uint8Array)[]): Uint8Array {
  const bodies = packets.map((p) => (p instanceof Uint8Array ? p : encodePacket(p)));
  const size = 2 + bodies.reduce((n, b) => n + 2 + b.byteLength, 0);
  const frame = new Uint8Array(size);
  const v = new DataView(frame.buffer);
  v.setUint16(0, bodies.length);
  let pos = 2;
  for (const body of bodies) {
    v.setUint16(pos, body.byteLength);
    frame.set(body, pos + 2);
    pos += 2 + body.byteLength;
  }
  return frame;
}

/** Returns a full packet with plausible defaults, overridden by `fields`. */
export function aFullPacket(fields: Partial<Omit<RawQuotePacket, 'kind'>> = {}): RawQuotePacket {
  const depth: RawDepthEntry[] = [];
  // The first bid is the documented mock's `5 @ 157340, 1 order` (kite-connect.md §5.4).
  for (let i = 0; i < 5; i++) depth.push({ qty: i === 0 ? 5 : 10 + i, price: 157340 - i * 5, orders: 1 + i });
  for (let i = 0; i < 5; i++) depth.push({ qty: 20 + i, price: 157375 + i * 5, orders: 2 + i });
  return {
    kind: 'full',
    token: 408065,
    last: 157370,
    lastQty: 5,
    avg: 157126,
    volume: 1_192_471,
    buyQty: 172_015,
    sellQty: 343_447,
    open: 156000,
    high: 157800,
    low: 155810,
    close: 155975,
    lastTradeTime: 1625461887,
    oi: 0,
    oiDayHigh: 0,
    oiDayLow: 0,
    exchangeTs: 1625461887,
    depth,
    ...fields,
  };
}
