import {
  formatIst,
  intervalMs,
  makeBar,
  type Bar,
  type BarInterval,
  type BarOrigin,
  type BarRepository,
  type Clock,
  type DataNamespace,
  type IdGenerator,
  type Instrument,
  type JobRunId,
  type JobRunRepository,
} from '@kitepilot/core';
import { backfillChunks, chunkDaysOf, type BackfillChunk } from './backfill-chunks.ts';
import {
  BACKFILL_JOB,
  chunkPhaseName,
  chunkState,
  DONE_PHASE,
  findUnfinishedBackfill,
  PLAN_PHASE,
  planMessage,
  type BackfillParams,
} from './backfill-job.ts';
import { planBarMerge } from './bar-merge.ts';
import type { HistoricalCandleSource } from './historical-candle-source.ts';
import { DEFAULT_RETRY_POLICY, errorMessage, withRetries, type RetryPolicy } from './retry.ts';

/** What `backfill` needs and what it fetches. */
export interface BackfillOptions {
  readonly source: HistoricalCandleSource;
  readonly bars: BarRepository;
  readonly jobRuns: JobRunRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly namespace: DataNamespace;
  readonly instrument: Instrument;
  readonly interval: BarInterval;
  /** First instant, epoch ms (whole seconds). */
  readonly fromMs: number;
  /** Last instant, inclusive, epoch ms (whole seconds), as Kite reads `to`. */
  readonly toMs: number;
  /**
   * The run to resume or start under this id. Without it, the latest unfinished run with the same parameters is
   * resumed, else a new run starts.
   */
  readonly jobRunId?: JobRunId;
  /** Days per chunk (default: Kite's cap for the interval, BACKFILL_CHUNK_DAYS). */
  readonly chunkDays?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Ask the broker for open interest (default: true for futures and options). */
  readonly oi?: boolean;
  /** Called after each chunk is recorded. */
  readonly onChunk?: (chunk: BackfillChunkResult) => void;
  /** Stops the run before its next chunk (it resumes later from there); the call then rejects with the reason. */
  readonly signal?: AbortSignal;
}

/** The counts of one chunk, also stored as its phase message. */
export interface BackfillChunkResult {
  readonly index: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** True when an earlier run had completed it and nothing was fetched. */
  readonly skipped: boolean;
  /** Candles the broker returned for the chunk. */
  readonly candles: number;
  /** Candles of intervals that had not ended yet: not stored (the broker's running candle is partial). */
  readonly open: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly replaced: Readonly<Record<BarOrigin, number>>;
  readonly written: number;
  readonly retries: number;
}

/** The outcome of a backfill run. */
export interface BackfillResult {
  readonly jobRunId: JobRunId;
  /** True when the run continued an earlier, unfinished one. */
  readonly resumed: boolean;
  readonly chunks: readonly BackfillChunkResult[];
  readonly candles: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly replaced: Readonly<Record<BarOrigin, number>>;
  readonly written: number;
}

/** A chunk failed after its retries; the run stops and is resumed by running it again. */
export class BackfillChunkError extends Error {
  readonly jobRunId: JobRunId;
  readonly chunk: BackfillChunk;

  /** Creates the error for `chunk` of run `jobRunId`. */
  constructor(jobRunId: JobRunId, chunk: BackfillChunk, retries: number, cause: unknown) {
    super(
      `backfill ${jobRunId} chunk ${chunk.index} (${formatIst(chunk.fromMs)} – ` +
        `${formatIst(chunk.toMs)}) failed after ${retries} retries: ${errorMessage(cause)}; ` +
        `run the same backfill again to resume from this chunk`,
      { cause },
    );
    this.name = 'BackfillChunkError';
    this.jobRunId = jobRunId;
    this.chunk = chunk;
  }
}

const noReplacements = (): Record<BarOrigin, number> => ({ live: 0, historical: 0, repaired: 0 });

