// `npm run bench -- latency`: tick → signal and tick → order-submitted latency in paper mode, live time.
//
// Setup: 1000 synthetic NSE equities (tick size 5 paise, lot 1) and 20 LatencyBenchStrategy instances, each
// subscribed to the ticks of its own 50 instruments (disjoint: every tick reaches exactly one strategy), in the
// paper environment of latency-environment.ts (Kernel, OrderManager, DefaultRiskEngine, Portfolio with Zerodha
// charges, SimExecutionClient fed from the bus, InMemoryOrderStore). The clock is real time (SystemClock through
// a ScaledClock at speed 1) offset to 10:00 IST on a trading day, so that the entry window and calendar checks pass
// whenever the benchmark runs.
//
// Feed: 18 000 full-mode ticks/s with 5 + 5 depth, round robin over the instruments, paced on performance.now():
// each setImmediate turn pushes every tick due by then (≈18 per ms), so timers and I/O run between turns and a
// slow turn is followed by a burst. t0 is stamped right before kernel.push; tick → signal is taken when the
// signal is published on the bus, tick → order when the execution client's submit is called, both attributed
// to the tick the kernel is handling. The first KITEPILOT_BENCH_LATENCY_WARMUP_SECONDS (default 2) are fed but not
// sampled; then KITEPILOT_BENCH_LATENCY_SECONDS (default 20) are measured. Feed lag (push time − scheduled time)
// shows how late the generator itself was, which t0 at push does not include.
//
// Variants: the journal off and on (every input encoded with encodeKernelInput into a string sink joined in
// batches of 256 lines, as the JSONL journal file does), with the SEBI 10 orders/s check hidden from the risk
// engine (UnthrottledRiskEngine) so that orders flow at ~1 % of ticks; the same with that limit in force, where
// most intents are denied (the denial path under load); and, unpaced (1000 ticks per event-loop turn, until the
// kernel is idle), the capacity in ticks/s with the journal off and on, which tells how loaded 18k ticks/s is.
// A last row gives encodeKernelInput's cost for one full-mode tick, what the journal adds to every tick.
// KITEPILOT_BENCH_LATENCY_VARIANTS=paper,journal,sebi,capacity,capacity-journal selects variants (default all).
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { istToEpochMs, NseCalendar, rupeesToPaise } from '@kitepilot/core';
import { encodeKernelInput, makeRiskLimits } from '@kitepilot/engine';
import { ScaledClock, SystemClock } from '@kitepilot/runtime';
import type { BenchResult, BenchSuite } from '../bench-types.ts';
import { measureOps } from '../measure.ts';
import { buildLatencyEnvironment } from './latency-environment.ts';
import { buildLatencyMarket, latencyTick, type LatencyMarket } from './latency-feed.ts';
import { LatencySamples, type LatencySummary } from './latency-samples.ts';
import { LatencyBenchStrategy } from './latency-strategy.ts';

const INSTRUMENTS = 1000;
const STRATEGIES = 20;
const TICKS_PER_SECOND = 18_000;
const TRADING_DAY = '2026-11-23';
const TARGET_SIGNAL_P99_MS = 1;
const TARGET_ORDER_P99_MS = 2;

interface Variant {
  /** The name KITEPILOT_BENCH_LATENCY_VARIANTS selects it by. */
  readonly key: string;
  readonly label: string;
  readonly journal: boolean;
  readonly sebiRateLimit: boolean;
  /** Paced at 18k ticks/s; else fed as fast as the kernel takes them (1000 ticks per event-loop turn). */
  readonly paced: boolean;
}

const VARIANTS: readonly Variant[] = [
  { key: 'paper', label: 'paper', journal: false, sebiRateLimit: false, paced: true },
  { key: 'journal', label: 'paper + journal', journal: true, sebiRateLimit: false, paced: true },
  {
    key: 'sebi',
    label: 'paper + journal, SEBI 10 orders/s',
    journal: true,
    sebiRateLimit: true,
    paced: true,
  },
  { key: 'capacity', label: 'paper, unpaced', journal: false, sebiRateLimit: false, paced: false },
  {
    key: 'capacity-journal',
    label: 'paper + journal, unpaced',
    journal: true,
    sebiRateLimit: false,
    paced: false,
  },
];
const UNPACED_BATCH = 1000;

