import { makeTick, type Tick } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { decodeTickerMessage, decodeTickerMessageDetailed } from './decode-ticker-message.ts';
import {
  aFullPacket,
  encodeFrame,
  encodePacket,
  type RawIndexPacket,
} from './testing/ticker-frame-builder.ts';
import { TickerDecodeStats } from './ticker-decode-stats.ts';

const RECEIVED = 1_763_700_000_123;

function anIndexPacket(fields: Partial<RawIndexPacket> = {}): RawIndexPacket {
  return {
    kind: 'index-full',
    token: 256265, // NIFTY 50: 1001 << 8 | 9
    last: 2_340_685,
    high: 2_344_195,
    low: 2_329_595,
    open: 2_334_445,
    close: 2_326_485,
    change: 14_200,
    exchangeTs: 1_718_176_569,
    ...fields,
  };
}

describe('decodeTickerMessage', () => {
  it('returns no ticks for a 1-byte heartbeat and counts it', () => {
    const stats = new TickerDecodeStats();
    expect(decodeTickerMessage(new Uint8Array([0]), RECEIVED, stats)).toEqual([]);
    expect(stats.heartbeats).toBe(1);
    expect(stats.frames).toBe(1);
  });

  it('decodes the documented full packet of kite-connect.md §5.4 (token 408065, LTP 1573.70)', () => {
    const [tick] = decodeTickerMessage(encodeFrame([aFullPacket()]), RECEIVED);
    expect(tick).toBeDefined();
    expect(tick!.token).toBe(408065);
    expect(tick!.mode).toBe('full');
    expect(tick!.tradable).toBe(true);
    expect(tick!.lastPricePaise).toBe(157370);
    // 1625461887 s = 2021-07-05 10:41:27 IST = 05:11:27 UTC.
    expect(tick!.exchangeTs).toBe(Date.UTC(2021, 6, 5, 5, 11, 27));
    expect(tick!.lastTradeTime).toBe(1_625_461_887_000);
    expect(tick!.depth!.bids[0]).toEqual({ pricePaise: 157340, qty: 5, orders: 1 });
    expect(tick!.tsInit).toBe(RECEIVED);
  });

  it('decodes an LTP packet with every other field null', () => {
    const ticks = decodeTickerMessage(encodeFrame([{ kind: 'ltp', token: 408065, last: 157370 }]), RECEIVED);
    expect(ticks).toEqual([
      makeTick({
        token: 408065,
        tradable: true,
        mode: 'ltp',
        lastPricePaise: 157370 as never,
        tsInit: RECEIVED,
      }),
    ]);
  });

  it('decodes index quote and full packets in their own OHLC order, with the raw change', () => {
    const quote = anIndexPacket({ kind: 'index-quote' });
    const full = anIndexPacket();
    const [q, f] = decodeTickerMessage(encodeFrame([quote, full]), RECEIVED);
    const expected = {
      token: 256265,
      tradable: false,
      lastPricePaise: 2_340_685,
      openPaise: 2_334_445,
      highPaise: 2_344_195,
      lowPaise: 2_329_595,
      closePaise: 2_326_485,
      changePaise: 14_200,
      tsInit: RECEIVED,
    };
    expect(q).toEqual(makeTick({ ...expected, mode: 'quote' } as never));
    expect(f).toEqual(makeTick({ ...expected, mode: 'full', exchangeTs: 1_718_176_569_000 } as never));
  });

  it('decodes a quote packet without full-mode fields', () => {
    const p = aFullPacket({ token: (12_345 << 8) | 2 });
    const [tick] = decodeTickerMessage(encodeFrame([{ ...p, kind: 'quote' }]), RECEIVED);
    expect(tick).toEqual(
      makeTick({
        token: (12_345 << 8) | 2,
        tradable: true,
        mode: 'quote',
        lastPricePaise: p.last,
        lastTradedQty: p.lastQty,
        avgTradedPricePaise: p.avg,
        volume: p.volume,
        totalBuyQty: p.buyQty,
        totalSellQty: p.sellQty,
        openPaise: p.open,
        highPaise: p.high,
        lowPaise: p.low,
        closePaise: p.close,
        tsInit: RECEIVED,
      } as never),
    );
  });

  it('decodes every field of a full packet on NFO, BSE, BFO and MCX (divisor 100: raw = paise)', () => {
    for (const segment of [2, 4, 5, 7, 8]) {
      const p = aFullPacket({ token: (777 << 8) | segment, oi: 0, oiDayHigh: 12_000, oiDayLow: 9_000 });
      const [tick] = decodeTickerMessage(encodeFrame([p]), RECEIVED);
      expect(tick!.token & 0xff).toBe(segment);
      expect(tick!.lastPricePaise).toBe(p.last);
      expect(tick!.oi).toBe(0); // an OI of 0 is a value, not an absence (kite-connect.md §8.7)
      expect(tick!.oiDayHigh).toBe(12_000);
      expect(tick!.oiDayLow).toBe(9_000);
      expect(tick!.depth!.asks.map((l) => l.pricePaise)).toEqual([157375, 157380, 157385, 157390, 157395]);
      expect(tick!.depth!.asks.map((l) => l.orders)).toEqual([2, 3, 4, 5, 6]);
      expect(tick!.depth!.bids.map((l) => l.qty)).toEqual([5, 11, 12, 13, 14]);
    }
  });

  it('reads quantities as unsigned and prices as signed', () => {
    const p = aFullPacket({ volume: 3_000_000_000, last: -125, close: -250 });
    const [tick] = decodeTickerMessage(encodeFrame([p]), RECEIVED);
    expect(tick!.volume).toBe(3_000_000_000);
    expect(tick!.lastPricePaise).toBe(-125);
    expect(tick!.closePaise).toBe(-250);
  });

  it('maps zero timestamps to null', () => {
    const [tick] = decodeTickerMessage(
      encodeFrame([aFullPacket({ lastTradeTime: 0, exchangeTs: 0 })]),
      RECEIVED,
    );
    expect(tick!.lastTradeTime).toBeNull();
    expect(tick!.exchangeTs).toBeNull();
  });

  it('skips currency and unknown segments and counts them', () => {
    const stats = new TickerDecodeStats();
    const frame = encodeFrame([
      { kind: 'ltp', token: (1 << 8) | 3, last: 745_000_000 },
      { kind: 'ltp', token: (1 << 8) | 6, last: 745_000 },
      { kind: 'ltp', token: (1 << 8) | 12, last: 100 },
      { kind: 'ltp', token: 408065, last: 157370 },
    ]);
    const result = decodeTickerMessageDetailed(frame, RECEIVED, stats);
    expect(result.ticks.map((t) => t.token)).toEqual([408065]);
    expect(result.skipped).toEqual([
      { token: (1 << 8) | 3, segment: 3, reason: 'currency-segment' },
      { token: (1 << 8) | 6, segment: 6, reason: 'currency-segment' },
      { token: (1 << 8) | 12, segment: 12, reason: 'unknown-segment' },
    ]);
    expect(result.errors).toEqual([]);
    expect(stats.skippedCurrency).toBe(2);
    expect(stats.skippedUnknownSegment).toBe(1);
    expect(stats.ticks).toBe(1);
  });

  it('keeps the buffer offset of a view into a larger buffer', () => {
    const frame = encodeFrame([aFullPacket(), { kind: 'ltp', token: 408065, last: 1 }]);
    const big = new Uint8Array(frame.byteLength + 13);
    big.set(frame, 7);
    const ticks = decodeTickerMessage(big.subarray(7, 7 + frame.byteLength), RECEIVED);
    expect(ticks.map((t) => t.lastPricePaise)).toEqual([157370, 1]);
  });
});

