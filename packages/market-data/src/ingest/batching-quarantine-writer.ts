import type { Clock, DataNamespace, QuarantinedTick, TickQuarantineRepository } from '@kitepilot/core';
import { BatchingWriter } from './batching-writer.ts';
import type { QuarantineSink, WriterStats } from './tick-sink.ts';

/** Options of `BatchingQuarantineWriter`; the limits and retries default as in `BatchingWriter`. */
export interface BatchingQuarantineWriterOptions {
  readonly repository: TickQuarantineRepository;
  readonly namespace: DataNamespace;
  readonly clock: Clock;
  /** Entries per `append` (default 5000). */
  readonly maxBatch?: number;
  /** `offer` returns false once this many entries are pending (default 100 000). */
  readonly maxPending?: number;
  /** An offer past this many pending entries throws (default 2 × maxPending). */
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
 * Writes quarantined ticks to the quarantine table off the hot path, with the same bounded queue, ordering,
 * backpressure and retry rules as `BatchingTickWriter`.
 */
export class BatchingQuarantineWriter implements QuarantineSink {
  readonly #writer: BatchingWriter<QuarantinedTick>;

  constructor(options: BatchingQuarantineWriterOptions) {
    const { repository, namespace } = options;
    this.#writer = new BatchingWriter<QuarantinedTick>({
      ...options,
      name: `quarantine:${namespace}`,
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

  offer(entries: readonly QuarantinedTick[]): boolean {
    return this.#writer.offer(entries);
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
