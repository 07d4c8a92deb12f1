// The live market-data composition (issue items 1, 2 and 4): ticker → decoder → TickIngestor (validate, enrich,
// last ticks) → BarAggregator → bar store, and → BatchingTickWriter → tick store; ticker gaps → GapRepairer.
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import {
  istDate,
  type Bar,
  type BarInterval,
  type Clock,
  type DataNamespace,
  type Instrument,
  type InstrumentId,
  type Tick,
  type TickMode,
} from '@kitepilot/core';
import { BarAggregator, type EmptyBarPolicy } from '@kitepilot/engine';
import { gapStartMs, type KiteTickerClient, type TickerConnectedEvent } from '@kitepilot/kite';
import {
  BatchingQuarantineWriter,
  BatchingTickWriter,
  TickIngestor,
  type EnrichedTick,
  type GapRepairer,
  type GapWindow,
} from '@kitepilot/market-data';
import type { Store } from '@kitepilot/store';
import { registerIngestMetrics, type IngestMetricsSnapshot } from './ingest-metrics.ts';
import { BarBatchWriter } from './bar-batch-writer.ts';
import { loadInstrumentLookup, type TokenInstrumentLookup } from './instrument-lookup.ts';
import { TickFrameBacklog } from './tick-frame-backlog.ts';

/** What `IngestService.start` takes. */
export interface IngestServiceOptions {
  /** Where everything is written: 'real' for the broker, 'simulated' for the Kite simulator (demo mode). */
  readonly namespace: DataNamespace;
  readonly store: Pick<Store, 'instruments' | 'watchlist' | 'ticks' | 'tickQuarantine' | 'bars'>;
  /** The market clock: tick receive times, bar closing, "today" for the instruments master. */
  readonly clock: Clock;
  readonly metrics: Registry;
  /** A ticker client not yet connected; the service subscribes, connects and closes it. */
  readonly ticker: KiteTickerClient;
  readonly barIntervals: readonly BarInterval[];
  readonly emptyBars: EmptyBarPolicy;
  readonly logger: PinoLogger;
  /** Repairs the minute bars of ticker gaps; without it gaps are only counted and logged. */
  readonly gapRepairer?: GapRepairer;
  /**
   * Ticks held in memory while the tick writer is full (default 200 000); past it, ticks are dropped, counted in
   * `ticksOverflowed`, logged, and their window is handed to gap repair.
   */
  readonly maxBacklogTicks?: number;
  /** Tick and quarantine writer settings (BatchingWriter's defaults otherwise). */
  readonly writer?: {
    readonly maxBatch?: number;
    readonly maxPending?: number;
    readonly flushIntervalMs?: number;
  };
  /**
   * Bars close at clock − closeDelayMs (default 2000): exchange timestamps have one-second resolution and arrive
   * after the instant they name (docs/decisions/0004-bars-from-ticks.md, guidance for callers).
   */
  readonly closeDelayMs?: number;
  /** Receives every accepted tick after the bars saw it (the trading kernel's market-data input). */
  readonly onTick?: (instrumentId: InstrumentId, tick: Tick) => void;
  /** Receives every closed bar (the trading kernel's bar input). */
  readonly onBar?: (bar: Bar) => void;
}

/** What a stopped (or running) ingest service recorded. */
export interface IngestSummary {
  readonly namespace: DataNamespace;
  /** Instruments subscribed, by mode. */
  readonly subscribed: Readonly<Partial<Record<TickMode, number>>>;
  /** Watchlist entries whose instrument today's master does not list (not subscribed). */
  readonly unresolved: readonly InstrumentId[];
  readonly ticksReceived: number;
  readonly ticksAccepted: number;
  readonly ticksQuarantined: number;
  readonly quarantinedByReason: Readonly<Record<string, number>>;
  readonly ticksWritten: number;
  readonly ticksOverflowed: number;
  readonly barsWritten: number;
  readonly barWriteErrors: number;
  readonly gapsRecorded: number;
  readonly lateTicks: number;
}

const SECOND_MS = 1000;

/**
 * Records the market data of one namespace: loads today's instruments master (tokens → instruments) and the
 * namespace's watchlist, subscribes those instruments in their modes, and feeds every `ticks` event through the
 * TickIngestor (validation, quarantine, enrichment, last tick, bars) into the batching tick writer; bars close on
 * the clock every second and are upserted in batches. It never stops reading the socket: the ticker has no flow
 * control and a silent socket is declared dead by the 5 s watchdog (kite-connect.md §5), so backpressure is a
 * bounded backlog — while the writer is full, whole frames wait in memory (not yet validated) up to
 * `maxBacklogTicks`; past it, frames are dropped, counted, logged, and their time window is repaired from the
 * broker's minute candles like a disconnect.
 */
