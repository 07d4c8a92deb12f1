import { randomInt } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import { istDate, istToEpochMs, SeededRandom, TimeRandomIdGenerator, type Clock } from '@kitepilot/core';
import { runRetention, type RetentionResult } from '@kitepilot/market-data';
import { SqlRetentionRepository, type Store } from '@kitepilot/store';

/** What `scheduleDailyRetention` takes. */
export interface DailyRetentionOptions {
  readonly clock: Clock;
  readonly store: Store;
  readonly logger: PinoLogger;
  readonly tickRetentionDays: number;
  /** Undefined keeps bars forever. */
  readonly barRetentionMonths: number | undefined;
  /** IST wall time of the daily run, `HH:MM`; default 20:00, after the market and its post-close. */
  readonly atIst?: string;
  /** Called after each run (tests); failures are logged and recorded in `job_runs` by the run itself. */
  readonly onRun?: (result: RetentionResult | Error) => void;
}

const TIMER = 'market-data.retention';

/** Returns the next instant after `nowMs` whose IST wall time is `atIst`. */
export function nextIstTime(nowMs: number, atIst: string): number {
  const today = istToEpochMs(istDate(nowMs), atIst);
  return today > nowMs ? today : istToEpochMs(istDate(nowMs + 86_400_000), atIst);
}

/**
 * Runs market-data retention once a day at `atIst` (IST): tick partitions past `tickRetentionDays`, and bars past
 * `barRetentionMonths` only when that is set; orders and everything else are never touched. Dropping a partition briefly locks the ticks
 * table on PostgreSQL, hence a time outside market hours.
 */
export function scheduleDailyRetention(options: DailyRetentionOptions): { stop(): void } {
  const at = options.atIst ?? '20:00';
  const log = options.logger.child({ component: 'retention' });
  const ids = new TimeRandomIdGenerator(options.clock, new SeededRandom(randomInt(2 ** 31)));
  let stopped = false;

  const arm = () => {
    if (stopped) return;
    const next = nextIstTime(options.clock.now(), at);
    options.clock.setTimer(TIMER, next, () => {
      runRetention({
        target: new SqlRetentionRepository(options.store.driver),
        clock: options.clock,
        tickRetentionDays: options.tickRetentionDays,
        barRetentionMonths: options.barRetentionMonths,
        jobRuns: options.store.jobRuns,
        ids,
      }).then(
        (result) => {
          log.info(
            {
              droppedPartitions: result.droppedPartitions,
              deletedBars: result.deletedBars,
              jobRunId: result.jobRunId,
            },
            'retention done',
          );
          options.onRun?.(result);
          arm();
        },
        (error: unknown) => {
          log.error({ err: error }, 'retention failed; it runs again tomorrow');
          options.onRun?.(error instanceof Error ? error : new Error(String(error)));
          arm();
        },
      );
    });
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      options.clock.cancelTimer(TIMER);
    },
  };
}
