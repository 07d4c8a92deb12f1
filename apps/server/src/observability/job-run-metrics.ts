// Batch jobs (backfill, gap repair, retention, instruments sync, walk-forward, daily pack) record their runs in
// `job_runs`, one row per phase (DESIGN.md §5). These metrics read that table at each scrape, so that a job run by
// another process (a `kitepilot backfill` from cron) counts too: runs and failed runs by job, and the time of the
// last finished phase.
import type { Logger as PinoLogger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SqlExecutor } from '@kitepilot/store';

/** The metric names registerJobRunMetrics registers. */
export const JOB_RUN_METRIC_NAMES = [
  'kitepilot_job_runs_total',
  'kitepilot_job_failures_total',
  'kitepilot_job_last_finished_timestamp_seconds',
] as const;

interface JobRow {
  readonly job: string;
  readonly runs: number | string;
  readonly failures: number | string;
  readonly last_finished: number | string | null;
}

// A run failed when any of its phases finished as an error (a backfill with one failed instrument included).
const QUERY = `SELECT job,
  count(DISTINCT job_run_id) AS runs,
  count(DISTINCT job_run_id) FILTER (WHERE is_error) AS failures,
  floor(extract(epoch FROM max(finished_at)))::bigint AS last_finished
FROM job_runs GROUP BY job`;

/** Registers the job-run metrics; each scrape runs one grouped query over `job_runs`. */
export function registerJobRunMetrics(registry: Registry, sql: SqlExecutor, logger: PinoLogger): void {
  const log = logger.child({ component: 'job-run-metrics' });
  const reported = new Map<string, number>();
  const registers = [registry];
  const catchUp = (counter: Counter<'job'>, kind: string, job: string, value: number): void => {
    const key = `${kind}:${job}`;
    const delta = value - (reported.get(key) ?? 0);
    // Counters only grow: a smaller value (rows deleted by hand) is ignored until the table catches up.
    if (delta > 0) {
      counter.inc({ job }, delta);
      reported.set(key, value);
    } else if (!reported.has(key)) {
      counter.inc({ job }, 0);
      reported.set(key, 0);
    }
  };
  // The registry reads its metrics concurrently: each collect awaits the same query, so one scrape runs it once.
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> => {
    loading ??= (async () => {
      try {
        const rows = (await sql.query<JobRow>(QUERY)).rows;
        for (const row of rows) {
          catchUp(runs, 'runs', row.job, Number(row.runs));
          catchUp(failures, 'failures', row.job, Number(row.failures));
          if (row.last_finished !== null) lastFinished.set({ job: row.job }, Number(row.last_finished));
        }
      } catch (error) {
        // The store may be closing or briefly unreachable: keep the last values and say why.
        log.warn({ err: error }, 'reading job_runs for /metrics failed');
      } finally {
        loading = null;
      }
    })();
    return loading;
  };
  const runs = new Counter({
    name: 'kitepilot_job_runs_total',
    help: 'Job runs recorded, by job (from job_runs)',
    labelNames: ['job'],
    registers,
    collect: load,
  });
  const failures = new Counter({
    name: 'kitepilot_job_failures_total',
    help: 'Job runs with at least one phase finished as an error, by job (from job_runs)',
    labelNames: ['job'],
    registers,
    collect: load,
  });
  const lastFinished = new Gauge({
    name: 'kitepilot_job_last_finished_timestamp_seconds',
    help: 'When the last phase of a job finished (Unix seconds, from job_runs)',
    labelNames: ['job'],
    registers,
    collect: load,
  });
}
