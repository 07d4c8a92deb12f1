// One suite for JobRunRecorder and the job-run metrics, run on PGlite and on PostgreSQL.
import pino from 'pino';
import { Registry } from 'prom-client';
import { SeededRandom, TestClock, TimeRandomIdGenerator } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import { expect, it } from 'vitest';
import { JobRunRecorder } from './job-run-recorder.ts';
import { registerJobRunMetrics } from './job-run-metrics.ts';

async function value(registry: Registry, name: string, job: string): Promise<number | null> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{job="${job}"}`));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Registers the suite; `store()` returns the migrated store of the file. */
export function jobRunsContract(store: () => Store): void {
  const clock = new TestClock(Date.UTC(2026, 10, 23, 12, 0, 0, 250));
  const ids = new TimeRandomIdGenerator(clock, new SeededRandom(11));

  it('records phases with their retries and errors, and the metrics count runs and failed runs by job', async () => {
    const s = store();
    const registry = new Registry();
    registerJobRunMetrics(registry, s.driver, pino({ level: 'silent' }));
    expect(await value(registry, 'kitepilot_job_failures_total', 'walk-forward')).toBeNull();

    const ok = new JobRunRecorder({ jobRuns: s.jobRuns, ids, clock, job: 'walk-forward' });
    let calls = 0;
    const result = await ok.phase(
      'window 1',
      'train 2026-01..2026-06',
      async () => {
        calls++;
        clock.advanceBy(1500);
        if (calls < 3) throw new Error(`worker exited (attempt ${calls})`);
        return 7;
      },
      { retries: 2, describe: (n) => `${n} trades` },
    );
    expect(result).toBe(7);
    const failing = new JobRunRecorder({ jobRuns: s.jobRuns, ids, clock, job: 'walk-forward' });
    await expect(
      failing.phase(
        'window 1',
        'train',
        async () => {
          throw new Error('no bars for NSE:INFY in 2026-01');
        },
        { retries: 1, retryable: () => false },
      ),
    ).rejects.toThrow('no bars for NSE:INFY in 2026-01');

    expect(await s.jobRuns.listByRun(ok.jobRunId)).toMatchObject([
      { job: 'walk-forward', phase: 'window 1', message: '7 trades', isError: false, retries: 2 },
    ]);
    expect(await s.jobRuns.listByRun(failing.jobRunId)).toMatchObject([
      { phase: 'window 1', message: 'no bars for NSE:INFY in 2026-01', isError: true, retries: 0 },
    ]);
    expect(await value(registry, 'kitepilot_job_runs_total', 'walk-forward')).toBe(2);
    expect(await value(registry, 'kitepilot_job_failures_total', 'walk-forward')).toBe(1);
    expect(await value(registry, 'kitepilot_job_last_finished_timestamp_seconds', 'walk-forward')).toBe(
      Math.floor(clock.now() / 1000),
    );
    // A later failure of another job moves only its own counter; the totals never go down.
    const daily = new JobRunRecorder({ jobRuns: s.jobRuns, ids, clock, job: 'daily-pack' });
    await daily
      .phase('audit chain', 'verify', async () => Promise.reject(new Error('chain broken at #12')))
      .catch(() => undefined);
    expect(await value(registry, 'kitepilot_job_failures_total', 'daily-pack')).toBe(1);
    expect(await value(registry, 'kitepilot_job_failures_total', 'walk-forward')).toBe(1);
  });

  it('refuses a bad retry count before writing anything', async () => {
    const s = store();
    const run = new JobRunRecorder({ jobRuns: s.jobRuns, ids, clock, job: 'daily-pack' });
    await expect(run.phase('p', 'm', async () => 1, { retries: -1 })).rejects.toThrow(
      'phase p of daily-pack: retries -1 must be a whole number ≥ 0',
    );
    expect(await s.jobRuns.listByRun(run.jobRunId)).toEqual([]);
    expect(() => new JobRunRecorder({ jobRuns: s.jobRuns, ids, clock, job: ' ' })).toThrow(
      'a job run needs a job name',
    );
  });
}
