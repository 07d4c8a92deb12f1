import {
  QUARANTINE_REASONS,
  type Clock,
  type DataNamespace,
  type InstrumentId,
  type InstrumentTick,
  type JsonValue,
  type QuarantinedTick,
  type QuarantineReason,
  type Tick,
} from '@kitepilot/core';
import { enrichTick, type EnrichedTick } from './enriched-tick.ts';
import type { QuarantineSink, TickSink } from './tick-sink.ts';
import { TickValidator, type CircuitBand, type InstrumentLookup } from './tick-validator.ts';

/** What the ingestor feeds accepted ticks to: the engine's `BarAggregator` has this shape. */
export interface TickBarFeed {
  onTick(instrumentId: InstrumentId, tick: Tick): void;
}

/** Options of `TickIngestor`. */
export interface TickIngestorOptions {
  readonly namespace: DataNamespace;
  readonly instruments: InstrumentLookup;
  readonly clock: Clock;
  readonly sink: TickSink;
  readonly quarantine: QuarantineSink;
  /** Receives every accepted tick in arrival order (the `BarAggregator`). */
  readonly bars?: TickBarFeed;
  /** How far an exchange timestamp may be ahead of the clock (default 2000 ms). */
  readonly futureToleranceMs?: number;
  /** Returns the day's circuit band of an instrument when known. */
  readonly circuitBands?: (id: InstrumentId) => CircuitBand | undefined;
}

/** The ingestor's counts since it started. */
export interface IngestCounters {
  /** Ticks that passed validation (stored, fed to bars, kept as last tick). */
  readonly accepted: number;
  /** Ticks that failed validation and went to the quarantine. */
  readonly quarantined: number;
  readonly quarantinedByReason: Readonly<Record<QuarantineReason, number>>;
  /** Accepted ticks the tick store confirmed (0 when the sink keeps no stats). */
  readonly written: number;
  /** Accepted ticks not yet written (0 when the sink keeps no stats). */
  readonly pending: number;
  /** Quarantined ticks the quarantine table confirmed (0 when the sink keeps no stats). */
  readonly quarantineWritten: number;
}

function zeroByReason(): Record<QuarantineReason, number> {
  const counts = {} as Record<QuarantineReason, number>;
  for (const r of QUARANTINE_REASONS) counts[r] = 0;
  return counts;
}

/**
 * The hot path of market data: validates every tick, sends a failing one to the quarantine with its reason
 * (counted, never dropped, never stored as good), enriches accepted ones into the last-tick cache, feeds them to
 * the bars and hands them to the tick sink. Synchronous; backpressure is the sinks' (`writable`,
 * `whenWritable`).
 */
export class TickIngestor {
  readonly #o: TickIngestorOptions;
  readonly #validator: TickValidator;
  // Raw last ticks: enrichment is computed when asked for, not for every tick on the hot path.
  readonly #last = new Map<InstrumentId, Tick>();
  readonly #byReason = zeroByReason();
  #accepted = 0;
  #quarantined = 0;
  #sinkFull = false;
  #quarantineFull = false;

  constructor(options: TickIngestorOptions) {
    this.#o = options;
    this.#validator = new TickValidator({
      instruments: options.instruments,
      clock: options.clock,
      ...(options.futureToleranceMs === undefined ? {} : { futureToleranceMs: options.futureToleranceMs }),
      ...(options.circuitBands === undefined ? {} : { circuitBands: options.circuitBands }),
    });
  }

  /** Hot path, synchronous: validate, enrich, update last ticks, feed bars, enqueue for storage. */
  ingest(ticks: readonly Tick[]): { accepted: number; quarantined: number } {
    const good: InstrumentTick[] = [];
    let bad: QuarantinedTick[] | null = null;
    const bars = this.#o.bars;
    for (const tick of ticks) {
      const verdict = this.#validator.check(tick);
      if (verdict.ok) {
        const instrumentId = verdict.instrument.id;
        this.#last.set(instrumentId, tick);
        bars?.onTick(instrumentId, tick);
        good.push({ instrumentId, tick });
      } else {
        this.#byReason[verdict.code] += 1;
        (bad ??= []).push({
          token: Number.isSafeInteger(tick.token) ? tick.token : 0,
          instrumentId: verdict.instrument?.id ?? null,
          ts: quarantineTime(tick),
          receivedAt: Number.isSafeInteger(tick.tsInit) ? tick.tsInit : this.#o.clock.now(),
          reasonCode: verdict.code,
          reason: verdict.message,
          raw: tick as unknown as JsonValue,
        });
      }
    }
    this.#accepted += good.length;
    if (good.length > 0) this.#sinkFull = !this.#o.sink.offer(good);
    const quarantined = bad?.length ?? 0;
    if (bad !== null) {
      this.#quarantined += quarantined;
      this.#quarantineFull = !this.#o.quarantine.offer(bad);
    }
    return { accepted: good.length, quarantined };
  }

  /** Returns the last accepted tick of the instrument with its derived values, or undefined before the first. */
  lastTick(id: InstrumentId): EnrichedTick | undefined {
    const tick = this.#last.get(id);
    return tick === undefined ? undefined : enrichTick(id, tick);
  }

  /** Returns the last accepted tick of every instrument that has one. */
  lastTicks(): ReadonlyMap<InstrumentId, EnrichedTick> {
    const all = new Map<InstrumentId, EnrichedTick>();
    for (const [id, tick] of this.#last) all.set(id, enrichTick(id, tick));
    return all;
  }

  /** Returns false while either sink refused more: the source should pause until `whenWritable()` resolves. */
  get writable(): boolean {
    return !this.#sinkFull && !this.#quarantineFull;
  }

  /** Resolves once both sinks take ticks again; rejects when either has failed for good. */
  async whenWritable(): Promise<void> {
    await Promise.all([this.#o.sink.whenWritable(), this.#o.quarantine.whenWritable()]);
    this.#sinkFull = false;
    this.#quarantineFull = false;
  }

  /** Returns the counts so far. */
  get counters(): IngestCounters {
    const sink = this.#o.sink.stats;
    return {
      accepted: this.#accepted,
      quarantined: this.#quarantined,
      quarantinedByReason: { ...this.#byReason },
      written: sink?.written ?? 0,
      pending: sink?.pending ?? 0,
      quarantineWritten: this.#o.quarantine.stats?.written ?? 0,
    };
  }
}

/** Returns the time a quarantined tick is filed under: its tick time when that is a safe integer, else 0. */
function quarantineTime(tick: Tick): number {
  const t = tick.exchangeTs ?? tick.tsInit;
  if (Number.isSafeInteger(t)) return t;
  return Number.isSafeInteger(tick.tsInit) ? tick.tsInit : 0;
}
