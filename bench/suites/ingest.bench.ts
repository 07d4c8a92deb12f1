// `npm run bench -- ingest`: sustained end-to-end tick ingest, per store — binary full-mode ticker frames (184-byte
// packets with depth, built with the simulator's encodeTickerFrame) → decodeTickerMessage → TickIngestor
// (validation incl. circuit bands, enrichment, last ticks) → BarAggregator (all 9 intervals, empty bars skipped) →
// BatchingTickWriter → the tick store (COPY), for 1000 instruments. Every instrument ticks once per market second
// (10 000 ticks/s of market time, frames of 200 packets), so every tick also closes a 1-second bar: the worst case
// for the bars. Frames are built before the clock starts; the loop yields to the event loop after every frame
// (as a socket would) and waits when the writer reports backpressure.
//
// Throughput = ticks / wall time from the first frame to the last row committed (writer flushed). Zero lost
// ticks is checked with count(*) on the ticks table. Bar-close latency: for every bar emitted, the wall time from
// the moment the frame whose processing closed it entered the decoder to the bar's onBar callback (bars closed
// by a later tick of the same instrument, or by onTime at a market-second boundary, which the loop calls before
// the first frame of each new market second).
//
// The same run with a store that only counts gives the pipeline's own ceiling ("no store"); after each real run,
// the first 200 000 decoded ticks are appended alone ("store only") for the store's ceiling on this machine.
// Stores: PGlite in a temporary data directory (opened like the server opens its embedded store); PostgreSQL in
// a throwaway database when KITEPILOT_BENCH_DATABASE_URL or KITEPILOT_TEST_DATABASE_URL is set.
// KITEPILOT_BENCH_TICKS sets the tick count (default 2 000 000).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BAR_INTERVALS,
  istToEpochMs,
  makeInstrument,
  paise,
  type Clock,
  type Instrument,
  type InstrumentId,
  type InstrumentTick,
  type TickQuarantineRepository,
  type TickRepository,
  type TimerCallback,
} from '@kitepilot/core';
import { BarAggregator } from '@kitepilot/engine';
import { decodeTickerMessage } from '@kitepilot/kite';
import { encodeTickerFrame, type TickPacket } from '@kitepilot/kite-sim';
import { BatchingQuarantineWriter, BatchingTickWriter, TickIngestor } from '@kitepilot/market-data';
import {
  createStore,
  createThrowawayPostgresDatabase,
  migrate,
  openEmbeddedStore,
  openPostgres,
  type SqlDriver,
} from '@kitepilot/store';
import type { BenchResult, BenchSuite } from '../bench-types.ts';

const INSTRUMENTS = 1000;
const PACKETS_PER_FRAME = 200;
const DEFAULT_TICKS = 2_000_000;

/** Returns the tick count to run: KITEPILOT_BENCH_TICKS, rounded to whole market seconds of all instruments. */
function tickCount(): number {
  const raw = process.env.KITEPILOT_BENCH_TICKS;
  const n = raw === undefined ? DEFAULT_TICKS : Number(raw);
  if (!Number.isSafeInteger(n) || n < INSTRUMENTS) {
    throw new Error(`KITEPILOT_BENCH_TICKS ${raw} must be an integer ≥ ${INSTRUMENTS}`);
  }
  return Math.ceil(n / INSTRUMENTS) * INSTRUMENTS;
}

interface Market {
  readonly instruments: Instrument[];
  readonly byToken: Map<number, Instrument>;
  readonly bands: Map<InstrumentId, { lowerPaise: number; upperPaise: number }>;
  /** Frames with the market second their packets belong to. */
  readonly frames: { readonly second: number; readonly bytes: Uint8Array }[];
  readonly start: number;
}

