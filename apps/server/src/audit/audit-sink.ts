// The audit writer of a trading environment. The kernel hands it records synchronously (enqueue is O(1) and never
// waits); one drain loop appends them in enqueue order, in batches, onto the hash chain. A failure is never
// swallowed: it is counted, logged and alerted, a transient one is retried with backoff (the records stay queued in
// order), and a record the database refuses for what it is (a broken constraint, a value JSON cannot hold) is
// isolated, counted as rejected and alerted, so that one bad record cannot stop the trail behind it.
import { InvariantError, type AuditEvent, type NewAuditEvent } from '@kitepilot/core';
import { StoreQueryError } from '@kitepilot/store';
import type { Logger as PinoLogger } from 'pino';

/** Where the sink writes: the store's batch append (SqlAuditRepository.appendMany). */
export interface AuditAppender {
  /** Appends the records in order, all or none. */
  appendMany(events: readonly NewAuditEvent[]): Promise<readonly AuditEvent[]>;
}

/** How loud a sink alert is (the kernel's alert levels). */
export type AuditSinkAlertLevel = 'info' | 'warning' | 'critical';

/** What `AuditSink` takes. */
export interface AuditSinkOptions {
  readonly appender: AuditAppender;
  readonly logger: PinoLogger;
  /** Raises an alert: the first failure of a streak, the recovery, a rejected or dropped record. */
  readonly alert: (level: AuditSinkAlertLevel, code: string, message: string) => void;
  /** Records per append (default 500). */
  readonly maxBatch?: number;
  /** The wait before retry `attempt` (1, 2, …); default 100 ms doubling up to 10 s. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Records held while the store fails; beyond it the oldest are dropped, counted and alerted (default 100 000). */
  readonly maxPending?: number;
}

/** The sink's counters. */
export interface AuditSinkStats {
  /** Records written. */
  readonly appended: number;
  /** Append attempts that failed. */
  readonly failures: number;
  /** Records the store refused for what they are (not written). */
  readonly rejected: number;
  /** Records dropped: queue overflow while the store failed, or still queued at close. */
  readonly dropped: number;
  /** Records waiting. */
  readonly pending: number;
  /** The last append failed and the sink is retrying. */
  readonly failing: boolean;
}

const defaultRetryDelayMs = (attempt: number): number => Math.min(100 * 2 ** (attempt - 1), 10_000);

/** Returns whether a failed append is about the records themselves (retrying the same records cannot succeed). */
export function isRecordError(error: unknown): boolean {
  if (error instanceof InvariantError || error instanceof RangeError) return true;
  return (
    error instanceof StoreQueryError &&
    ['FOREIGN_KEY_VIOLATION', 'CHECK_VIOLATION', 'NOT_NULL_VIOLATION', 'VALUE_OUT_OF_RANGE'].includes(
      error.code,
    )
  );
}

/** Appends audit records in order, in the background, without ever blocking the caller. */
export class AuditSink {
  readonly #o: Required<Omit<AuditSinkOptions, 'logger' | 'alert' | 'appender'>> & AuditSinkOptions;
  readonly #log: PinoLogger;
  #queue: NewAuditEvent[] = [];
  #draining: Promise<void> | null = null;
  #appended = 0;
  #failures = 0;
  #rejected = 0;
  #dropped = 0;
  #failing = false;
  // After a record error the sink appends one record at a time until the bad record is found.
  #isolate = false;
  #closing = false;
  #deadline = Number.POSITIVE_INFINITY;
  #wake: (() => void) | null = null;

