// `npm run bench -- kite-decode`: our zero-copy ticker decoder against the official kiteconnect
// `parseBinary` on the same full-mode frames (184-byte packets with depth) of 1, 50 and 500 packets.
// Each round decodes 32 distinct frames; throughput is ticks per second (median of rounds).
import { decodeTickerMessage } from '@kitepilot/kite';
import { KiteTicker } from 'kiteconnect';
import type { BenchResult, BenchSuite } from '../bench-types.ts';
import { measureOps } from '../measure.ts';

const FRAMES_PER_ROUND = 32;
const PACKET_COUNTS = [1, 50, 500] as const;

/** Returns a deterministic full-mode frame of `packets` packets (kite-connect.md §5.3–5.4). */
function fullFrame(packets: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const next = (mod: number): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % mod;
  };
  const frame = new Uint8Array(2 + packets * (2 + 184));
  const v = new DataView(frame.buffer);
  v.setUint16(0, packets);
  for (let i = 0; i < packets; i++) {
    const p = 2 + i * 186;
    v.setUint16(p, 184);
    const b = p + 2;
    const last = 100_000 + next(200_000);
    v.setUint32(b, ((1000 + i) << 8) | (i % 3 === 0 ? 2 : 1));
    v.setInt32(b + 4, last);
    v.setUint32(b + 8, 1 + next(500));
    v.setInt32(b + 12, last - 50);
    v.setUint32(b + 16, next(10_000_000));
    v.setUint32(b + 20, next(1_000_000));
    v.setUint32(b + 24, next(1_000_000));
    for (let k = 0; k < 4; k++) v.setInt32(b + 28 + k * 4, last + next(1000) - 500);
    v.setUint32(b + 44, 1_763_700_000 + i);
    v.setUint32(b + 48, next(5_000_000));
    v.setUint32(b + 52, next(5_000_000));
    v.setUint32(b + 56, next(5_000_000));
    v.setUint32(b + 60, 1_763_700_000 + i);
    for (let d = 0; d < 10; d++) {
      const e = b + 64 + d * 12;
      v.setUint32(e, 1 + next(10_000));
      v.setInt32(e + 4, d < 5 ? last - 5 * (d + 1) : last + 5 * (d - 4));
      v.setUint16(e + 8, 1 + next(50));
    }
  }
  return frame;
}

function measurePair(packets: number): BenchResult[] {
  const frames = Array.from({ length: FRAMES_PER_ROUND }, (_, i) => fullFrame(packets, 7 + i * 131));
  const buffers = frames.map((f) => f.slice().buffer);
  const official = new KiteTicker({
    api_key: 'bench',
    access_token: 'bench',
    reconnect: false,
  }) as unknown as {
    parseBinary(frame: ArrayBuffer): { last_price: number }[];
  };
  const ticksPerRound = FRAMES_PER_ROUND * packets;
  let sink = 0;
  const ours = measureOps(() => {
    for (const f of frames) {
      const ticks = decodeTickerMessage(f, 1);
      sink += ticks[ticks.length - 1]?.lastPricePaise ?? 0;
    }
  }, ticksPerRound);
  const theirs = measureOps(
    () => {
      for (const b of buffers) {
        const ticks = official.parseBinary(b);
        sink += ticks[ticks.length - 1]?.last_price ?? 0;
      }
    },
    ticksPerRound,
    { warmupMs: 300, minTimeMs: 1000 },
  );
  if (sink === 0) throw new Error('kite-decode bench: decoders produced no prices');
  return [
    {
      name: `full-mode frame × ${packets} packets: ours`,
      value: ours.opsPerSec,
      unit: 'ticks/s',
      ns_per_tick: ours.nsPerOp,
      ratio_vs_official: ours.opsPerSec / theirs.opsPerSec,
    },
    {
      name: `full-mode frame × ${packets} packets: official`,
      value: theirs.opsPerSec,
      unit: 'ticks/s',
      ns_per_tick: theirs.nsPerOp,
    },
  ];
}

/** Our ticker decoder vs the official kiteconnect parseBinary on full-mode frames. */
export const kiteDecodeSuite: BenchSuite = {
  name: 'kite-decode',
  description: 'Kite ticker decoding, ours vs official kiteconnect parseBinary (full mode, 184-byte packets)',
  run() {
    return Promise.resolve(PACKET_COUNTS.flatMap((n) => measurePair(n)));
  },
};
