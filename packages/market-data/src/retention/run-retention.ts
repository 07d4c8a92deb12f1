// Retention (issue item 6): raw ticks are kept `tickRetentionDays` days (whole UTC-day partitions are dropped) and
// bars `barRetentionMonths` months; nothing order-related is in reach of this job. A job record per run.
import {
  addDays,
  istDate,
  istToEpochMs,
  type Clock,
  type IdGenerator,
  type JobRunId,
  type JobRunRepository,
} from '@kitepilot/core';

/** The job name of retention runs in `job_runs`. */
export const RETENTION_JOB = 'retention';

/** What retention deletes through (the store's SqlRetentionRepository implements it). */
export interface RetentionTarget {
  /** Drops every tick day partition (UTC day) before `day`; returns the dropped days. */
  dropTickPartitionsBefore(day: string): Promise<string[]>;
  /** Deletes ticks of the default partition with time before `beforeMs`; returns how many. */
  deleteUnpartitionedTicksBefore(beforeMs: number): Promise<number>;
  /** Deletes quarantined ticks received before `beforeMs`; returns how many. */
  deleteQuarantinedTicksBefore(beforeMs: number): Promise<number>;
  /** Deletes bars starting before `beforeMs`; returns how many. */
  deleteBarsBefore(beforeMs: number): Promise<number>;
}

/** What runRetention takes. */
export interface RetentionOptions {
  readonly target: RetentionTarget;
  readonly clock: Clock;
  readonly tickRetentionDays: number;
  /**
   * Months of bars kept; undefined (the default) keeps bars forever: tick retention never touches bars, and
   * deleting old bars is an explicit choice.
   */
  readonly barRetentionMonths?: number | undefined;
  readonly jobRuns: JobRunRepository;
  readonly ids: IdGenerator;
}

/** What one retention run deleted. */
export interface RetentionResult {
  readonly jobRunId: JobRunId;
  /** Ticks before 00:00 UTC of this day are deleted (`YYYY-MM-DD`). */
  readonly tickCutoffDay: string;
  /** Bars starting before this instant (00:00 IST, epoch ms) are deleted; null when bars are kept forever. */
  readonly barCutoffMs: number | null;
  readonly droppedPartitions: readonly string[];
  readonly deletedUnpartitionedTicks: number;
  readonly deletedQuarantinedTicks: number;
  readonly deletedBars: number;
}

function positiveInt(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what} ${n} is not an integer ≥ 1`);
  return n;
}

/**
 * Returns the first UTC day whose ticks are kept: `days` days before today's IST date. A trading session
 * (09:15–15:30 IST = 03:45–10:00 UTC) lies inside one UTC day, so a partition holds exactly one trading day.
 */
export function tickCutoffDay(nowMs: number, days: number): string {
  return addDays(istDate(nowMs), -positiveInt(days, 'tick retention days'));
}

/** Returns 00:00 IST of the date `months` calendar months before today's IST date (the day clamped to the month). */
export function barCutoffMs(nowMs: number, months: number): number {
  const today = istDate(nowMs);
  const total =
    Number(today.slice(0, 4)) * 12 +
    Number(today.slice(5, 7)) -
    1 -
    positiveInt(months, 'bar retention months');
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const firstOfMonth = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
  // The 1st plus 31 days always falls early in the next month.
  const firstOfNext = `${addDays(firstOfMonth, 31).slice(0, 8)}01`;
  const lastDay = Number(addDays(firstOfNext, -1).slice(8, 10));
  const day = Math.min(Number(today.slice(8, 10)), lastDay);
  return istToEpochMs(addDays(firstOfMonth, day - 1), '00:00');
}

/** Deletes ticks (and bars, only when a bar window is set) past their windows and records the run in `job_runs`; returns what was deleted. */
export async function runRetention(options: RetentionOptions): Promise<RetentionResult> {
  const now = options.clock.now();
  const tickDay = tickCutoffDay(now, options.tickRetentionDays);
  // 05:30 IST is 00:00 UTC: partitions are UTC days.
  const tickCutoffMs = istToEpochMs(tickDay, '05:30');
  const barsBefore =
    options.barRetentionMonths === undefined ? null : barCutoffMs(now, options.barRetentionMonths);
  const barsText = barsBefore === null ? 'bars kept' : `bars before ${istDate(barsBefore)} (IST)`;
  const jobRunId = options.ids.next('jobRun');
  await options.jobRuns.startPhase({
    jobRunId,
    job: RETENTION_JOB,
    phase: 'run',
    startedAt: now,
    message: `ticks before ${tickDay} (UTC), ${barsText}`,
  });
  try {
    const { target } = options;
    const result: RetentionResult = {
      jobRunId,
      tickCutoffDay: tickDay,
      barCutoffMs: barsBefore,
      droppedPartitions: await target.dropTickPartitionsBefore(tickDay),
      deletedUnpartitionedTicks: await target.deleteUnpartitionedTicksBefore(tickCutoffMs),
      deletedQuarantinedTicks: await target.deleteQuarantinedTicksBefore(tickCutoffMs),
      deletedBars: barsBefore === null ? 0 : await target.deleteBarsBefore(barsBefore),
    };
    await options.jobRuns.finishPhase(jobRunId, 'run', {
      finishedAt: options.clock.now(),
      message:
        `dropped ${result.droppedPartitions.length} tick partitions, deleted ${result.deletedUnpartitionedTicks} ` +
        `unpartitioned and ${result.deletedQuarantinedTicks} quarantined ticks before ${tickDay}, ` +
        (barsBefore === null ? 'bars kept' : `${result.deletedBars} bars before ${istDate(barsBefore)}`),
      isError: false,
      retries: 0,
    });
    return result;
  } catch (error) {
    await options.jobRuns.finishPhase(jobRunId, 'run', {
      finishedAt: options.clock.now(),
      message: error instanceof Error ? error.message : String(error),
      isError: true,
      retries: 0,
    });
    throw error;
  }
}
