import type { Clock, DataNamespace, InstrumentTick, TickRepository } from '@kitepilot/core';
import { BatchingWriter } from './batching-writer.ts';
import type { TickSink, WriterStats } from './tick-sink.ts';

/** Options of `BatchingTickWriter`; the limits and retries default as in `BatchingWriter`. */
export interface BatchingTickWriterOptions {
  readonly repository: TickRepository;
  readonly namespace: DataNamespace;
  readonly clock: Clock;
  /** Ticks per `append` (default 5000). */
  readonly maxBatch?: number;
  /** `offer` returns false once this many ticks are pending (default 100 000). */
  readonly maxPending?: number;
  /** An offer past this many pending ticks throws (default 2 × maxPending). */
  readonly hardLimit?: number;
  /** A partial batch waits at most this long (default 200 ms). */
  readonly flushIntervalMs?: number;
  /** Retries of a failed batch before the writer fails (default 5). */
  readonly maxRetries?: number;
  /** First retry delay, doubled per retry (default 100 ms). */
  readonly retryBaseMs?: number;
  /** Receives the error that stopped the writer; by default it is rethrown and stops the process. */
  readonly onFatal?: (error: Error) => void;
}

/**
 * Writes accepted ticks to the tick store off the hot path: bounded queue, batches of `maxBatch`, one append at
 * a time in arrival order, explicit backpressure, bounded retries then a fatal error (see `BatchingWriter`).
 */
export class BatchingTickWriter implements TickSink {
  readonly #writer: BatchingWriter<InstrumentTick>;

  constructor(options: BatchingTickWriterOptions) {
    const { repository, namespace } = options;
    this.#writer = new BatchingWriter<InstrumentTick>({
      ...options,
      name: `ticks:${namespace}`,
      write: (batch) => repository.append(namespace, batch),
    });
  }

  /** Returns the writer's counts. */
  get stats(): WriterStats {
    return this.#writer.stats;
  }

  /** Returns whether the queue is below its bound. */
  get writable(): boolean {
    return this.#writer.writable;
  }

  offer(ticks: readonly InstrumentTick[]): boolean {
    return this.#writer.offer(ticks);
  }

  whenWritable(): Promise<void> {
    return this.#writer.whenWritable();
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
