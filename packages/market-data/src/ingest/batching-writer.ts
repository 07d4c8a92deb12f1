import type { Clock } from '@kitepilot/core';
import type { WriterStats } from './tick-sink.ts';

/** Options of `BatchingWriter`. */
export interface BatchingWriterOptions<T> {
  /** Names the writer in timer names and error messages (`ticks:simulated`). */
  readonly name: string;
  /** Writes one batch atomically (all or nothing) and returns how many items it wrote. */
  readonly write: (batch: readonly T[]) => Promise<number>;
  readonly clock: Clock;
  /** Largest batch handed to `write` (default 5000). */
  readonly maxBatch?: number;
  /** Queue bound: `offer` returns false once this many items are pending (default 100 000). */
  readonly maxPending?: number;
  /**
   * Hard bound: an `offer` that would take the pending count past it throws, because its caller ignored
   * backpressure (default 2 × maxPending). Memory stays bounded whatever the caller does.
   */
  readonly hardLimit?: number;
  /** A partial batch is written at most this long after its first item arrived (default 200 ms). */
  readonly flushIntervalMs?: number;
  /** Failed attempts of one batch retried before the writer fails for good (default 5). */
  readonly maxRetries?: number;
  /** Wait before the first retry; doubled for each further one (default 100 ms). */
  readonly retryBaseMs?: number;
  /**
   * Called once with the error that stopped the writer (a batch failed every retry, or the store wrote fewer rows
   * than given). Default: rethrown outside any promise, which stops the process (crash-only, STYLE.md).
   */
  readonly onFatal?: (error: Error) => void;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

let writerCount = 0;

/**
 * Queues items in memory and writes them in order, one batch at a time, in batches of up to `maxBatch`: at once
 * when a full batch is queued, else `flushIntervalMs` after the oldest queued item arrived. Backpressure is
 * explicit (`offer` → false at `maxPending`, `whenWritable()`); a failed batch is retried with exponential backoff
 * on the clock's timers, then the writer fails for good and reports it — items are never dropped silently.
 */
export class BatchingWriter<T> {
  readonly #o: BatchingWriterOptions<T>;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #hardLimit: number;
  readonly #flushIntervalMs: number;
  readonly #maxRetries: number;
  readonly #retryBaseMs: number;
  readonly #timerName: string;
  /** Queued chunks as offered; `#head` items of the first chunk are already taken. */
  readonly #chunks: (readonly T[])[] = [];
  #head = 0;
  #queued = 0;
  #inFlight = 0;
  #writing = false;
  #timerArmed = false;
  #flushDue = false;
  #closed = false;
  #fatal: Error | null = null;
  #written = 0;
  #batches = 0;
  #retries = 0;
  readonly #writableWaiters: Waiter[] = [];
  readonly #idleWaiters: Waiter[] = [];

  constructor(options: BatchingWriterOptions<T>) {
    this.#o = options;
    this.#maxBatch = positive(options.maxBatch ?? 5000, 'maxBatch');
    this.#maxPending = positive(options.maxPending ?? 100_000, 'maxPending');
    this.#hardLimit = positive(options.hardLimit ?? 2 * this.#maxPending, 'hardLimit');
    if (this.#hardLimit < this.#maxPending) {
      throw new RangeError(`hardLimit ${this.#hardLimit} is below maxPending ${this.#maxPending}`);
    }
    this.#flushIntervalMs = positive(options.flushIntervalMs ?? 200, 'flushIntervalMs');
    this.#maxRetries = nonNegative(options.maxRetries ?? 5, 'maxRetries');
    this.#retryBaseMs = positive(options.retryBaseMs ?? 100, 'retryBaseMs');
    writerCount += 1;
    this.#timerName = `batching-writer:${options.name}:${writerCount}`;
  }

  /** Returns the writer's counts. */
  get stats(): WriterStats {
    return {
      written: this.#written,
      pending: this.#pending(),
      batches: this.#batches,
      retries: this.#retries,
    };
  }

  /** Returns whether the queue is below its bound. */
  get writable(): boolean {
    return this.#fatal === null && this.#pending() < this.#maxPending;
  }

