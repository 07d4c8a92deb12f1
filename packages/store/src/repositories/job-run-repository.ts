import type { JobRunId, JobRunPhase, JobRunRepository } from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, num, numOrNull, tsParam } from './sql-params.ts';

interface JobRunRow {
  readonly job_run_id: string;
  readonly job: string;
  readonly phase: string;
  readonly message: string;
  readonly is_error: boolean;
  readonly retries: number;
  readonly started_at: number;
  readonly finished_at: number | null;
}

const columns = 'job_run_id, job, phase, message, is_error, retries, started_at, finished_at';

function toPhase(row: JobRunRow): JobRunPhase {
  return {
    jobRunId: row.job_run_id as JobRunId,
    job: row.job,
    phase: row.phase,
    message: row.message,
    isError: row.is_error,
    retries: num(row.retries, 'job_runs.retries'),
    startedAt: num(row.started_at, 'job_runs.started_at'),
    finishedAt: numOrNull(row.finished_at, 'job_runs.finished_at'),
  };
}

/** Stores the phases of scheduled job runs in SQL. */
export class SqlJobRunRepository implements JobRunRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async startPhase(phase: {
    readonly jobRunId: JobRunId;
    readonly job: string;
    readonly phase: string;
    readonly startedAt: number;
    readonly message?: string;
  }): Promise<JobRunPhase> {
    const result = await this.#sql.query<JobRunRow>(
      `INSERT INTO job_runs (job_run_id, job, phase, message, started_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
       RETURNING ${columns}`,
      [phase.jobRunId, phase.job, phase.phase, phase.message ?? '', tsParam(phase.startedAt)],
    );
    return toPhase(result.rows[0] as JobRunRow);
  }

  async finishPhase(
    jobRunId: JobRunId,
    phase: string,
    outcome: {
      readonly finishedAt: number;
      readonly message: string;
      readonly isError: boolean;
      readonly retries: number;
    },
  ): Promise<JobRunPhase> {
    const result = await this.#sql.query<JobRunRow>(
      `UPDATE job_runs SET finished_at = $3::timestamptz, message = $4, is_error = $5, retries = $6
       WHERE job_run_id = $1 AND phase = $2 AND finished_at IS NULL
       RETURNING ${columns}`,
      [
        jobRunId,
        phase,
        tsParam(outcome.finishedAt),
        outcome.message,
        outcome.isError,
        intParam(outcome.retries, 'retries'),
      ],
    );
    const row = result.rows[0];
    if (row === undefined) {
      throw new StoreValueError(
        `job run ${jobRunId} phase '${phase}' was not started or has already finished`,
      );
    }
    return toPhase(row);
  }

  async listByRun(jobRunId: JobRunId): Promise<JobRunPhase[]> {
    const result = await this.#sql.query<JobRunRow>(
      `SELECT ${columns} FROM job_runs WHERE job_run_id = $1 ORDER BY started_at, phase`,
      [jobRunId],
    );
    return result.rows.map(toPhase);
  }

  async listRecent(job: string | null, limit: number): Promise<JobRunPhase[]> {
    const result = await this.#sql.query<JobRunRow>(
      `SELECT ${columns} FROM job_runs WHERE ($1::text IS NULL OR job = $1) ORDER BY started_at DESC, job_run_id, phase
       LIMIT $2`,
      [job, intParam(limit, 'limit')],
    );
    return result.rows.map(toPhase);
  }
}
