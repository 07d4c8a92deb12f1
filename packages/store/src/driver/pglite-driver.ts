import type { PGlite, Transaction } from '@electric-sql/pglite';
import { StoreClosedError, toStoreError } from '../errors.ts';
import { AsyncMutex } from './async-mutex.ts';
import type { SqlDriver, SqlExecutor, SqlResult } from './sql-driver.ts';
import { storeTypeParsers } from './type-parsers.ts';

/** Options of `PgliteDriver`. */
export interface PgliteDriverOptions {
  /** The mutex to share with other users of the same PGlite (the embedded local socket server); a new one by default. */
  readonly mutex?: AsyncMutex;
  /** Whether `close()` also closes the PGlite instance (default true); false for a driver over someone else's. */
  readonly ownsDatabase?: boolean;
}

type PgliteQueryable = Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

const queryOptions = { parsers: storeTypeParsers };

async function runQuery<R>(
  target: PgliteQueryable,
  sql: string,
  params: readonly unknown[],
): Promise<SqlResult<R>> {
  try {
    const result = await target.query<R>(sql, [...params], queryOptions);
    return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
  } catch (error) {
    throw toStoreError(error, sql);
  }
}

async function runExec(target: PgliteQueryable, sql: string): Promise<void> {
  try {
    await target.exec(sql, queryOptions);
  } catch (error) {
    throw toStoreError(error, sql);
  }
}

/** Is the executor handed to a PGlite transaction body; it refuses work once the transaction has ended. */
class PgliteTransactionHandle implements SqlExecutor {
  readonly #tx: Transaction;
  #open = true;

  constructor(tx: Transaction) {
    this.#tx = tx;
  }

  /** Marks the handle unusable after COMMIT or ROLLBACK. */
  end(): void {
    this.#open = false;
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<R>> {
    this.#assertOpen(sql);
    return runQuery<R>(this.#tx, sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#assertOpen(sql);
    await runExec(this.#tx, sql);
  }

  #assertOpen(sql: string): void {
    if (!this.#open)
      throw new StoreClosedError(`transaction has already ended; cannot run: ${sql.slice(0, 80)}`);
  }
}

/**
 * Runs the store's SQL on an embedded PGlite instance. Every query, exec and transaction holds `mutex`, so a
 * component sharing the same PGlite (the embedded local socket server) can keep its own transactions isolated
 * from ours by holding the same mutex. Calling the driver itself from inside `transaction` deadlocks: use the
 * handle passed to the body.
 */
export class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  /** Serialises every use of `db` by this driver and by whoever shares it. */
  readonly mutex: AsyncMutex;
  /** The wrapped PGlite instance. */
  readonly db: PGlite;
  readonly #ownsDatabase: boolean;
  #closed = false;

  constructor(db: PGlite, options: PgliteDriverOptions = {}) {
    this.db = db;
    this.mutex = options.mutex ?? new AsyncMutex();
    this.#ownsDatabase = options.ownsDatabase ?? true;
  }

  /** Runs one statement with `$1…$n` parameters while holding the mutex. */
  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<R>> {
    this.#assertOpen();
    return this.mutex.run(() => runQuery<R>(this.db, sql, params));
  }

  /** Runs a script of statements while holding the mutex. */
  async exec(sql: string): Promise<void> {
    this.#assertOpen();
    await this.mutex.run(() => runExec(this.db, sql));
  }

  /** Loads binary COPY data into `target` through PGlite's `/dev/blob` device while holding the mutex. */
  async copyFrom(target: string, data: Uint8Array<ArrayBuffer>): Promise<number> {
    this.#assertOpen();
    const sql = `COPY ${target} FROM '/dev/blob' WITH (FORMAT binary)`;
    return this.mutex.run(async () => {
      try {
        const result = await this.db.query(sql, [], { blob: new Blob([data]) });
        return result.affectedRows ?? 0;
      } catch (error) {
        throw toStoreError(error, sql);
      }
    });
  }

  /** Runs `fn` in one PGlite transaction while holding the mutex for its whole duration. */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.mutex.run(async () => {
      // Widened on purpose: the callback below changes it, which control-flow narrowing cannot see.
      let phase = 'BEGIN' as 'BEGIN' | 'body' | 'COMMIT';
      try {
        return await this.db.transaction(async (tx) => {
          const handle = new PgliteTransactionHandle(tx);
          phase = 'body';
          try {
            const result = await fn(handle);
            phase = 'COMMIT';
            return result;
          } finally {
            handle.end();
          }
        });
      } catch (error) {
        // Errors of the body pass through unchanged (they already are store errors or the caller's own);
        // only a failing BEGIN or COMMIT is mapped here.
        if (phase === 'body') throw error;
        throw toStoreError(error, phase);
      }
    });
  }

  /**
   * Stops the driver (further calls throw `StoreClosedError`) and, when it owns the database, closes the PGlite
   * instance once no one holds the mutex.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDatabase) await this.mutex.run(() => this.db.close());
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('the PGlite store driver is closed');
  }
}
