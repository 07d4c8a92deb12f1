import {
  alignBarStart,
  formatIst,
  makeBar,
  type Bar,
  type BarRepository,
  type Clock,
  type DataNamespace,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  type JobRunId,
  type JobRunRepository,
} from '@kitepilot/core';
import { planBarMerge } from './bar-merge.ts';
import type { GapMetrics } from './gap-metrics.ts';
import type { HistoricalCandleSource } from './historical-candle-source.ts';
import { DEFAULT_RETRY_POLICY, errorMessage, withRetries, type RetryPolicy } from './retry.ts';

/** The job name of gap repairs in `job_runs`. */
export const GAP_REPAIR_JOB = 'gap-repair';
/** The one phase of a gap repair run. */
export const REPAIR_PHASE = 'repair';

const MINUTE_MS = 60_000;

/** A window without market data: from the safe start (the last message before the drop) to the reconnection. */
export interface GapWindow {
  /** Epoch ms: `lastMessageAt` of the ticker gap, else its `disconnectedAt` (see `gapStartMs` in @kitepilot/kite). */
  readonly fromMs: number;
  /** Epoch ms: when the connection was open again. */
  readonly toMs: number;
}

/** What `GapRepairer` needs. */
export interface GapRepairerOptions {
  readonly source: HistoricalCandleSource;
  readonly bars: BarRepository;
  readonly jobRuns: JobRunRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly namespace: DataNamespace;
  readonly metrics?: GapMetrics;
  /**
   * How long after the last gap minute ends the candles are fetched (default 10 000 ms), so that the broker has
   * closed that minute's candle and the live bar of that minute has been written before it is replaced.
   */
  readonly settleMs?: number;
  readonly retry?: Partial<RetryPolicy>;
}

/** What one gap repair did. */
export interface GapRepairResult {
  readonly jobRunId: JobRunId;
  readonly gap: GapWindow;
  /** Start of the first repaired minute (the minute holding gap.fromMs). */
  readonly fromMs: number;
  /** Start of the last repaired minute (the minute holding gap.toMs). */
  readonly lastMinuteMs: number;
  readonly instruments: number;
  readonly bars: number;
  readonly replacedLive: number;
  readonly retries: number;
  readonly failed: readonly { readonly instrumentId: InstrumentId; readonly message: string }[];
}

/**
 * Repairs ticker gaps: for a gap window it fetches the broker's minute candles of every minute the gap touches —
 * from the minute holding the last message before the drop to the minute holding the reconnection, both of which
 * hold only part of their ticks — for every given instrument, and stores them with origin `repaired`, replacing
 * the partial live minute bars there. The fetch waits until the last of those minutes has ended plus `settleMs`.
 * Each gap is one `gap-repair` job run (started when the gap is reported, finished with counts or the errors) and
 * one GapMetrics measure.
 */
export class GapRepairer {
  readonly #o: GapRepairerOptions;
  readonly #policy: RetryPolicy;
  readonly #timers = new Map<string, () => void>();
  #seq = 0;