describe('decodeTickerMessageDetailed', () => {
  const ltp = { kind: 'ltp', token: 408065, last: 157370 } as const;

  it('reports an empty frame', () => {
    const stats = new TickerDecodeStats();
    const r = decodeTickerMessageDetailed(new Uint8Array(0), RECEIVED, stats);
    expect(r.ticks).toEqual([]);
    expect(r.errors.map((e) => e.reason)).toEqual(['empty-frame']);
    expect(stats.malformedFrames).toBe(1);
  });

  it('returns the packets before a count that overruns the buffer', () => {
    const frame = encodeFrame([ltp, ltp]);
    new DataView(frame.buffer).setUint16(0, 5); // claims 5 packets, holds 2
    const r = decodeTickerMessageDetailed(frame, RECEIVED);
    expect(r.ticks).toHaveLength(2);
    expect(r.errors).toEqual([
      {
        reason: 'truncated-length',
        offset: frame.byteLength,
        packetIndex: 2,
        message: `frame of ${frame.byteLength} bytes declares 5 packets but ends before the length of packet 2 at offset ${frame.byteLength}`,
      },
    ]);
  });

  it('reports a truncated packet and keeps the ones before it', () => {
    const whole = encodeFrame([ltp, aFullPacket()]);
    const cut = whole.subarray(0, whole.byteLength - 50);
    const stats = new TickerDecodeStats();
    const r = decodeTickerMessageDetailed(cut, RECEIVED, stats);
    expect(r.ticks.map((t) => t.mode)).toEqual(['ltp']);
    expect(r.errors.map((e) => [e.reason, e.packetIndex, e.offset])).toEqual([['packet-overrun', 1, 12]]);
    expect(stats.malformedPackets).toBe(1);
  });

  it('skips a packet whose length matches no type and decodes the next one', () => {
    const odd = new Uint8Array(12);
    new DataView(odd.buffer).setUint32(0, 408065);
    const r = decodeTickerMessageDetailed(encodeFrame([odd, ltp]), RECEIVED);
    expect(r.ticks.map((t) => t.mode)).toEqual(['ltp']);
    expect(r.errors).toEqual([
      {
        reason: 'unknown-packet-length',
        offset: 2,
        packetIndex: 0,
        message: 'packet 0 has length 12, which matches no packet type (8, 28, 32, 44, 184)',
      },
    ]);
  });

  it('reports bytes after the declared packets', () => {
    const frame = encodeFrame([ltp]);
    const longer = new Uint8Array(frame.byteLength + 3);
    longer.set(frame);
    const r = decodeTickerMessageDetailed(longer, RECEIVED);
    expect(r.ticks).toHaveLength(1);
    expect(r.errors.map((e) => e.reason)).toEqual(['trailing-bytes']);
  });

  it('decodes a 2-byte frame declaring no packets as empty and valid', () => {
    const r = decodeTickerMessageDetailed(new Uint8Array([0, 0]), RECEIVED);
    expect(r).toEqual({ ticks: [], errors: [], skipped: [] });
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let n = 0; n < 2000; n++) {
      const bytes = new Uint8Array(next() % 400);
      for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
      // Small counts and lengths make random frames reach the packet decoder, not only the overrun paths.
      if (bytes.length > 4 && n % 2 === 0) {
        bytes[0] = 0;
        bytes[1] = 1;
        bytes[2] = 0;
        bytes[3] = [8, 28, 32, 44, 184][n % 5]!;
      }
      const r: { ticks: Tick[] } = decodeTickerMessageDetailed(bytes, RECEIVED);
      expect(Array.isArray(r.ticks)).toBe(true);
    }
  });

  it('agrees with decodeTickerMessage on well-formed frames', () => {
    const frame = encodeFrame([
      ltp,
      aFullPacket(),
      anIndexPacket(),
      encodePacket(anIndexPacket({ kind: 'index-quote' })),
    ]);
    expect(decodeTickerMessageDetailed(frame, RECEIVED).ticks).toEqual(decodeTickerMessage(frame, RECEIVED));
  });
});
