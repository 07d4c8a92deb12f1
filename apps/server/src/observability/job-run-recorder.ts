// Records one run of a batch job in `job_runs` (DESIGN.md §5, the seed's "JobRunLog"): each phase is started, then
// finished with its message, whether it failed, and how many retries it took. Backfill, gap repair, retention and
// the instruments sync record themselves (packages/market-data); walk-forward studies and the daily pack use this.
import type { Clock, IdGenerator, JobRunId, JobRunRepository } from '@kitepilot/core';

/** How one phase runs. */
export interface JobPhaseOptions<T> {
  /** Retries after a failure (default 0); every failure is retried unless `retryable` says no. */
  readonly retries?: number;
  readonly retryable?: (error: unknown) => boolean;
  /** The message stored when the phase succeeds (default "ok"). */
  readonly describe?: (result: T) => string;
}

/** One job run: its id and its phases. */
export class JobRunRecorder {
  readonly jobRunId: JobRunId;
  readonly job: string;
  readonly #jobRuns: JobRunRepository;
  readonly #clock: Clock;

  /** Starts a run of `job` with a new id (nothing is written until the first phase starts). */
  constructor(options: {
    readonly jobRuns: JobRunRepository;
    readonly ids: IdGenerator;
    readonly clock: Clock;
    readonly job: string;
  }) {
    if (options.job.trim() === '') throw new RangeError('a job run needs a job name');
    this.jobRunId = options.ids.next('jobRun');
    this.job = options.job;
    this.#jobRuns = options.jobRuns;
    this.#clock = options.clock;
  }

  /**
   * Runs `work` as the phase `phase` (retrying as asked) and records it; returns its result, or records the last
   * error (is_error, with the retries made) and throws it.
   */
  async phase<T>(
    phase: string,
    message: string,
    work: (attempt: number) => Promise<T>,
    options: JobPhaseOptions<T> = {},
  ): Promise<T> {
    const retries = options.retries ?? 0;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new RangeError(`phase ${phase} of ${this.job}: retries ${retries} must be a whole number ≥ 0`);
    }
    await this.#jobRuns.startPhase({
      jobRunId: this.jobRunId,
      job: this.job,
      phase,
      startedAt: this.#clock.now(),
      message,
    });
    for (let attempt = 0; ; attempt++) {
      let result: T;
      try {
        result = await work(attempt);
      } catch (error) {
        const again = attempt < retries && (options.retryable?.(error) ?? true);
        if (again) continue;
        await this.#jobRuns.finishPhase(this.jobRunId, phase, {
          finishedAt: this.#clock.now(),
          message: error instanceof Error ? error.message : String(error),
          isError: true,
          retries: attempt,
        });
        throw error;
      }
      await this.#jobRuns.finishPhase(this.jobRunId, phase, {
        finishedAt: this.#clock.now(),
        message: options.describe?.(result) ?? 'ok',
        isError: false,
        retries: attempt,
      });
      return result;
    }
  }
}
