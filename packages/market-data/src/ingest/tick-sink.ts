import type { InstrumentTick, QuarantinedTick } from '@kitepilot/core';

/** What a batching writer has done so far. */
export interface WriterStats {
  /** Items the store confirmed written. */
  readonly written: number;
  /** Items accepted and not yet written (queued plus the batch being written). */
  readonly pending: number;
  /** Batches written. */
  readonly batches: number;
  /** Failed write attempts that were retried. */
  readonly retries: number;
}

/**
 * Where the ingestor puts accepted ticks (the batching tick writer implements it). `offer` always takes the ticks
 * it is given unless it throws; it returns false when the bounded queue is full after taking them, and the caller
 * must then pause its source until `whenWritable()` resolves.
 */
export interface TickSink {
  /** Takes the ticks; false = the bounded queue is full: pause the source until whenWritable() resolves. */
  offer(ticks: readonly InstrumentTick[]): boolean;
  /** Resolves once the queue is below its bound (at once when it is); rejects after a fatal store error. */
  whenWritable(): Promise<void>;
  /** Writes everything pending; rejects after a fatal store error. */
  flush(): Promise<void>;
  /** Writes everything pending and stops accepting ticks. */
  close(): Promise<void>;
  /** Counts of the writer, when it keeps them (the ingestor's `written` and `pending` counters read them). */
  readonly stats?: WriterStats;
}

/** Where the ingestor puts ticks that failed validation, with the same protocol as `TickSink`. */
export interface QuarantineSink {
  /** Takes the entries; false = the bounded queue is full. */
  offer(entries: readonly QuarantinedTick[]): boolean;
  /** Resolves once the queue is below its bound; rejects after a fatal store error. */
  whenWritable(): Promise<void>;
  /** Writes everything pending. */
  flush(): Promise<void>;
  /** Writes everything pending and stops accepting entries. */
  close(): Promise<void>;
  /** Counts of the writer, when it keeps them. */
  readonly stats?: WriterStats;
}
