// Invariant: every frame the simulator encodes decodes, with the official client's parseBinary, to the same
// values for every packet type (ltp 8, index 28/32, quote 44, full 184), prices divided by 100 and times as
// Unix seconds; the frame header counts the packets and carries each packet's length.
import fc from 'fast-check';
import { KiteTicker } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import { encodeTickerFrame, packetLength, type TickerMode, type TickPacket } from './ticker-encoder.ts';

// Constructing the official ticker opens nothing; its parseBinary (present at runtime, missing from the
// typings) is a pure function of the bytes.
const official = new KiteTicker({ api_key: 'k', access_token: 't', reconnect: false }) as unknown as {
  parseBinary(bytes: ArrayBuffer): unknown;
};

interface OfficialTick {
  readonly [key: string]: unknown;
}

function decode(frame: Uint8Array): OfficialTick[] {
  const copy = frame.slice().buffer;
  return official.parseBinary(copy) as unknown as OfficialTick[];
}

const int31 = fc.integer({ min: 0, max: 2_000_000_000 });
const seconds = fc.integer({ min: 1, max: 2_000_000_000 });
const level = fc.record({ quantity: int31, price: int31, orders: fc.integer({ min: 0, max: 65535 }) });
const packet = (segment: number, mode: TickerMode) =>
  fc.record({
    instrumentToken: fc.integer({ min: 1, max: 8_000_000 }).map((t) => t * 256 + segment),
    mode: fc.constant(mode),
    lastPrice: int31,
    lastTradedQuantity: int31,
    averageTradedPrice: int31,
    volumeTraded: int31,
    totalBuyQuantity: int31,
    totalSellQuantity: int31,
    open: int31,
    high: int31,
    low: int31,
    close: int31,
    change: int31,
    lastTradeTime: seconds,
    oi: int31,
    oiDayHigh: int31,
    oiDayLow: int31,
    exchangeTimestamp: seconds,
    depth: fc.record({
      buy: fc.array(level, { minLength: 5, maxLength: 5 }),
      sell: fc.array(level, { minLength: 5, maxLength: 5 }),
    }),
  });

function expectDecoded(p: TickPacket, t: OfficialTick): void {
  expect(t['instrument_token']).toBe(p.instrumentToken);
  expect(t['last_price']).toBe(p.lastPrice / 100);
  if (p.mode === 'ltp') {
    expect(t['mode']).toBe('ltp');
    return;
  }
  const ohlc = t['ohlc'] as Record<string, number>;
  expect(ohlc).toEqual({
    open: p.open! / 100,
    high: p.high! / 100,
    low: p.low! / 100,
    close: p.close! / 100,
  });
  if ((p.instrumentToken & 0xff) === 9) {
    expect(t['tradable']).toBe(false);
    if (p.mode === 'full')
      expect((t['exchange_timestamp'] as Date).getTime()).toBe(p.exchangeTimestamp! * 1000);
    return;
  }
  expect(t).toMatchObject({
    tradable: true,
    mode: p.mode,
    last_traded_quantity: p.lastTradedQuantity,
    average_traded_price: p.averageTradedPrice! / 100,
    volume_traded: p.volumeTraded,
    total_buy_quantity: p.totalBuyQuantity,
    total_sell_quantity: p.totalSellQuantity,
  });
  if (p.mode !== 'full') return;
  expect(t).toMatchObject({ oi: p.oi, oi_day_high: p.oiDayHigh, oi_day_low: p.oiDayLow });
  expect((t['last_trade_time'] as Date).getTime()).toBe(p.lastTradeTime! * 1000);
  expect((t['exchange_timestamp'] as Date).getTime()).toBe(p.exchangeTimestamp! * 1000);
  const depth = t['depth'] as { buy: unknown[]; sell: unknown[] };
  expect(depth.buy).toEqual(
    p.depth!.buy.map((d) => ({ quantity: d.quantity, price: d.price / 100, orders: d.orders })),
  );
  expect(depth.sell).toEqual(
    p.depth!.sell.map((d) => ({ quantity: d.quantity, price: d.price / 100, orders: d.orders })),
  );
}

describe('encodeTickerFrame', () => {
  it('sizes packets by mode and segment: ltp 8, index 28/32, quote 44, full 184', () => {
    expect(packetLength(408065, 'ltp')).toBe(8);
    expect(packetLength(256265, 'quote')).toBe(28);
    expect(packetLength(256265, 'full')).toBe(32);
    expect(packetLength(408065, 'quote')).toBe(44);
    expect(packetLength(408065, 'full')).toBe(184);
  });

  it('writes the packet count and each packet length in the header', () => {
    const frame = encodeTickerFrame([
      { instrumentToken: 408065, mode: 'ltp', lastPrice: 157370 },
      { instrumentToken: 408065, mode: 'full', lastPrice: 157370 },
    ]);
    const view = new DataView(frame.buffer);
    expect(view.getUint16(0)).toBe(2);
    expect(view.getUint16(2)).toBe(8);
    expect(view.getUint16(12)).toBe(184);
    expect(frame.byteLength).toBe(2 + 2 + 8 + 2 + 184);
  });

  it('decodes with the official parseBinary to the same values for every packet type', () => {
    const anyPacket = fc.oneof(
      packet(1, 'ltp'),
      packet(1, 'quote'),
      packet(2, 'full'),
      packet(9, 'quote'),
      packet(9, 'full'),
      packet(9, 'ltp'),
    );
    fc.assert(
      fc.property(fc.array(anyPacket, { minLength: 1, maxLength: 8 }), (packets) => {
        const ticks = decode(encodeTickerFrame(packets));
        expect(ticks).toHaveLength(packets.length);
        packets.forEach((p, i) => expectDecoded(p, ticks[i]!));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a value that does not fit in 32 bits', () => {
    expect(() => encodeTickerFrame([{ instrumentToken: 408065, mode: 'ltp', lastPrice: 2 ** 33 }])).toThrow(
      'does not fit in 32 bits',
    );
  });
});
