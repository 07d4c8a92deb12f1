// A WorkerPool module for the pool's tests: each task names what the worker does with it.
import { threadId } from 'node:worker_threads';
import type { BarSeries } from '../../bars/bar-series.ts';
import { serveTasks, workerPoolData } from '../serve-tasks.ts';
import { isSharedBarSeries } from '../shared-bar-series.ts';

/** A task of the test worker. */
export type PoolTestTask =
  | { readonly op: 'double'; readonly n: number }
  | { readonly op: 'throw'; readonly message: string }
  | { readonly op: 'exit' }
  /** Exits the first time any worker of the pool sees it (a shared counter), answers the second time. */
  | { readonly op: 'exit-once' }
  | { readonly op: 'series' }
  | { readonly op: 'thread' };

/** The data the test pool gives its workers. */
export interface PoolTestData {
  readonly counter: Int32Array;
  readonly series: BarSeries | null;
}

const data = workerPoolData<PoolTestData>();

serveTasks((task: PoolTestTask): unknown => {
  switch (task.op) {
    case 'double':
      return task.n * 2;
    case 'throw':
      throw new Error(task.message);
    case 'exit':
      process.exit(3);
      break;
    case 'exit-once':
      if (Atomics.add(data.counter, 0, 1) === 0) process.exit(4);
      return 'survived';
    case 'series': {
      const series = data.series;
      if (series === null) return null;
      // Writes into the shared column so that the main thread can see the memory is shared, not copied.
      series.volume[0] = 424242;
      return { shared: isSharedBarSeries(series), length: series.length, close: Array.from(series.close) };
    }
    case 'thread':
      return threadId;
  }
  return null;
});
