import type {
  BarInterval,
  DataNamespace,
  InstrumentId,
  JobRunId,
  JobRunPhase,
  JobRunRepository,
} from '@kitepilot/core';

/** The job name of backfill runs in `job_runs`. */
export const BACKFILL_JOB = 'backfill';
/** The first phase of a backfill run; its message holds the run's parameters (BackfillParams as JSON). */
export const PLAN_PHASE = 'plan';
/** The last phase of a backfill run; present only when every chunk completed. */
export const DONE_PHASE = 'done';

/** What identifies a backfill: the same parameters resume the same unfinished run. */
export interface BackfillParams {
  readonly namespace: DataNamespace;
  readonly instrumentId: InstrumentId;
  readonly interval: BarInterval;
  readonly fromMs: number;
  readonly toMs: number;
  readonly chunkDays: number;
}

/** Returns the plan message of `params`: JSON with a fixed key order, so equal parameters give equal text. */
export function planMessage(params: BackfillParams): string {
  const { namespace, instrumentId, interval, fromMs, toMs, chunkDays } = params;
  return JSON.stringify({ namespace, instrumentId, interval, fromMs, toMs, chunkDays });
}

/** Returns the phase name of chunk `index` (`chunk 0003`); a later attempt after an error is `chunk 0003 run 2`. */
export function chunkPhaseName(index: number, attempt = 1): string {
  const base = `chunk ${String(index).padStart(4, '0')}`;
  return attempt === 1 ? base : `${base} run ${attempt}`;
}

/** Where a chunk stands in the recorded phases of a run. */
export type ChunkState =
  | { readonly kind: 'done' }
  /** Started and never finished: the process died in it; it is redone under the same phase name. */
  | { readonly kind: 'interrupted'; readonly phase: string }
  /** Not started, or every attempt ended in an error; `attempt` is the number of the next attempt. */
  | { readonly kind: 'todo'; readonly attempt: number };

/** Returns the state of chunk `index` from the phases of its run. */
export function chunkState(phases: readonly JobRunPhase[], index: number): ChunkState {
  const base = chunkPhaseName(index);
  const mine = phases.filter((p) => p.phase === base || p.phase.startsWith(`${base} run `));
  if (mine.some((p) => p.finishedAt !== null && !p.isError)) return { kind: 'done' };
  const open = mine.find((p) => p.finishedAt === null);
  if (open !== undefined) return { kind: 'interrupted', phase: open.phase };
  return { kind: 'todo', attempt: mine.length + 1 };
}

/**
 * Returns the id of the most recent unfinished backfill run (a plan phase and no done phase) with exactly these
 * parameters among the latest `window` backfill phases, or null.
 */
export async function findUnfinishedBackfill(
  jobRuns: JobRunRepository,
  params: BackfillParams,
  window = 2000,
): Promise<JobRunId | null> {
  const recent = await jobRuns.listRecent(BACKFILL_JOB, window);
  const message = planMessage(params);
  const done = new Set(recent.filter((p) => p.phase === DONE_PHASE).map((p) => p.jobRunId));
  // listRecent is newest first, so the first matching plan is the latest run.
  const plan = recent.find((p) => p.phase === PLAN_PHASE && p.message === message && !done.has(p.jobRunId));
  return plan === undefined ? null : plan.jobRunId;
}