/** Returns a deterministic market: random-walk prices on a 5-paise grid, rising volume, 5-level depth. */
function buildMarket(ticks: number): Market {
  let s = 20_261_123;
  const next = (mod: number): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % mod;
  };
  const start = istToEpochMs('2026-11-23', '09:15');
  const instruments: Instrument[] = [];
  const bands = new Map<InstrumentId, { lowerPaise: number; upperPaise: number }>();
  const price: number[] = [];
  const volume: number[] = [];
  for (let i = 0; i < INSTRUMENTS; i++) {
    const exchangeToken = 10_000 + i;
    const instrument = makeInstrument({
      exchange: 'NSE',
      type: 'EQ',
      tradingSymbol: `SIM${i}`,
      name: `SIMULATED ${i}`,
      // Kite: instrument_token = exchange_token << 8 | segment (NSE = 1), kite-connect.md §3.
      token: exchangeToken * 256 + 1,
      exchangeToken,
      tickSizePaise: paise(5),
      lotSize: 1,
      freezeQty: null,
      expiry: null,
      strikePaise: null,
      underlying: null,
    });
    instruments.push(instrument);
    const p = 50_000 + 5 * next(40_000);
    price.push(p);
    volume.push(0);
    bands.set(instrument.id, { lowerPaise: Math.round(p * 0.8), upperPaise: Math.round(p * 1.2) });
  }
  const frames: { second: number; bytes: Uint8Array }[] = [];
  let packets: TickPacket[] = [];
  for (let n = 0; n < ticks; n++) {
    const i = n % INSTRUMENTS;
    const second = Math.floor(n / INSTRUMENTS);
    const p = (price[i] as number) + 5 * (next(7) - 3);
    price[i] = p;
    const v = (volume[i] as number) + 1 + next(500);
    volume[i] = v;
    const epochSeconds = Math.floor(start / 1000) + second;
    const depthSide = (sign: number) =>
      Array.from({ length: 5 }, (_, k) => ({
        quantity: 1 + next(5000),
        price: p + sign * 5 * (k + 1),
        orders: 1 + next(40),
      }));
    packets.push({
      instrumentToken: (instruments[i] as Instrument).token,
      mode: 'full',
      lastPrice: p,
      lastTradedQuantity: 1 + next(100),
      averageTradedPrice: p,
      volumeTraded: v,
      totalBuyQuantity: next(1_000_000),
      totalSellQuantity: next(1_000_000),
      open: p,
      high: p + 500,
      low: p - 500,
      close: p,
      lastTradeTime: epochSeconds,
      oi: 0,
      oiDayHigh: 0,
      oiDayLow: 0,
      exchangeTimestamp: epochSeconds,
      depth: { buy: depthSide(-1), sell: depthSide(1) },
    });
    if (packets.length === PACKETS_PER_FRAME || n === ticks - 1) {
      frames.push({ second, bytes: encodeTickerFrame(packets) });
      packets = [];
    }
  }
  return { instruments, byToken: new Map(instruments.map((x) => [x.token, x])), bands, frames, start };
}