  /** Takes `items`; returns false when the queue is at its bound afterwards. Throws when closed, failed or past the hard bound. */
  offer(items: readonly T[]): boolean {
    if (this.#fatal !== null) throw new Error(`${this.#o.name} writer has failed`, { cause: this.#fatal });
    if (this.#closed) throw new Error(`${this.#o.name} writer is closed; ${items.length} items offered`);
    if (items.length === 0) return this.writable;
    const after = this.#pending() + items.length;
    if (after > this.#hardLimit) {
      throw new Error(
        `${this.#o.name} writer: offering ${items.length} items would make ${after} pending, past the hard limit ` +
          `${this.#hardLimit} (the caller ignored backpressure at ${this.#maxPending})`,
      );
    }
    this.#chunks.push(items);
    this.#queued += items.length;
    if (this.#queued >= this.#maxBatch) this.#pump();
    else this.#armTimer();
    return after < this.#maxPending;
  }

  /** Resolves once the queue is below its bound; rejects once the writer has failed. */
  whenWritable(): Promise<void> {
    if (this.#fatal !== null) return Promise.reject(this.#fatal);
    if (this.writable) return Promise.resolve();
    return new Promise((resolve, reject) => this.#writableWaiters.push({ resolve, reject }));
  }

  /** Writes everything queued now (not waiting for the interval); resolves when nothing is pending. */
  flush(): Promise<void> {
    if (this.#fatal !== null) return Promise.reject(this.#fatal);
    if (this.#pending() === 0) return Promise.resolve();
    this.#flushDue = true;
    const idle = new Promise<void>((resolve, reject) => this.#idleWaiters.push({ resolve, reject }));
    this.#pump();
    return idle;
  }

  /** Stops taking items, writes everything pending and cancels the writer's timer. */
  async close(): Promise<void> {
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      this.#o.clock.cancelTimer(this.#timerName);
      this.#timerArmed = false;
    }
  }

  #pending(): number {
    return this.#queued + this.#inFlight;
  }

  #armTimer(): void {
    if (this.#timerArmed || this.#writing) return;
    this.#timerArmed = true;
    this.#o.clock.setTimer(this.#timerName, this.#o.clock.now() + this.#flushIntervalMs, () => {
      this.#timerArmed = false;
      this.#flushDue = true;
      this.#pump();
    });
  }

  #takeBatch(): T[] {
    const size = Math.min(this.#maxBatch, this.#queued);
    const batch: T[] = new Array<T>(size);
    let n = 0;
    while (n < size) {
      const chunk = this.#chunks[0] as readonly T[];
      const take = Math.min(size - n, chunk.length - this.#head);
      for (let i = 0; i < take; i++) batch[n + i] = chunk[this.#head + i] as T;
      n += take;
      this.#head += take;
      if (this.#head === chunk.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
    }
    this.#queued -= size;
    return batch;
  }

  #pump(): void {
    if (this.#writing || this.#fatal !== null) return;
    if (this.#queued === 0) {
      this.#flushDue = false;
      this.#settle(this.#idleWaiters);
      return;
    }
    if (this.#queued < this.#maxBatch && !this.#flushDue) {
      this.#armTimer();
      return;
    }
    if (this.#timerArmed) {
      this.#o.clock.cancelTimer(this.#timerName);
      this.#timerArmed = false;
    }
    const batch = this.#takeBatch();
    this.#writing = true;
    this.#inFlight = batch.length;
    this.#writeWithRetries(batch).then(
      () => {
        this.#writing = false;
        this.#inFlight = 0;
        this.#written += batch.length;
        this.#batches += 1;
        if (this.writable) this.#settle(this.#writableWaiters);
        this.#pump();
      },
      (error: unknown) => {
        this.#writing = false;
        this.#fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  async #writeWithRetries(batch: readonly T[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let written: number;
      try {
        written = await this.#o.write(batch);
      } catch (error) {
        if (attempt >= this.#maxRetries) {
          throw new Error(
            `${this.#o.name} writer: a batch of ${batch.length} failed ${attempt + 1} times; ${this.#pending()} ` +
              `items pending are not written: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
        this.#retries += 1;
        await this.#sleep(this.#retryBaseMs * 2 ** attempt);
        continue;
      }
      if (written !== batch.length) {
        // A batch is written atomically; a different count means the store broke that promise, so a retry could
        // duplicate rows. Crash instead (STYLE.md: invariant breaks stop the process).
        throw new Error(`${this.#o.name} writer: the store wrote ${written} of a batch of ${batch.length}`);
      }
      return;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) =>
      this.#o.clock.setTimer(`${this.#timerName}:retry`, this.#o.clock.now() + ms, resolve),
    );
  }

  #fail(error: Error): void {
    this.#fatal = error;
    this.#o.clock.cancelTimer(this.#timerName);
    this.#timerArmed = false;
    this.#settle(this.#writableWaiters, error);
    this.#settle(this.#idleWaiters, error);
    const onFatal =
      this.#o.onFatal ??
      ((e: Error) => {
        queueMicrotask(() => {
          throw e;
        });
      });
    onFatal(error);
  }

  #settle(waiters: Waiter[], error?: Error): void {
    const all = waiters.splice(0);
    for (const w of all) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }
}

function positive(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${what} ${value} must be a positive integer`);
  return value;
}

function nonNegative(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} ${value} must be a non-negative integer`);
  return value;
}