  constructor(options: AuditSinkOptions) {
    this.#o = {
      maxBatch: 500,
      retryDelayMs: defaultRetryDelayMs,
      maxPending: 100_000,
      ...options,
    };
    this.#log = options.logger.child({ component: 'audit-sink' });
  }

  /** Queues a record; returns at once. Throws after close (a record that would be lost silently). */
  enqueue(event: NewAuditEvent): void {
    if (this.#closing) {
      throw new Error(`audit sink is closed: record ${event.kind} was not queued`);
    }
    this.#queue.push(event);
    if (this.#queue.length > this.#o.maxPending) {
      const lost = this.#queue.shift() as NewAuditEvent;
      this.#dropped++;
      if (this.#dropped === 1 || this.#dropped % 1000 === 0) {
        this.#log.error(
          { kind: lost.kind, dropped: this.#dropped, maxPending: this.#o.maxPending },
          'audit queue full: oldest record dropped',
        );
        this.#o.alert(
          'critical',
          'audit-dropped',
          `audit queue over ${this.#o.maxPending} records while the store fails: ${this.#dropped} record(s) dropped`,
        );
      }
    }
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
    });
  }

  /** Resolves when every record queued so far is written (or rejected). */
  async flush(): Promise<void> {
    while (this.#draining !== null) await this.#draining;
  }

  /**
   * Stops taking records and writes what is queued, retrying for at most `timeoutMs`; records still queued then are
   * dropped, counted and logged. Returns the final counters.
   */
  async close(timeoutMs = 10_000): Promise<AuditSinkStats> {
    this.#closing = true;
    this.#deadline = Date.now() + timeoutMs;
    this.#wake?.();
    await this.flush();
    return this.stats();
  }

  /** Returns the counters. */
  stats(): AuditSinkStats {
    return {
      appended: this.#appended,
      failures: this.#failures,
      rejected: this.#rejected,
      dropped: this.#dropped,
      pending: this.#queue.length,
      failing: this.#failing,
    };
  }

  async #drain(): Promise<void> {
    let attempt = 0;
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#isolate ? 1 : this.#o.maxBatch);
      try {
        await this.#o.appender.appendMany(batch);
        this.#queue.splice(0, batch.length);
        this.#appended += batch.length;
        if (this.#isolate && batch.length === 1) this.#isolate = false;
        if (this.#failing) {
          this.#failing = false;
          this.#log.warn({ failedAttempts: attempt }, 'audit appends work again');
          this.#o.alert(
            'info',
            'audit-restored',
            `audit appends work again after ${attempt} failed attempt(s)`,
          );
        }
        attempt = 0;
        continue;
      } catch (error) {
        this.#failures++;
        attempt++;
        if (isRecordError(error)) {
          if (batch.length > 1) {
            this.#isolate = true;
            continue;
          }
          this.#reject(batch[0] as NewAuditEvent, error);
          attempt = 0;
          continue;
        }
        if (!this.#failing) {
          this.#failing = true;
          this.#log.error({ err: error, pending: this.#queue.length }, 'audit append failed: retrying');
          this.#o.alert(
            'critical',
            'audit-append-failed',
            `audit records cannot be written (${(error as Error).message}); ${this.#queue.length} queued, retrying`,
          );
        }
      }
      if (this.#closing && Date.now() >= this.#deadline) {
        this.#dropAllAtClose();
        return;
      }
      await this.#sleep(this.#o.retryDelayMs(attempt));
    }
  }

  #reject(event: NewAuditEvent, error: unknown): void {
    this.#queue.shift();
    this.#rejected++;
    this.#isolate = false;
    this.#log.error(
      { err: error, kind: event.kind, accountId: event.accountId },
      'audit record refused by the store',
    );
    this.#o.alert(
      'critical',
      'audit-record-rejected',
      `audit record ${event.kind} was refused by the store: ${(error as Error).message}`,
    );
  }

  #dropAllAtClose(): void {
    const lost = this.#queue.length;
    this.#dropped += lost;
    this.#log.error(
      { dropped: lost, kinds: [...new Set(this.#queue.map((e) => e.kind))] },
      'audit sink closed with records it could not write',
    );
    this.#queue = [];
  }

  async #sleep(ms: number): Promise<void> {
    const remaining = this.#closing ? Math.max(0, this.#deadline - Date.now()) : ms;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(ms, remaining));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = null;
  }
}