/** Returns the variants named in KITEPILOT_BENCH_LATENCY_VARIANTS (comma-separated keys), default all. */
function selectedVariants(): readonly Variant[] {
  const raw = process.env.KITEPILOT_BENCH_LATENCY_VARIANTS;
  if (raw === undefined || raw === '') return VARIANTS;
  const keys = raw.split(',').map((k) => k.trim());
  const unknown = keys.filter((k) => !VARIANTS.some((v) => v.key === k));
  if (unknown.length > 0) {
    throw new Error(
      `KITEPILOT_BENCH_LATENCY_VARIANTS names ${unknown.join(', ')}; known: ${VARIANTS.map((v) => v.key).join(', ')}`,
    );
  }
  return VARIANTS.filter((v) => keys.includes(v.key));
}

/** Returns a whole number of seconds from the environment variable `name`, or `fallback`. */
function secondsFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} ${raw} must be a whole number of seconds ≥ 0`);
  return n;
}

/** What one variant measured. */
interface VariantMeasurement {
  readonly ticks: number;
  readonly feedSeconds: number;
  readonly signal: LatencySummary;
  readonly order: LatencySummary;
  readonly feedLag: LatencySummary;
  readonly signals: number;
  readonly orders: number;
  readonly unattributedOrders: number;
  readonly fills: number;
  readonly denials: Readonly<Record<string, number>>;
  readonly queueHighWater: number;
  readonly openPositionsHighWater: number;
  /** Open positions averaged over the feed's turns. */
  readonly openPositionsMean: number;
  readonly gcPauseMaxMs: number;
  readonly gcPauseTotalMs: number;
  readonly cpuShare: number;
  readonly journalLines: number;
  readonly journalMiB: number;
}

async function measureVariant(
  variant: Variant,
  market: LatencyMarket,
  warmupTicks: number,
): Promise<VariantMeasurement> {
  const calendar = new NseCalendar();
  if (!calendar.isTradingDay(TRADING_DAY)) throw new Error(`${TRADING_DAY} must be an NSE trading day`);
  const clock = new ScaledClock({
    startAtMs: istToEpochMs(TRADING_DAY, '10:00'),
    speed: 1,
    base: new SystemClock(),
  });
  const pushedAt = new Float64Array(market.ticks);
  const signalLatency = new LatencySamples();
  const orderLatency = new LatencySamples();
  const feedLag = new LatencySamples();
  let handledTicks = 0;
  let current = -1;
  let orders = 0;
  let unattributed = 0;
  const attributed = (samples: LatencySamples): boolean => {
    if (current < 0) return false;
    if (current >= warmupTicks) samples.add(performance.now() - (pushedAt[current] as number));
    return true;
  };
  const perStrategy = INSTRUMENTS / STRATEGIES;
  const strategies = Array.from({ length: STRATEGIES }, (_, k) => ({
    id: `str_latency${k + 1}`,
    strategy: new LatencyBenchStrategy({
      instruments: market.instruments.slice(k * perStrategy, (k + 1) * perStrategy).map((i) => i.id),
      tickSizePaise: 5,
      entryTicks: 7.5,
      exitTicks: 6,
      holdTicks: 18,
      qty: 5,
    }),
  }));
  const env = await buildLatencyEnvironment({
    clock,
    calendar,
    instruments: market.instruments,
    strategies,
    limits: makeRiskLimits({ dailyLossCapPaise: rupeesToPaise('1000000', 'half-up') }),
    sebiRateLimit: variant.sebiRateLimit,
    startingCashPaise: rupeesToPaise('100000000', 'half-up'),
    journal: variant.journal,
    seed: 20_261_123,
    hooks: {
      onTick: () => {
        current = handledTicks++;
      },
      onOtherInput: () => {
        current = -1;
      },
      onSubmit: () => {
        orders++;
        if (!attributed(orderLatency)) unattributed++;
      },
    },
  });
  let signals = 0;
  let fills = 0;
  const denials: Record<string, number> = {};
  env.bus.subscribe('signal', () => {
    signals++;
    attributed(signalLatency);
  });
  env.bus.subscribe('fill', () => void fills++);
  const open = new Set<string>();
  let openHighWater = 0;
  let openSum = 0;
  env.bus.subscribe('position', (p) => {
    if (p.netQty === 0) open.delete(p.instrumentId);
    else open.add(p.instrumentId);
    openHighWater = Math.max(openHighWater, open.size);
  });
  env.bus.subscribe('risk-decision', (d) => {
    if (d.decision === 'deny') denials[d.code] = (denials[d.code] ?? 0) + 1;
  });

  let gcMax = 0;
  let gcTotal = 0;
  const addGc = (entries: readonly PerformanceEntry[]): void => {
    for (const entry of entries) {
      gcTotal += entry.duration;
      gcMax = Math.max(gcMax, entry.duration);
    }
  };
  const gc = new PerformanceObserver((list) => addGc(list.getEntries()));

  const total = market.ticks;
  const { kernel } = env;
  let sent = 0;
  let gcStarted = false;
  let turns = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const turn = (): void => {
      try {
        const now = performance.now();
        const due = variant.paced
          ? Math.min(total, Math.floor(((now - start) * TICKS_PER_SECOND) / 1000) + 1)
          : Math.min(total, sent + UNPACED_BATCH);
        if (!gcStarted && sent >= warmupTicks) {
          gcStarted = true;
          gc.observe({ entryTypes: ['gc'] });
        }
        if (sent < due) {
          const nowMs = clock.now();
          for (; sent < due; sent++) {
            const input = latencyTick(market, sent, nowMs);
            const t0 = performance.now();
            if (variant.paced && sent >= warmupTicks)
              feedLag.add(t0 - (start + (sent * 1000) / TICKS_PER_SECOND));
            pushedAt[sent] = t0;
            kernel.push({ kind: 'tick', tick: input });
          }
          openSum += open.size;
          turns++;
        }
        if (sent >= total) resolve();
        else setImmediate(turn);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    setImmediate(turn);
  });
  await kernel.idle();
  // Until the kernel is idle: unpaced, the queue may still hold ticks when the last one is pushed.
  const feedSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  addGc(gc.takeRecords());
  gc.disconnect();
  env.journal?.flush();
  const stats = kernel.stats();
  await kernel.stop();
  if (handledTicks !== total)
    throw new Error(`latency bench: ${total} ticks pushed, ${handledTicks} handled`);
  if (stats.strategiesHalted > 0)
    throw new Error(`latency bench: ${stats.strategiesHalted} strategies halted`);
  const journal = env.journal?.written() ?? { lines: 0, chars: 0 };
  return {
    ticks: total,
    feedSeconds,
    signal: signalLatency.summary(),
    order: orderLatency.summary(),
    feedLag: feedLag.summary(),
    signals,
    orders,
    unattributedOrders: unattributed,
    fills,
    denials,
    queueHighWater: stats.queueHighWater,
    openPositionsHighWater: openHighWater,
    openPositionsMean: turns === 0 ? 0 : openSum / turns,
    gcPauseMaxMs: gcMax,
    gcPauseTotalMs: gcTotal,
    cpuShare: (cpu.user + cpu.system) / 1000 / (feedSeconds * 1000),
    journalLines: journal.lines,
    journalMiB: journal.chars / 2 ** 20,
  };
}

function latencyRow(label: string, what: string, s: LatencySummary, targetMs: number): BenchResult {
  return {
    name: `${label}: tick → ${what} p99`,
    value: s.p99,
    unit: 'ms',
    p50_ms: s.p50,
    p99_9_ms: s.p999,
    max_ms: s.max,
    samples: s.count,
    target_p99_ms: targetMs,
    met: s.p99 <= targetMs,
  };
}

function rows(variant: Variant, m: VariantMeasurement): BenchResult[] {
  const denied = Object.values(m.denials).reduce((a, b) => a + b, 0);
  const fed: BenchResult = {
    name: variant.paced ? `${variant.label}: ticks fed` : `${variant.label}: capacity`,
    value: m.ticks / m.feedSeconds,
    unit: 'ticks/s',
    target: variant.paced ? TICKS_PER_SECOND : 'none',
    ticks: m.ticks,
    seconds: m.feedSeconds,
    signals: m.signals,
    signal_pct: (100 * m.signals) / m.ticks,
    orders: m.orders,
    fills: m.fills,
    denials: denied,
    denial_codes:
      Object.entries(m.denials)
        .map(([code, n]) => `${code}:${n}`)
        .join(',') || 'none',
    unattributed_orders: m.unattributedOrders,
    queue_high_water: m.queueHighWater,
    open_positions_mean: m.openPositionsMean,
    open_positions_max: m.openPositionsHighWater,
    feed_lag_p99_ms: m.feedLag.p99,
    feed_lag_max_ms: m.feedLag.max,
    gc_pause_max_ms: m.gcPauseMaxMs,
    gc_pause_total_ms: m.gcPauseTotalMs,
    process_cpu: m.cpuShare,
    ...(m.journalLines > 0 ? { journal_lines: m.journalLines, journal_mib: m.journalMiB } : {}),
  };
  // Unpaced, the queue is full by design: its latencies measure queueing, not the path.
  if (!variant.paced) return [fed];
  return [
    fed,
    latencyRow(variant.label, 'signal', m.signal, TARGET_SIGNAL_P99_MS),
    latencyRow(variant.label, 'order submitted', m.order, TARGET_ORDER_P99_MS),
  ];
}

/** Returns the cost of journaling one full-mode tick with depth (what the journal adds to every tick). */
function journalEncodeRow(market: LatencyMarket): BenchResult {
  const inputs = Array.from({ length: 1000 }, (_, n) => ({
    kind: 'tick' as const,
    at: 1_795_000_000_000 + n,
    tick: latencyTick(market, n, 1_795_000_000_000 + n),
  }));
  const chars = inputs.reduce((sum, input) => sum + encodeKernelInput(input).length, 0);
  let sink = 0;
  const m = measureOps(() => {
    for (const input of inputs) sink += encodeKernelInput(input).length;
  }, inputs.length);
  if (sink === 0) throw new Error('encodeKernelInput returned nothing');
  return {
    name: 'encodeKernelInput: full-mode tick with depth',
    value: m.nsPerOp / 1000,
    unit: 'µs/tick',
    ticks_per_s: m.opsPerSec,
    chars_per_tick: chars / inputs.length,
  };
}

/** Tick → signal and tick → order latency of the paper trading path at 18k ticks/s. */
export const latencySuite: BenchSuite = {
  name: 'latency',
  description: `paper mode, live clock: ${TICKS_PER_SECOND} ticks/s over ${INSTRUMENTS} instruments, ${STRATEGIES} strategies`,
  async run() {
    const seconds = secondsFrom('KITEPILOT_BENCH_LATENCY_SECONDS', 20);
    const warmup = secondsFrom('KITEPILOT_BENCH_LATENCY_WARMUP_SECONDS', 2);
    if (seconds < 1) throw new Error('KITEPILOT_BENCH_LATENCY_SECONDS must be at least 1');
    const warmupTicks = warmup * TICKS_PER_SECOND;
    const market = buildLatencyMarket(INSTRUMENTS, warmupTicks + seconds * TICKS_PER_SECOND);
    const results: BenchResult[] = [];
    for (const variant of selectedVariants())
      results.push(...rows(variant, await measureVariant(variant, market, warmupTicks)));
    results.push(journalEncodeRow(market));
    return results;
  },
};