async function openRun(
  o: BackfillOptions,
  params: BackfillParams,
): Promise<{ readonly jobRunId: JobRunId; readonly resumed: boolean }> {
  const message = planMessage(params);
  const jobRunId = o.jobRunId ?? (await findUnfinishedBackfill(o.jobRuns, params)) ?? o.ids.next('jobRun');
  const phases = await o.jobRuns.listByRun(jobRunId);
  const plan = phases.find((p) => p.phase === PLAN_PHASE);
  if (plan !== undefined) {
    if (plan.job !== BACKFILL_JOB || plan.message !== message) {
      throw new Error(
        `job run ${jobRunId} is a ${plan.job} run with parameters ${plan.message}; ` +
          `it cannot be resumed as a backfill of ${message}`,
      );
    }
    return { jobRunId, resumed: true };
  }
  if (phases.length > 0) {
    throw new Error(`job run ${jobRunId} exists (${phases[0]?.job ?? '?'}) without a backfill plan phase`);
  }
  const now = o.clock.now();
  await o.jobRuns.startPhase({ jobRunId, job: BACKFILL_JOB, phase: PLAN_PHASE, startedAt: now, message });
  await o.jobRuns.finishPhase(jobRunId, PLAN_PHASE, { finishedAt: now, message, isError: false, retries: 0 });
  return { jobRunId, resumed: false };
}

function restamp(bars: readonly Bar[], o: BackfillOptions, chunk: BackfillChunk): Bar[] {
  const out: Bar[] = [];
  for (const b of bars) {
    if (b.instrumentId !== o.instrument.id || b.interval !== o.interval) {
      throw new Error(
        `the candle source returned a ${b.interval} bar of ${b.instrumentId} for a ${o.interval} request of ${o.instrument.id}`,
      );
    }
    if (b.start < chunk.fromMs || b.start > chunk.toMs) continue;
    out.push(makeBar({ ...b, origin: 'historical' }));
  }
  return out;
}

async function runChunk(
  o: BackfillOptions,
  chunk: BackfillChunk,
): Promise<Omit<BackfillChunkResult, 'retries' | 'skipped'>> {
  const fetched = await o.source.fetchCandles(
    o.instrument,
    o.interval,
    chunk.fromMs,
    chunk.toMs,
    (o.oi ?? ['FUT', 'CE', 'PE'].includes(o.instrument.type)) ? { oi: true } : {},
  );
  const candles = restamp(fetched, o, chunk);
  // Only intervals that have ended are stored: the broker's candle of the running interval is partial.
  const nowMs = o.clock.now();
  const closed = candles.filter((b) => b.start + intervalMs(o.interval) <= nowMs);
  const stored = await o.bars.read(o.namespace, o.instrument.id, o.interval, chunk.fromMs, chunk.toMs + 1);
  const plan = planBarMerge(stored, closed);
  const written = plan.toWrite.length === 0 ? 0 : await o.bars.upsert(o.namespace, plan.toWrite);
  return {
    index: chunk.index,
    fromMs: chunk.fromMs,
    toMs: chunk.toMs,
    candles: candles.length,
    open: candles.length - closed.length,
    inserted: plan.inserted,
    unchanged: plan.unchanged,
    replaced: plan.replaced,
    written,
  };
}

function chunkMessage(r: BackfillChunkResult): string {
  const { candles, open, inserted, unchanged, replaced, written } = r;
  return JSON.stringify({ candles, open, inserted, unchanged, replaced, written });
}

/**
 * Backfills `interval` bars of one instrument over [fromMs, toMs] from the broker's candles, chunk by chunk (one
 * broker request per chunk), recording each chunk as a phase of a `backfill` job run so that a run that crashed or
 * failed resumes after its last completed chunk. Bars are stored with origin `historical`; a stored bar with equal
 * values is left alone (so a second run writes nothing) and one that differs is replaced and counted by its origin
 * (the broker's candle is authoritative for a completed interval). Intervals that have not ended are not stored.
 * Throws BackfillChunkError (after recording it) when a chunk fails after its retries.
 */
