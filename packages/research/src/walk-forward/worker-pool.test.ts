import { afterEach, describe, expect, it } from 'vitest';
import { barSeriesFromBars } from '../bars/bar-series.ts';
import { instrumentId, paise } from '@kitepilot/core';
import { shareBarSeries } from './shared-bar-series.ts';
import type { PoolTestData, PoolTestTask } from './testing/pool-test-worker.ts';
import { TaskFailedError, WorkerDiedError, WorkerPool, defaultWorkerCount } from './worker-pool.ts';

const MODULE = new URL('./testing/pool-test-worker.ts', import.meta.url);
const pools: WorkerPool<unknown, unknown>[] = [];

function aPool(size: number, data: Partial<PoolTestData> = {}): WorkerPool<PoolTestTask, unknown> {
  const pool = new WorkerPool<PoolTestTask, unknown>({
    module: MODULE,
    size,
    data: { counter: new Int32Array(new SharedArrayBuffer(4)), series: null, ...data },
  });
  pools.push(pool as WorkerPool<unknown, unknown>);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool', () => {
  it('runs TypeScript tasks in worker threads and answers each with its own result', async () => {
    const pool = aPool(2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run({ op: 'double', n })));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(pool.stats.started).toBeLessThanOrEqual(2);
    const threads = await Promise.all([1, 2, 3, 4].map(() => pool.run({ op: 'thread' })));
    for (const t of threads) expect(t).toBeGreaterThan(0);
  });

  it('fails only the task that throws; the worker keeps serving', async () => {
    const pool = aPool(1);
    const failed = pool.run({ op: 'throw', message: 'fast 30 must be below slow 20' });
    await expect(failed).rejects.toThrow(TaskFailedError);
    await expect(failed).rejects.toThrow('fast 30 must be below slow 20');
    await expect(pool.run({ op: 'double', n: 21 })).resolves.toBe(42);
    expect(pool.stats).toEqual({ started: 1, died: 0 });
  });

  it('replaces a worker that dies and runs its task once more', async () => {
    const pool = aPool(1);
    await expect(pool.run({ op: 'exit-once' })).resolves.toBe('survived');
    expect(pool.stats).toEqual({ started: 2, died: 1 });
    await expect(pool.run({ op: 'double', n: 1 })).resolves.toBe(2);
  });

  it('fails a task whose worker dies twice, and goes on with the others', async () => {
    const pool = aPool(2);
    const [dying, ...others] = await Promise.allSettled([
      pool.run({ op: 'exit' }),
      pool.run({ op: 'double', n: 5 }),
      pool.run({ op: 'double', n: 6 }),
    ]);
    expect(dying?.status === 'rejected' && dying.reason).toBeInstanceOf(WorkerDiedError);
    expect(dying?.status === 'rejected' && (dying.reason as Error).message).toMatch(
      /died twice running this task \(exit code 3/,
    );
    expect(others).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'fulfilled', value: 12 },
    ]);
    expect(pool.stats.died).toBe(2);
  });

  it('shares the bar columns with the workers instead of copying them', async () => {
    const bars = [0, 1, 2].map((i) => ({
      instrumentId: instrumentId('INFY', 'NSE'),
      interval: '1m' as const,
      start: Date.UTC(2025, 0, 6, 3, 45 + i),
      openPaise: paise(150_000 + i),
      highPaise: paise(150_100 + i),
      lowPaise: paise(149_900 + i),
      closePaise: paise(150_050 + i),
      volume: 1000,
      oi: null,
      origin: 'historical' as const,
    }));
    const series = shareBarSeries(barSeriesFromBars(bars));
    const pool = aPool(1, { series });
    await expect(pool.run({ op: 'series' })).resolves.toEqual({
      shared: true,
      length: 3,
      close: [150_050, 150_051, 150_052],
    });
    expect(series.volume[0]).toBe(424242);
  });

  it('gives up with a clear error when the module cannot load', async () => {
    const pool = new WorkerPool<PoolTestTask, unknown>({
      module: new URL('./testing/broken-worker.ts', import.meta.url),
      size: 1,
    });
    pools.push(pool as WorkerPool<unknown, unknown>);
    const all = await Promise.allSettled([1, 2, 3, 4].map((n) => pool.run({ op: 'double', n })));
    for (const task of all) {
      expect(task.status).toBe('rejected');
      expect(task.status === 'rejected' && (task.reason as Error).message).toMatch(
        /workers do not start \(exit code 1: .*fails to load on purpose/,
      );
    }
    expect(pool.stats).toEqual({ started: 3, died: 3 });
    expect(pool.failure?.message).toMatch(/^workers do not start/);
    await expect(pool.run({ op: 'double', n: 1 })).rejects.toThrow(/^workers do not start/);
  });

  it('rejects queued and running tasks when closed, and refuses new ones', async () => {
    const pool = aPool(1);
    expect(pool.failure).toBeNull();
    const running = Promise.allSettled([1, 2, 3].map((n) => pool.run({ op: 'double', n })));
    await pool.close();
    for (const task of await running) {
      expect(task.status === 'rejected' && (task.reason as Error).message).toBe('the worker pool is closed');
    }
    await expect(pool.run({ op: 'double', n: 1 })).rejects.toThrow(WorkerDiedError);
  });

  it('refuses a size that is not a whole number ≥ 1 and defaults to one less than the CPUs', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(() => new WorkerPool({ module: MODULE, size })).toThrow(/whole number of workers ≥ 1/);
    }
    expect(defaultWorkerCount()).toBeGreaterThanOrEqual(1);
  });
});
