import type { Logger as PinoLogger } from 'pino';
import type { Bar, BarRepository, DataNamespace } from '@kitepilot/core';

/**
 * Collects closed bars (from `BarAggregator.onBar`, which must only enqueue) and upserts them in batches, one write
 * at a time; a failed write keeps its bars for the next one, so a store hiccup loses no bar.
 */
export class BarBatchWriter {
  readonly #repository: BarRepository;
  readonly #namespace: DataNamespace;
  readonly #log: PinoLogger;
  #pending: Bar[] = [];
  #chain: Promise<void> = Promise.resolve();
  #written = 0;
  #errors = 0;

  /** Creates the writer of `namespace`'s bars. */
  constructor(repository: BarRepository, namespace: DataNamespace, log: PinoLogger) {
    this.#repository = repository;
    this.#namespace = namespace;
    this.#log = log;
  }

  /** Returns the bars written so far. */
  get written(): number {
    return this.#written;
  }

  /** Returns the failed writes so far (their bars were retried). */
  get errors(): number {
    return this.#errors;
  }

  /** Queues a closed bar. */
  add(bar: Bar): void {
    this.#pending.push(bar);
  }

  /** Writes the bars queued so far after the writes already started; resolves when done (or failed and kept). */
  write(): Promise<void> {
    this.#chain = this.#chain.then(async () => {
      if (this.#pending.length === 0) return;
      const batch = this.#pending;
      this.#pending = [];
      try {
        this.#written += await this.#repository.upsert(this.#namespace, batch);
      } catch (error) {
        this.#errors += 1;
        this.#pending = batch.concat(this.#pending);
        this.#log.error(
          { err: error, bars: batch.length },
          'writing bars failed; retrying with the next batch',
        );
      }
    });
    return this.#chain;
  }
}