  /** Creates the repairer. */
  constructor(options: GapRepairerOptions) {
    this.#o = options;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Returns how many repairs are waiting for their minutes to end. */
  get pending(): number {
    return this.#timers.size;
  }

  /**
   * Records the gap and schedules its repair for `instruments` (the ones subscribed on the connection that had the
   * gap); resolves with what was repaired. Rejects only when the job record cannot be written or the repairer was
   * closed first; fetch failures are recorded in the result and in the job run.
   */
  async repair(gap: GapWindow, instruments: readonly Instrument[]): Promise<GapRepairResult> {
    if (!Number.isSafeInteger(gap.fromMs) || !Number.isSafeInteger(gap.toMs) || gap.fromMs > gap.toMs) {
      throw new RangeError(`gap window ${gap.fromMs}–${gap.toMs} must be integer ms with from ≤ to`);
    }
    const o = this.#o;
    const jobRunId = o.ids.next('jobRun');
    const fromMs = alignBarStart(gap.fromMs, '1m');
    const lastMinuteMs = alignBarStart(gap.toMs, '1m');
    o.metrics?.gapDetected(gap.toMs - gap.fromMs);
    await o.jobRuns.startPhase({
      jobRunId,
      job: GAP_REPAIR_JOB,
      phase: REPAIR_PHASE,
      startedAt: o.clock.now(),
      message:
        `gap ${formatIst(gap.fromMs)} – ${formatIst(gap.toMs)}: minutes ${formatIst(fromMs)} – ` +
        `${formatIst(lastMinuteMs)} of ${instruments.length} instruments`,
    });
    await this.#waitUntil(lastMinuteMs + MINUTE_MS + (o.settleMs ?? 10_000));
    return this.#run(jobRunId, gap, fromMs, lastMinuteMs, instruments);
  }

  /** Cancels every scheduled repair; their promises reject and their job runs stay unfinished. */
  close(): void {
    for (const [name, cancel] of this.#timers) {
      this.#o.clock.cancelTimer(name);
      cancel();
    }
    this.#timers.clear();
  }

  #waitUntil(atMs: number): Promise<void> {
    if (this.#o.clock.now() >= atMs) return Promise.resolve();
    const name = `gap-repair-${++this.#seq}`;
    return new Promise((resolve, reject) => {
      this.#timers.set(name, () =>
        reject(new Error(`gap repair ${name} cancelled: the repairer was closed`)),
      );
      this.#o.clock.setTimer(name, atMs, () => {
        this.#timers.delete(name);
        resolve();
      });
    });
  }

  async #run(
    jobRunId: JobRunId,
    gap: GapWindow,
    fromMs: number,
    lastMinuteMs: number,
    instruments: readonly Instrument[],
  ): Promise<GapRepairResult> {
    const o = this.#o;
    let bars = 0;
    let replacedLive = 0;
    let retries = 0;
    const failed: { instrumentId: InstrumentId; message: string }[] = [];
    for (const instrument of instruments) {
      const outcome = await withRetries(o.clock, this.#policy, () =>
        this.#repairInstrument(instrument, fromMs, lastMinuteMs),
      );
      retries += outcome.retries;
      if (outcome.ok) {
        bars += outcome.value.written;
        replacedLive += outcome.value.replacedLive;
      } else {
        failed.push({ instrumentId: instrument.id, message: errorMessage(outcome.error) });
      }
    }
    const result: GapRepairResult = {
      jobRunId,
      gap,
      fromMs,
      lastMinuteMs,
      instruments: instruments.length,
      bars,
      replacedLive,
      retries,
      failed,
    };
    await o.jobRuns.finishPhase(jobRunId, REPAIR_PHASE, {
      finishedAt: o.clock.now(),
      message: JSON.stringify({
        gapFromMs: gap.fromMs,
        gapToMs: gap.toMs,
        fromMs,
        lastMinuteMs,
        instruments: instruments.length,
        bars,
        replacedLive,
        failed,
      }),
      isError: failed.length > 0,
      retries,
    });
    o.metrics?.gapRepaired({
      gapMs: gap.toMs - gap.fromMs,
      instruments: instruments.length,
      bars,
      replacedLive,
      failedInstruments: failed.length,
    });
    return result;
  }

  async #repairInstrument(
    instrument: Instrument,
    fromMs: number,
    lastMinuteMs: number,
  ): Promise<{ readonly written: number; readonly replacedLive: number }> {
    const o = this.#o;
    // Derivatives carry open interest; the live bars have it from the ticks, so the repaired ones ask for it too.
    const oi = instrument.type === 'FUT' || instrument.type === 'CE' || instrument.type === 'PE';
    const fetched = await o.source.fetchCandles(instrument, '1m', fromMs, lastMinuteMs, oi ? { oi } : {});
    const nowMs = o.clock.now();
    const candles: Bar[] = [];
    for (const b of fetched) {
      if (b.instrumentId !== instrument.id || b.interval !== '1m') {
        throw new Error(
          `the candle source returned a ${b.interval} bar of ${b.instrumentId} for a 1m request of ${instrument.id}`,
        );
      }
      // Only whole, ended minutes of the gap; a running minute's candle is partial.
      if (b.start < fromMs || b.start > lastMinuteMs || b.start + MINUTE_MS > nowMs) continue;
      candles.push(makeBar({ ...b, origin: 'repaired' }));
    }
    const stored = await o.bars.read(o.namespace, instrument.id, '1m', fromMs, lastMinuteMs + MINUTE_MS);
    const plan = planBarMerge(stored, candles, { alwaysWrite: true });
    const written = plan.toWrite.length === 0 ? 0 : await o.bars.upsert(o.namespace, plan.toWrite);
    return { written, replacedLive: plan.replaced.live };
  }
}
