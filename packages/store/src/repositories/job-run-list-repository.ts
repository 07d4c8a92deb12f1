import type { JobRunId } from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { intParam, num, numOrNull, tsParam } from './sql-params.ts';

/** Where a job run is: a phase failed, a phase is still open, or every phase finished without error. */
export type JobRunStatus = 'failed' | 'running' | 'succeeded';

/** The job run statuses, for validation. */
export const JOB_RUN_STATUSES: readonly JobRunStatus[] = ['failed', 'running', 'succeeded'];

/** One job run summed over its phases. */
export interface JobRunSummary {
  readonly jobRunId: JobRunId;
  readonly job: string;
  readonly status: JobRunStatus;
  readonly phases: number;
  readonly retries: number;
  /** When its first phase started. */
  readonly startedAt: number;
  /** When its last phase finished, or null while one is open. */
  readonly finishedAt: number | null;
}

/** The position after the last run of a page (runs are listed newest first). */
export interface JobRunPageKey {
  readonly startedAt: number;
  readonly jobRunId: string;
}

interface SummaryRow {
  readonly job_run_id: string;
  readonly job: string;
  readonly status: JobRunStatus;
  readonly phases: number;
  readonly retries: number;
  readonly started_at: number;
  readonly finished_at: number | null;
}

// A run's status: any failed phase makes it failed (even while another phase runs), else an open phase keeps it
// running.
const summaries = (where: string): string => `
  SELECT job_run_id, min(job) AS job,
         CASE WHEN bool_or(is_error) THEN 'failed' WHEN bool_or(finished_at IS NULL) THEN 'running' ELSE 'succeeded' END
           AS status,
         count(*)::integer AS phases, sum(retries)::integer AS retries, min(started_at) AS started_at,
         CASE WHEN bool_or(finished_at IS NULL) THEN NULL ELSE max(finished_at) END AS finished_at
  FROM job_runs
  WHERE ${where}
  GROUP BY job_run_id`;

function toSummary(row: SummaryRow): JobRunSummary {
  return {
    jobRunId: row.job_run_id as JobRunId,
    job: row.job,
    status: row.status,
    phases: num(row.phases, 'job_runs phases'),
    retries: num(row.retries, 'job_runs retries'),
    startedAt: num(row.started_at, 'job_runs.started_at'),
    finishedAt: numOrNull(row.finished_at, 'job_runs.finished_at'),
  };
}

/** Lists job runs (table `job_runs`, one row per phase) as whole runs, newest first, page by page. */
export class SqlJobRunListRepository {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Returns up to `limit` runs of `job` (null: all) in `status` (null: any) that come after `after`. */
  async list(filter: {
    readonly job: string | null;
    readonly status: JobRunStatus | null;
    readonly after: JobRunPageKey | null;
    readonly limit: number;
  }): Promise<JobRunSummary[]> {
    const result = await this.#driver.query<SummaryRow>(
      `SELECT * FROM (${summaries('($1::text IS NULL OR job = $1)')}) AS runs
       WHERE ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (started_at, job_run_id) < ($3::timestamptz, $4::text))
       ORDER BY started_at DESC, job_run_id DESC
       LIMIT $5`,
      [
        filter.job,
        filter.status,
        filter.after === null ? null : tsParam(filter.after.startedAt),
        filter.after?.jobRunId ?? null,
        intParam(filter.limit, 'limit'),
      ],
    );
    return result.rows.map(toSummary);
  }

  /** Returns one run, or null when no phase of it is stored. */
  async get(jobRunId: JobRunId): Promise<JobRunSummary | null> {
    const result = await this.#driver.query<SummaryRow>(summaries('job_run_id = $1'), [jobRunId]);
    const row = result.rows[0];
    return row === undefined ? null : toSummary(row);
  }
}
