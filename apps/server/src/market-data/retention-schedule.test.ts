import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestClock } from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { createLogger } from '../logger.ts';
import { nextIstTime, scheduleDailyRetention } from './retention-schedule.ts';
import type { RetentionResult } from '@kitepilot/market-data';

const logger = createLogger({ level: 'silent' });
const stores: Store[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('nextIstTime', () => {
  it('returns today at the IST time when it is still ahead, else tomorrow', () => {
    const morning = Date.UTC(2026, 10, 23, 4, 0); // 09:30 IST
    expect(nextIstTime(morning, '20:00')).toBe(Date.UTC(2026, 10, 23, 14, 30));
    const night = Date.UTC(2026, 10, 23, 15, 0); // 20:30 IST
    expect(nextIstTime(night, '20:00')).toBe(Date.UTC(2026, 10, 24, 14, 30));
  });
});

describe('scheduleDailyRetention', () => {
  it('runs at 20:00 IST every day and drops tick partitions past the window', async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    const store = createStore(driver);
    stores.push(store);
    await driver.query(`SELECT create_ticks_partition('2026-10-01'::date)`);
    await driver.query(`SELECT create_ticks_partition('2026-11-22'::date)`);

    const clock = new TestClock(Date.UTC(2026, 10, 23, 4, 0));
    const runs: (RetentionResult | Error)[] = [];
    const schedule = scheduleDailyRetention({
      clock,
      store,
      logger,
      tickRetentionDays: 30,
      barRetentionMonths: 18,
      onRun: (r) => runs.push(r),
    });
    clock.advanceTo(Date.UTC(2026, 10, 23, 14, 29));
    expect(runs).toHaveLength(0);
    clock.advanceTo(Date.UTC(2026, 10, 23, 14, 30));
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    const first = runs[0] as RetentionResult;
    expect(first.droppedPartitions).toEqual(['2026-10-01']);
    clock.advanceTo(Date.UTC(2026, 10, 24, 14, 30));
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    schedule.stop();
    clock.advanceTo(Date.UTC(2026, 10, 26, 14, 30));
    expect(runs).toHaveLength(2);
    const partitions = await driver.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'ticks'::regclass ORDER BY 1`,
    );
    expect(partitions.rows.map((r) => r.name)).toEqual(['ticks_20261122', 'ticks_default']);
  });
});
