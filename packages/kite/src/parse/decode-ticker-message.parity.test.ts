// Parity of decodeTickerMessage with the official kiteconnect 5.3.0 decoder on the same bytes.
//
// The official decoder is reached through its public `KiteTicker#parseBinary(ArrayBuffer)`, which
// calls the very module-level `parseBinary` closure that its socket `onmessage` handler calls; no
// socket is opened (the constructor only sets module flags), so this is the real code path minus the
// network. Property (fast-check): for every frame of 1–12 random packets of every type (LTP, index
// quote, index full, quote, full) on NSE, NFO, BSE, BFO, MCX and index segments with random field
// values, our ticks mapped to the official shape equal the official ticks after normalising only the
// official client's documented differences (kite-connect.md §5.4–5.5):
//   - prices: ours are integer paise, theirs rupees (raw / 100) — we divide ours by 100;
//   - times: ours epoch ms or null, theirs Date or null;
//   - signedness: they read every 4-byte field as signed int32; quantities, OI and timestamps are
//     unsigned for us, so their values are reinterpreted with `>>> 0`;
//   - `change`: they overwrite it with the % change vs close (raw value when close is 0, 0 for
//     equities); we keep the raw index field and derive nothing, so their formula is applied to ours;
//   - null vs absent: fields a packet does not carry are null for us and absent for them.
// Currency packets (CDS, BCD) are skipped by us and must be the only difference in such frames.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTickerMessage } from './decode-ticker-message.ts';
import { aFullPacket, encodeFrame, type RawPacket } from './testing/ticker-frame-builder.ts';
import { TickerDecodeStats } from './ticker-decode-stats.ts';
import { normaliseOfficial, officialDecode, toOfficialShape } from './testing/official-ticks.ts';

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const uint32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
// Price-like values: mostly realistic positive paise, sometimes any int32 (negative included).
const price = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), int32, fc.constant(0));
const qty = fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), uint32, fc.constant(0));
const seconds = fc.oneof(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), uint32, fc.constant(0));
const tokenIn = (segments: readonly number[]): fc.Arbitrary<number> =>
  fc
    .tuple(fc.integer({ min: 1, max: 2 ** 23 - 1 }), fc.constantFrom(...segments))
    .map(([exchangeToken, segment]) => exchangeToken * 256 + segment);
const PAISE_SEGMENTS = [1, 2, 4, 5, 7, 8, 9] as const;

const depthEntry = fc.record({ qty, price, orders: fc.integer({ min: 0, max: 65_535 }) });

function packetArb(segments: readonly number[]): fc.Arbitrary<RawPacket> {
  const token = tokenIn(segments);
  const ltp = fc.record({ kind: fc.constant('ltp' as const), token, last: price });
  const index = fc.record({
    kind: fc.constantFrom('index-quote' as const, 'index-full' as const),
    token,
    last: price,
    high: price,
    low: price,
    open: price,
    close: price,
    change: int32,
    exchangeTs: seconds,
  });
  const quote = fc.record({
    kind: fc.constantFrom('quote' as const, 'full' as const),
    token,
    last: price,
    lastQty: qty,
    avg: price,
    volume: qty,
    buyQty: qty,
    sellQty: qty,
    open: price,
    high: price,
    low: price,
    close: price,
    lastTradeTime: seconds,
    oi: qty,
    oiDayHigh: qty,
    oiDayLow: qty,
    exchangeTs: seconds,
    depth: fc.array(depthEntry, { minLength: 10, maxLength: 10 }),
  });
  return fc.oneof(ltp, index, quote);
}

describe('decodeTickerMessage parity with the official kiteconnect decoder', () => {
  it('matches the official ticks for random frames of every packet type and paise segment', () => {
    fc.assert(
      fc.property(fc.array(packetArb(PAISE_SEGMENTS), { minLength: 1, maxLength: 12 }), (packets) => {
        const frame = encodeFrame(packets);
        const ours = decodeTickerMessage(frame, 1).map(toOfficialShape);
        const theirs = officialDecode(frame).map(normaliseOfficial);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('matches the official ticks on the documented mock full packet', () => {
    const frame = encodeFrame([aFullPacket()]);
    const theirs = officialDecode(frame);
    expect(theirs[0]).toMatchObject({ instrument_token: 408065, last_price: 1573.7 });
    expect(decodeTickerMessage(frame, 1).map(toOfficialShape)).toEqual(theirs.map(normaliseOfficial));
  });

  it('differs only by skipping currency packets, which it counts', () => {
    fc.assert(
      fc.property(fc.array(packetArb([1, 2, 3, 6, 9]), { minLength: 1, maxLength: 12 }), (packets) => {
        const frame = encodeFrame(packets);
        const stats = new TickerDecodeStats();
        const ours = decodeTickerMessage(frame, 1, stats).map(toOfficialShape);
        const all = officialDecode(frame);
        const kept = all.filter((t) => ![3, 6].includes((t['instrument_token'] as number) & 0xff));
        expect(ours).toEqual(kept.map(normaliseOfficial));
        expect(stats.skippedCurrency).toBe(all.length - kept.length);
      }),
      { numRuns: 100 },
    );
  });
});
