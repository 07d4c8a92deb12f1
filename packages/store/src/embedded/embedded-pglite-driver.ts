import type { PGlite } from '@electric-sql/pglite';
import type { AsyncMutex } from '../driver/async-mutex.ts';
import { PgliteDriver } from '../driver/pglite-driver.ts';
import type { SqlExecutor, SqlResult } from '../driver/sql-driver.ts';
import { DurableFlusher } from './durable-flush.ts';

/** Options of `EmbeddedPgliteDriver`. */
export interface EmbeddedPgliteDriverOptions {
  readonly mutex?: AsyncMutex;
  /** Folder of the PostgreSQL files (what `flushDurably` fsyncs). */
  readonly pgDataDir: string;
  /** When true, every query, exec and transaction returns only after its effects are fsynced on the host. */
  readonly durable: boolean;
}

/**
 * The `PgliteDriver` of an embedded data directory, with `flushDurably()`: fsync on the host of everything PGlite
 * has committed. In durable mode it flushes after every call that wrote, so a resolved commit survives power loss.
 */
export class EmbeddedPgliteDriver extends PgliteDriver {
  readonly durable: boolean;
  readonly #flusher: DurableFlusher;

  /** Wraps `db`, whose files live in `options.pgDataDir`. */
  constructor(db: PGlite, options: EmbeddedPgliteDriverOptions) {
    super(db, options.mutex === undefined ? {} : { mutex: options.mutex });
    this.durable = options.durable;
    this.#flusher = new DurableFlusher(db, options.pgDataDir);
  }

  /** Returns after every commit so far is on stable storage (fsync of the WAL, or of all files after a checkpoint). */
  async flushDurably(): Promise<void> {
    await this.mutex.run(() => this.#flusher.flush());
  }

  /** Fsyncs every file PGlite wrote since the last whole-tree pass; call after `close` (shutdown checkpoint). */
  async flushTreeAfterClose(): Promise<void> {
    await this.#flusher.flushTree();
  }

  /** Flushes while the caller already holds `mutex` (the local socket server after a client's commit). */
  async flushDurablyHoldingMutex(): Promise<void> {
    await this.#flusher.flush();
  }

  /** Runs one statement; in durable mode returns once its effects are fsynced. */
  override async query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<SqlResult<R>> {
    const result = await super.query<R>(sql, params);
    if (this.durable) await this.flushDurably();
    return result;
  }

  /** Bulk-loads binary COPY data; in durable mode returns once it is fsynced. */
  override async copyFrom(target: string, data: Uint8Array<ArrayBuffer>): Promise<number> {
    const rows = await super.copyFrom(target, data);
    if (this.durable) await this.flushDurably();
    return rows;
  }

  /** Runs a script; in durable mode returns once its effects are fsynced. */
  override async exec(sql: string): Promise<void> {
    await super.exec(sql);
    if (this.durable) await this.flushDurably();
  }

  /** Runs `fn` in one transaction; in durable mode returns once the commit is fsynced. */
  override async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = await super.transaction(fn);
    if (this.durable) await this.flushDurably();
    return result;
  }
}