export class IngestService {
  readonly #o: IngestServiceOptions;
  readonly #log: PinoLogger;
  readonly #instruments: TokenInstrumentLookup;
  readonly #writer: BatchingTickWriter;
  readonly #quarantine: BatchingQuarantineWriter;
  readonly #closeDelayMs: number;
  readonly #bars: BarAggregator;
  readonly #ingestor: TickIngestor;
  readonly #subscribed: ReadonlyMap<number, TickMode>;
  readonly #unresolved: readonly InstrumentId[];
  readonly #timerName: string;
  readonly #removeMetrics: () => void;
  readonly #repairs = new Set<Promise<unknown>>();
  readonly #backlog: TickFrameBacklog;
  #paused = false;
  #partitionDay = '';
  #draining: Promise<void> | null = null;
  readonly #barWriter: BarBatchWriter;
  #ticksReceived = 0;
  #gapsRecorded = 0;
  #lastTickLagMs: number | null = null;
  #stopped = false;

  private constructor(
    options: IngestServiceOptions,
    instruments: TokenInstrumentLookup,
    subscribed: ReadonlyMap<number, TickMode>,
    unresolved: readonly InstrumentId[],
  ) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'ingest', namespace: options.namespace });
    this.#instruments = instruments;
    this.#subscribed = subscribed;
    this.#unresolved = unresolved;
    this.#backlog = new TickFrameBacklog(options.maxBacklogTicks ?? 200_000);
    this.#timerName = `ingest-${options.namespace}-second`;
    this.#closeDelayMs = options.closeDelayMs ?? 2000;
    this.#writer = new BatchingTickWriter({
      repository: options.store.ticks,
      namespace: options.namespace,
      clock: options.clock,
      ...options.writer,
    });
    this.#quarantine = new BatchingQuarantineWriter({
      repository: options.store.tickQuarantine,
      namespace: options.namespace,
      clock: options.clock,
      ...options.writer,
    });
    this.#barWriter = new BarBatchWriter(options.store.bars, options.namespace, this.#log);
    const forwardBar = options.onBar;
    const onBar = (bar: Bar): void => {
      this.#barWriter.add(bar);
      forwardBar?.(bar);
    };
    this.#bars = new BarAggregator({ intervals: options.barIntervals, emptyBars: options.emptyBars, onBar });
    const aggregator = this.#bars;
    const forwardTick = options.onTick;
    const barFeed =
      forwardTick === undefined
        ? aggregator
        : {
            onTick: (instrumentId: InstrumentId, tick: Tick): void => {
              aggregator.onTick(instrumentId, tick);
              forwardTick(instrumentId, tick);
            },
          };
    this.#ingestor = new TickIngestor({
      namespace: options.namespace,
      instruments,
      clock: options.clock,
      sink: this.#writer,
      quarantine: this.#quarantine,
      bars: barFeed,
    });
    this.#removeMetrics = registerIngestMetrics(options.metrics, options.namespace, () =>
      this.#metricsSnapshot(),
    );
  }

  /**
   * Starts recording: resolves the namespace's watchlist against the instruments master in force today (IST date
   * of the clock), subscribes it and connects the ticker. Throws when the master or the watchlist is empty, or no
   * watchlist entry is in the master.
   */
  static async start(options: IngestServiceOptions): Promise<IngestService> {
    const { namespace, store, clock } = options;
    const today = istDate(clock.now());
    const lookup = await loadInstrumentLookup(store.instruments, namespace, today);
    const entries = await store.watchlist.list(namespace);
    if (entries.length === 0) {
      throw new Error(
        `the ${namespace} watchlist is empty: add instruments with \`kitepilot watchlist add NSE:INFY\` or ` +
          '[marketData] watchlist in the configuration',
      );
    }
    const byId = new Map<InstrumentId, Instrument>();
    for (const instrument of await store.instruments.listVersion(namespace, today))
      byId.set(instrument.id, instrument);
    const subscribed = new Map<number, TickMode>();
    const unresolved: InstrumentId[] = [];
    for (const entry of entries) {
      const instrument = byId.get(entry.instrumentId);
      if (instrument === undefined) unresolved.push(entry.instrumentId);
      else subscribed.set(instrument.token, entry.mode);
    }
    if (subscribed.size === 0) {
      throw new Error(
        `none of the ${entries.length} instruments on the ${namespace} watchlist is in the instruments master ` +
          `in force on ${today} (${unresolved.slice(0, 5).join(', ')}${unresolved.length > 5 ? ', …' : ''})`,
      );
    }
    const service = new IngestService(options, lookup, subscribed, unresolved);
    await service.#ensurePartitions();
    service.#connect();
    return service;
  }

  /** Returns the latest accepted tick of an instrument (for the engine and the UI), or undefined. */
  lastTick(id: InstrumentId): EnrichedTick | undefined {
    return this.#ingestor.lastTick(id);
  }

  /** Returns the counts so far. */
  summary(): IngestSummary {
    const counters = this.#ingestor.counters;
    const subscribed: Partial<Record<TickMode, number>> = {};
    for (const mode of this.#subscribed.values()) subscribed[mode] = (subscribed[mode] ?? 0) + 1;
    const quarantinedByReason = { ...counters.quarantinedByReason };
    return {
      namespace: this.#o.namespace,
      subscribed,
      unresolved: this.#unresolved,
      ticksReceived: this.#ticksReceived,
      ticksAccepted: counters.accepted,
      ticksQuarantined: counters.quarantined,
      quarantinedByReason,
      ticksWritten: counters.written,
      ticksOverflowed: this.#backlog.overflowed,
      barsWritten: this.#barWriter.written,
      barWriteErrors: this.#barWriter.errors,
      gapsRecorded: this.#gapsRecorded,
      lateTicks: this.#bars.stats.lateTicks,
    };
  }

  /**
   * Stops recording: closes the ticker, ingests the backlog, emits the open bars (`flush`: the last bars may be
   * partial), writes every pending bar, tick and quarantined tick, cancels gap repairs still waiting for their
   * minutes to end (running ones finish), and removes the metrics.
   */
  async stop(): Promise<IngestSummary> {
    if (this.#stopped) return this.summary();
    this.#stopped = true;
    this.#o.clock.cancelTimer(this.#timerName);
    // Frames that arrive until the ticker is closed are still ingested.
    await this.#o.ticker.close();
    await (this.#draining ?? this.#drainBacklog());
    this.#bars.flush();
    await this.#barWriter.write();
    await this.#writer.close();
    await this.#quarantine.close();
    // Repairs still waiting for their minutes to end are cancelled (their job runs stay open); running ones finish.
    this.#o.gapRepairer?.close();
    await Promise.allSettled([...this.#repairs]);
    const summary = this.summary();
    this.#removeMetrics();
    this.#log.info({ summary }, 'ingest stopped');
    return summary;
  }

  #connect(): void {
    const { ticker } = this.#o;
    const byMode = new Map<TickMode, number[]>();
    for (const [token, mode] of this.#subscribed) {
      const list = byMode.get(mode);
      if (list === undefined) byMode.set(mode, [token]);
      else list.push(token);
    }
    for (const [mode, tokens] of byMode) ticker.subscribe(tokens, mode);
    ticker.on('ticks', (ticks) => this.#onTicks(ticks));
    ticker.on('connected', (event) => this.#onConnected(event));
    ticker.on('disconnected', (event) =>
      this.#log.warn({ connection: event.connection, reason: event.reason }, 'ticker disconnected'),
    );
    ticker.on('sessionExpired', (event) =>
      this.#log.error(
        { connection: event.connection, status: event.status },
        'the Kite session expired: the ticker stopped; log in again (`kitepilot kite login`) and restart ingest',
      ),
    );
    ticker.on('decodeErrors', (errors, connection) =>
      this.#log.warn({ connection, errors: errors.length }, 'malformed ticker packets'),
    );
    ticker.connect();
    this.#scheduleSecond();
    this.#log.info(
      {
        instruments: this.#subscribed.size,
        unresolved: this.#unresolved.length,
        master: this.#instruments.size,
      },
      'ingest started',
    );
  }

  #onTicks(ticks: Tick[]): void {
    this.#ticksReceived += ticks.length;
    let newestExchangeTs: number | null = null;
    for (const tick of ticks) {
      if (tick.exchangeTs !== null && (newestExchangeTs === null || tick.exchangeTs > newestExchangeTs)) {
        newestExchangeTs = tick.exchangeTs;
      }
    }
    if (newestExchangeTs !== null) this.#lastTickLagMs = this.#o.clock.now() - newestExchangeTs;
    if (this.#paused || this.#backlog.frames > 0) {
      this.#hold(ticks);
      return;
    }
    this.#ingest(ticks);
  }

  /** Ingests one frame; when a writer is full afterwards, later frames wait in the backlog until it drains. */
  #ingest(ticks: readonly Tick[]): void {
    this.#ingestor.ingest(ticks);
    if (!this.#ingestor.writable && !this.#paused) {
      this.#paused = true;
      this.#draining = this.#drainBacklog();
    }
  }

  #hold(ticks: Tick[]): void {
    const wasOverflowing = this.#backlog.overflowing;
    if (!this.#backlog.hold(ticks) && !wasOverflowing) {
      this.#log.error(
        { backlogTicks: this.#backlog.ticks },
        'tick writer behind and backlog full: dropping ticks; their window goes to gap repair',
      );
    }
  }

  /** Waits for the writers, then ingests held frames until the backlog is empty or a writer is full again. */
  async #drainBacklog(): Promise<void> {
    for (;;) {
      if (this.#paused) {
        await this.#ingestor.whenWritable();
        this.#paused = false;
      }
      const frame = this.#backlog.shift();
      if (frame === undefined) break;
      this.#ingestor.ingest(frame);
      if (!this.#ingestor.writable) this.#paused = true;
    }
    this.#draining = null;
    this.#repairOverflow();
  }

  #repairOverflow(): void {
    const window = this.#backlog.takeOverflow();
    if (window !== null) this.#repair(window, 'backlog overflow');
  }

  #onConnected(event: TickerConnectedEvent): void {
    this.#log.info({ connection: event.connection, tokens: event.tokens.length }, 'ticker connected');
    if (event.gap === null || event.gap.reconnectedAt === null) return;
    this.#repair(
      { fromMs: gapStartMs(event.gap), toMs: event.gap.reconnectedAt },
      'ticker reconnect',
      event.tokens,
    );
  }

  #repair(gap: GapWindow, cause: string, tokens?: readonly number[]): void {
    this.#gapsRecorded += 1;
    const repairer = this.#o.gapRepairer;
    const instruments: Instrument[] = [];
    for (const token of tokens ?? this.#subscribed.keys()) {
      const instrument = this.#instruments.byToken(token);
      if (instrument !== undefined) instruments.push(instrument);
    }
    this.#log.warn(
      { cause, fromMs: gap.fromMs, toMs: gap.toMs, instruments: instruments.length },
      'market data gap',
    );
    if (repairer === undefined || this.#stopped) return;
    const running = repairer.repair(gap, instruments).then(
      (result) => this.#log.info({ cause, result }, 'gap repaired'),
      (error: unknown) => this.#log.error({ err: error, cause, gap }, 'gap repair failed'),
    );
    this.#repairs.add(running);
    void running.finally(() => this.#repairs.delete(running));
  }

  #scheduleSecond(): void {
    const next = Math.floor(this.#o.clock.now() / SECOND_MS) * SECOND_MS + SECOND_MS;
    this.#o.clock.setTimer(this.#timerName, next, () => {
      if (this.#stopped) return;
      this.#bars.onTime(this.#o.clock.now() - this.#closeDelayMs);
      void this.#barWriter.write();
      void this.#ensurePartitions();
      this.#scheduleSecond();
    });
  }

  /**
   * Creates the tick partitions of the current and the next UTC day (ticks are partitioned by UTC day); called at
   * start and every second, it queries only when the hour-ahead UTC day changes.
   */
  async #ensurePartitions(): Promise<void> {
    const now = this.#o.clock.now();
    const ahead = utcDay(now + 3_600_000);
    if (ahead === this.#partitionDay) return;
    this.#partitionDay = ahead;
    try {
      await this.#o.store.ticks.ensureDayPartition(utcDay(now));
      await this.#o.store.ticks.ensureDayPartition(ahead);
    } catch (error) {
      this.#partitionDay = '';
      this.#log.error(
        { err: error, day: ahead },
        'creating the tick partition failed; ticks go to the default one',
      );
    }
  }

  #metricsSnapshot(): IngestMetricsSnapshot {
    const counters = this.#ingestor.counters;
    return {
      ticksReceived: this.#ticksReceived,
      ticksAccepted: counters.accepted,
      ticksQuarantined: counters.quarantinedByReason,
      ticksWritten: counters.written,
      ticksPending: counters.pending + this.#backlog.ticks,
      ticksOverflowed: this.#backlog.overflowed,
      barsWritten: this.#barWriter.written,
      gapsRecorded: this.#gapsRecorded,
      connectionStates: this.#o.ticker.connectionStates(),
      lastTickLagMs: this.#lastTickLagMs,
    };
  }
}

/** Returns the UTC date `YYYY-MM-DD` of an instant (the tick partition it belongs to). */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