/** A clock reading market time (set by the loop) whose timers run on real time, as a live clock's would. */
class BenchClock implements Clock {
  marketNow = 0;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  now(): number {
    return this.marketNow;
  }
  setTimer(name: string, atMs: number, callback: TimerCallback): void {
    this.cancelTimer(name);
    this.#timers.set(
      name,
      setTimeout(
        () => {
          this.#timers.delete(name);
          callback();
        },
        Math.max(0, atMs - this.marketNow),
      ),
    );
  }
  cancelTimer(name: string): void {
    const t = this.#timers.get(name);
    if (t !== undefined) clearTimeout(t);
    this.#timers.delete(name);
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Runs the whole pipeline over `market` into the store on `driver`; checks the stored count. */
/** The part of the store the pipeline writes to, and how to count what it stored. */
interface BenchStore {
  readonly ticks: TickRepository;
  readonly tickQuarantine: TickQuarantineRepository;
  countStored(): Promise<number>;
  /** Whether to also measure the store alone. */
  readonly real: boolean;
}

/** Returns the store on a migrated driver. */
async function sqlBenchStore(driver: SqlDriver): Promise<BenchStore> {
  await migrate(driver);
  const store = createStore(driver);
  return {
    ticks: store.ticks,
    tickQuarantine: store.tickQuarantine,
    real: true,
    countStored: async () => {
      const counted = await driver.query<{ n: number }>(
        "SELECT count(*)::bigint AS n FROM ticks WHERE namespace = 'simulated'",
      );
      return counted.rows[0]?.n ?? -1;
    },
  };
}

/** Returns a store that only counts what it is given: the pipeline's own ceiling. */
function discardingBenchStore(): BenchStore {
  let stored = 0;
  return {
    ticks: {
      append: (_namespace, batch) => {
        stored += batch.length;
        return Promise.resolve(batch.length);
      },
      read: () => Promise.resolve([]),
      ensureDayPartition: () => Promise.resolve(false),
    },
    tickQuarantine: {
      append: (_namespace, entries) => Promise.resolve(entries.length),
      list: () => Promise.resolve([]),
      countByReason: () => Promise.resolve({}),
    },
    real: false,
    countStored: () => Promise.resolve(stored),
  };
}

const STORE_ONLY_TICKS = 200_000;

/** Returns the ticks/s of appending the first decoded ticks of `market` in batches of 5000 (namespace real). */
async function appendOnly(repository: TickRepository, market: Market): Promise<number> {
  const decoded: InstrumentTick[] = [];
  for (const frame of market.frames) {
    for (const tick of decodeTickerMessage(frame.bytes, market.start + frame.second * 1000 + 300)) {
      decoded.push({ instrumentId: (market.byToken.get(tick.token) as Instrument).id, tick });
    }
    if (decoded.length >= STORE_ONLY_TICKS) break;
  }
  const t0 = performance.now();
  for (let i = 0; i < decoded.length; i += 5000) await repository.append('real', decoded.slice(i, i + 5000));
  return decoded.length / ((performance.now() - t0) / 1000);
}

async function runPipeline(
  label: string,
  store: BenchStore,
  market: Market,
  ticks: number,
): Promise<BenchResult[]> {
  const clock = new BenchClock();
  const namespace = 'simulated';
  const fatal: Error[] = [];
  const writer = new BatchingTickWriter({
    repository: store.ticks,
    namespace,
    clock,
    onFatal: (e) => fatal.push(e),
  });
  const quarantine = new BatchingQuarantineWriter({ repository: store.tickQuarantine, namespace, clock });
  let latencies = new Float64Array(1 << 20);
  let bars = 0;
  let frameStart = 0;
  const aggregator = new BarAggregator({
    intervals: BAR_INTERVALS,
    emptyBars: 'skip',
    onBar: () => {
      if (bars === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[bars++] = performance.now() - frameStart;
    },
  });
  const ingestor = new TickIngestor({
    namespace,
    instruments: { byToken: (token) => market.byToken.get(token) },
    clock,
    sink: writer,
    quarantine,
    bars: aggregator,
    circuitBands: (id) => market.bands.get(id),
  });
  let waits = 0;
  let second = -1;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const frame of market.frames) {
    if (!ingestor.writable) {
      waits += 1;
      await ingestor.whenWritable();
    }
    frameStart = performance.now();
    const marketMs = market.start + frame.second * 1000;
    clock.marketNow = marketMs + 300;
    if (frame.second !== second) {
      second = frame.second;
      aggregator.onTime(marketMs);
    }
    ingestor.ingest(decodeTickerMessage(frame.bytes, clock.marketNow));
    // A live loop gets the next frame from the socket: the writer's I/O runs in between.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await writer.flush();
  await quarantine.flush();
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (fatal.length > 0) throw new Error(`ingest bench (${label}): the writer failed`, { cause: fatal[0] });
  const stored = await store.countStored();
  const c = ingestor.counters;
  if (stored !== ticks || c.accepted !== ticks || c.written !== ticks) {
    throw new Error(
      `ingest bench (${label}): ${ticks} ticks sent, ${c.accepted} accepted, ${c.quarantined} quarantined, ` +
        `${c.written} written, ${stored} counted in the store — ticks were lost`,
    );
  }
  const sorted = latencies.slice(0, bars).sort();
  await writer.close();
  await quarantine.close();
  const storeOnly = store.real ? await appendOnly(store.ticks, market) : null;
  return [
    {
      name: `${label}: frames → decode → validate → bars → stored`,
      value: ticks / (elapsedMs / 1000),
      unit: 'ticks/s',
      ticks,
      counted: stored,
      lost: ticks - stored,
      seconds: elapsedMs / 1000,
      backpressure_waits: waits,
      // Share of one core this process used (decode, validation, bars, encoding, and PGlite itself).
      process_cpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
      write_path: 'writePath' in store.ticks ? String(store.ticks.writePath) : 'none',
    },
    ...(storeOnly === null
      ? []
      : [
          {
            name: `${label}: store only (append of decoded ticks, batches of 5000)`,
            value: storeOnly,
            unit: 'ticks/s',
            ticks: STORE_ONLY_TICKS,
          },
        ]),
    {
      name: `${label}: tick → bar-close latency p50`,
      value: percentile(sorted, 0.5),
      unit: 'ms',
      bars,
    },
    {
      name: `${label}: tick → bar-close latency p99`,
      value: percentile(sorted, 0.99),
      unit: 'ms',
      max_ms: sorted[sorted.length - 1] ?? Number.NaN,
    },
  ];
}

async function onPglite(market: Market, ticks: number): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kitepilot-ingest-bench-'));
  try {
    const embedded = await openEmbeddedStore({ dataDir, role: 'owner' });
    try {
      return await runPipeline('PGlite', await sqlBenchStore(embedded.driver), market, ticks);
    } finally {
      await embedded.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(url: string, market: Market, ticks: number): Promise<BenchResult[]> {
  const database = await createThrowawayPostgresDatabase(url);
  try {
    const driver = await openPostgres(database.url);
    try {
      return await runPipeline('PostgreSQL', await sqlBenchStore(driver), market, ticks);
    } finally {
      await driver.close();
    }
  } finally {
    await database.drop();
  }
}

/** End-to-end tick ingest into PGlite and (when configured) PostgreSQL. */
export const ingestSuite: BenchSuite = {
  name: 'ingest',
  description: `binary frames → decode → validate → bars → stored, ${INSTRUMENTS} instruments, per store`,
  async run() {
    const ticks = tickCount();
    const market = buildMarket(ticks);
    const results: BenchResult[] = await runPipeline('no store', discardingBenchStore(), market, ticks);
    const url = process.env.KITEPILOT_BENCH_DATABASE_URL ?? process.env.KITEPILOT_TEST_DATABASE_URL;
    if (url !== undefined && url !== '') results.push(...(await onPostgres(url, market, ticks)));
    results.push(...(await onPglite(market, ticks)));
    return results;
  },
};
