import { PGlite } from '@electric-sql/pglite';
import {
  instrumentId,
  istToEpochMs,
  makeBar,
  makeTick,
  paise,
  SequentialIdGenerator,
  TestClock,
  type Bar,
  type InstrumentTick,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, SqlRetentionRepository, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  barCutoffMs,
  RETENTION_JOB,
  runRetention,
  tickCutoffDay,
  type RetentionTarget,
} from './run-retention.ts';

const infy = instrumentId('INFY', 'NSE');

function aTick(ms: number): InstrumentTick {
  return {
    instrumentId: infy,
    tick: makeTick({ token: 408065, tradable: true, mode: 'ltp', lastPricePaise: paise(154800), tsInit: ms }),
  };
}

function aBar(start: number): Bar {
  const p = paise(154800);
  return makeBar({
    instrumentId: infy,
    interval: '1d',
    start,
    openPaise: p,
    highPaise: p,
    lowPaise: p,
    closePaise: p,
    volume: 1,
    oi: null,
    origin: 'historical',
  });
}

describe('tickCutoffDay and barCutoffMs', () => {
  it('keeps ticks of the last N days counted from the IST date', () => {
    expect(tickCutoffDay(istToEpochMs('2026-11-23', '09:15'), 30)).toBe('2026-10-24');
    // 02:00 IST on 23 Nov is 22 Nov in UTC; the window still counts from the IST date.
    expect(tickCutoffDay(istToEpochMs('2026-11-23', '02:00'), 7)).toBe('2026-11-16');
  });

  it('keeps bars of the last N calendar months from IST midnight, clamping the day to the month', () => {
    expect(barCutoffMs(istToEpochMs('2026-11-23', '09:15'), 18)).toBe(istToEpochMs('2025-05-23', '00:00'));
    expect(barCutoffMs(istToEpochMs('2026-03-31', '10:00'), 1)).toBe(istToEpochMs('2026-02-28', '00:00'));
    expect(barCutoffMs(istToEpochMs('2026-01-15', '10:00'), 1)).toBe(istToEpochMs('2025-12-15', '00:00'));
    expect(barCutoffMs(istToEpochMs('2024-03-31', '10:00'), 1)).toBe(istToEpochMs('2024-02-29', '00:00'));
  });

  it('rejects a window below one', () => {
    expect(() => tickCutoffDay(0, 0)).toThrow('tick retention days 0 is not an integer ≥ 1');
    expect(() => barCutoffMs(0, 1.5)).toThrow('bar retention months 1.5 is not an integer ≥ 1');
  });
});

describe('runRetention', () => {
  let store: Store;
  const clock = new TestClock(istToEpochMs('2026-11-23', '18:00'));
  const ids = new SequentialIdGenerator();

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
  });
  afterAll(() => store.close());

  it('drops the partitions past the window, keeps the recent ones and the bars inside the window', async () => {
    const days = ['2026-10-01', '2026-10-23', '2026-10-24', '2026-11-23'];
    for (const day of days) {
      await store.ticks.ensureDayPartition(day);
      await store.ticks.append('real', [aTick(istToEpochMs(day, '09:15'))]);
    }
    const oldBar = istToEpochMs('2025-05-22', '00:00');
    await store.bars.upsert('real', [aBar(oldBar), aBar(istToEpochMs('2025-05-23', '00:00'))]);
    const retention = new SqlRetentionRepository(store.driver);

    const result = await runRetention({
      target: retention,
      clock,
      tickRetentionDays: 30,
      barRetentionMonths: 18,
      jobRuns: store.jobRuns,
      ids,
    });

    expect(result).toMatchObject({
      tickCutoffDay: '2026-10-24',
      droppedPartitions: ['2026-10-01', '2026-10-23'],
      deletedBars: 1,
    });
    expect(await retention.listTickPartitions()).toEqual(['2026-10-24', '2026-11-23']);
    const kept = await store.ticks.read('real', infy, 0, istToEpochMs('2026-11-24', '00:00'));
    expect(kept.map((t) => t.tick.tsInit)).toEqual([
      istToEpochMs('2026-10-24', '09:15'),
      istToEpochMs('2026-11-23', '09:15'),
    ]);
    const bars = await store.bars.read('real', infy, '1d', 0, istToEpochMs('2026-11-24', '00:00'));
    expect(bars.map((b) => b.start)).toEqual([istToEpochMs('2025-05-23', '00:00')]);
    const phases = await store.jobRuns.listByRun(result.jobRunId);
    expect(phases).toMatchObject([{ job: RETENTION_JOB, phase: 'run', isError: false }]);
    expect(phases[0]?.message).toContain('dropped 2 tick partitions');
  });

  it('never touches bars when no bar window is configured', async () => {
    clock.advanceBy(60_000);
    const ancient = istToEpochMs('2020-01-02', '00:00');
    await store.bars.upsert('real', [aBar(ancient)]);
    let barDeletes = 0;
    const retention = new SqlRetentionRepository(store.driver);
    const counting: RetentionTarget = {
      dropTickPartitionsBefore: (day) => retention.dropTickPartitionsBefore(day),
      deleteUnpartitionedTicksBefore: (ms) => retention.deleteUnpartitionedTicksBefore(ms),
      deleteQuarantinedTicksBefore: (ms) => retention.deleteQuarantinedTicksBefore(ms),
      deleteBarsBefore: (ms) => {
        barDeletes += 1;
        return retention.deleteBarsBefore(ms);
      },
    };
    const result = await runRetention({
      target: counting,
      clock,
      tickRetentionDays: 30,
      jobRuns: store.jobRuns,
      ids,
    });
    expect(result).toMatchObject({ barCutoffMs: null, deletedBars: 0 });
    expect(barDeletes).toBe(0);
    const bars = await store.bars.read('real', infy, '1d', 0, istToEpochMs('2020-01-03', '00:00'));
    expect(bars.map((b) => b.start)).toEqual([ancient]);
    const phases = await store.jobRuns.listByRun(result.jobRunId);
    expect(phases[0]?.message).toContain('bars kept');
  });

  it('records a failed run as an error and rethrows', async () => {
    clock.advanceBy(60_000);
    const failing: RetentionTarget = {
      dropTickPartitionsBefore: () => Promise.reject(new Error('lock timeout on ticks_20261001')),
      deleteUnpartitionedTicksBefore: () => Promise.resolve(0),
      deleteQuarantinedTicksBefore: () => Promise.resolve(0),
      deleteBarsBefore: () => Promise.resolve(0),
    };
    await expect(
      runRetention({
        target: failing,
        clock,
        tickRetentionDays: 7,
        barRetentionMonths: 18,
        jobRuns: store.jobRuns,
        ids,
      }),
    ).rejects.toThrow('lock timeout on ticks_20261001');
    const [latest] = await store.jobRuns.listRecent(RETENTION_JOB, 1);
    expect(latest).toMatchObject({ isError: true, message: 'lock timeout on ticks_20261001' });
  });
});