export async function backfill(o: BackfillOptions): Promise<BackfillResult> {
  const chunkDays = o.chunkDays ?? chunkDaysOf(o.interval);
  const chunks = backfillChunks(o.fromMs, o.toMs, chunkDays);
  const params: BackfillParams = {
    namespace: o.namespace,
    instrumentId: o.instrument.id,
    interval: o.interval,
    fromMs: o.fromMs,
    toMs: o.toMs,
    chunkDays,
  };
  const { jobRunId, resumed } = await openRun(o, params);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...o.retry };
  const phases = await o.jobRuns.listByRun(jobRunId);
  const results: BackfillChunkResult[] = [];
  for (const chunk of chunks) {
    o.signal?.throwIfAborted();
    const state = chunkState(phases, chunk.index);
    if (state.kind === 'done') {
      const skipped: BackfillChunkResult = {
        index: chunk.index,
        fromMs: chunk.fromMs,
        toMs: chunk.toMs,
        skipped: true,
        candles: 0,
        open: 0,
        inserted: 0,
        unchanged: 0,
        replaced: noReplacements(),
        written: 0,
        retries: 0,
      };
      results.push(skipped);
      o.onChunk?.(skipped);
      continue;
    }
    let phase: string;
    let priorRetries = 0;
    if (state.kind === 'interrupted') {
      phase = state.phase;
      // The interrupted attempt counts as one retry of this phase.
      priorRetries = 1;
    } else {
      phase = chunkPhaseName(chunk.index, state.attempt);
      await o.jobRuns.startPhase({
        jobRunId,
        job: BACKFILL_JOB,
        phase,
        startedAt: o.clock.now(),
        message: `${formatIst(chunk.fromMs)} – ${formatIst(chunk.toMs)}`,
      });
    }
    const outcome = await withRetries(o.clock, policy, () => runChunk(o, chunk));
    const retries = priorRetries + outcome.retries;
    if (!outcome.ok) {
      await o.jobRuns.finishPhase(jobRunId, phase, {
        finishedAt: o.clock.now(),
        message: errorMessage(outcome.error),
        isError: true,
        retries,
      });
      throw new BackfillChunkError(jobRunId, chunk, outcome.retries, outcome.error);
    }
    const result: BackfillChunkResult = { ...outcome.value, skipped: false, retries };
    await o.jobRuns.finishPhase(jobRunId, phase, {
      finishedAt: o.clock.now(),
      message: chunkMessage(result),
      isError: false,
      retries,
    });
    results.push(result);
    o.onChunk?.(result);
  }
  const total = summarise(jobRunId, resumed, results);
  if (!phases.some((p) => p.phase === DONE_PHASE)) {
    const now = o.clock.now();
    const message = JSON.stringify({
      chunks: results.length,
      candles: total.candles,
      inserted: total.inserted,
      unchanged: total.unchanged,
      replaced: total.replaced,
      written: total.written,
    });
    await o.jobRuns.startPhase({ jobRunId, job: BACKFILL_JOB, phase: DONE_PHASE, startedAt: now, message });
    await o.jobRuns.finishPhase(jobRunId, DONE_PHASE, {
      finishedAt: now,
      message,
      isError: false,
      retries: 0,
    });
  }
  return total;
}

function summarise(
  jobRunId: JobRunId,
  resumed: boolean,
  chunks: readonly BackfillChunkResult[],
): BackfillResult {
  const replaced = noReplacements();
  let candles = 0;
  let inserted = 0;
  let unchanged = 0;
  let written = 0;
  for (const c of chunks) {
    candles += c.candles;
    inserted += c.inserted;
    unchanged += c.unchanged;
    written += c.written;
    for (const k of ['live', 'historical', 'repaired'] as const) replaced[k] += c.replaced[k];
  }
  return { jobRunId, resumed, chunks, candles, inserted, unchanged, replaced, written };
}
