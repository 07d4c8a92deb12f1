import { AsyncMutex } from '../driver/async-mutex.ts';
import type { SqlDriver, SqlExecutor, SqlResult } from '../driver/sql-driver.ts';
import { StoreClosedError } from '../errors.ts';

const savepoint = 'kitepilot_scoped_statement';

/** Is the executor handed to a `ScopedTransactionDriver.transaction` body; it refuses work once that body ended. */
class SavepointHandle implements SqlExecutor {
  readonly #tx: SqlExecutor;
  #open = true;

  constructor(tx: SqlExecutor) {
    this.#tx = tx;
  }

  /** Marks the handle unusable after RELEASE or ROLLBACK TO SAVEPOINT. */
  end(): void {
    this.#open = false;
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<R>> {
    this.#assertOpen(sql);
    return this.#tx.query<R>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#assertOpen(sql);
    await this.#tx.exec(sql);
  }

  #assertOpen(sql: string): void {
    if (!this.#open)
      throw new StoreClosedError(`transaction has already ended; cannot run: ${sql.slice(0, 80)}`);
  }
}

/**
 * Is a `SqlDriver` over one open transaction (an account scope's), so that code written against a driver — the
 * repositories of `createStore` — runs inside it. Each statement runs in its own savepoint, so a failing statement
 * undoes only itself, as an autocommit statement on a plain driver would, instead of aborting everything the scope
 * did before; `transaction` becomes a savepoint too. Uses are serialised; calling the driver itself from inside
 * its `transaction` body deadlocks (use the handle), as with `PgliteDriver`. It has no COPY path, so tick writes
 * take the INSERT path. `close()` ends this view only: the transaction belongs to whoever opened it.
 */
export class ScopedTransactionDriver implements SqlDriver {
  readonly kind: SqlDriver['kind'];
  readonly #tx: SqlExecutor;
  readonly #mutex = new AsyncMutex();
  #closed = false;

  constructor(tx: SqlExecutor, kind: SqlDriver['kind']) {
    this.#tx = tx;
    this.kind = kind;
  }

  /** Runs one statement in the transaction, inside its own savepoint. */
  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<R>> {
    this.#assertOpen(sql);
    return this.#mutex.run(() => this.#inSavepoint(() => this.#tx.query<R>(sql, params)));
  }

  /** Runs a script in the transaction, inside its own savepoint. */
  async exec(sql: string): Promise<void> {
    this.#assertOpen(sql);
    await this.#mutex.run(() => this.#inSavepoint(() => this.#tx.exec(sql)));
  }

  /** Runs `fn` inside a savepoint: released when it resolves, rolled back to when it throws (and rethrows). */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#assertOpen('SAVEPOINT');
    return this.#mutex.run(() =>
      this.#inSavepoint(async () => {
        const handle = new SavepointHandle(this.#tx);
        try {
          return await fn(handle);
        } finally {
          handle.end();
        }
      }),
    );
  }

  /** Stops this view (further calls throw `StoreClosedError`); the underlying transaction is left alone. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async #inSavepoint<T>(fn: () => Promise<T>): Promise<T> {
    await this.#tx.exec(`SAVEPOINT ${savepoint}`);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      try {
        await this.#tx.exec(`ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      } catch (rollbackError) {
        throw new AggregateError(
          [error, rollbackError],
          `ROLLBACK TO SAVEPOINT failed after: ${String(error)}`,
          { cause: error },
        );
      }
      throw error;
    }
    await this.#tx.exec(`RELEASE SAVEPOINT ${savepoint}`);
    return result;
  }

  #assertOpen(sql: string): void {
    if (this.#closed)
      throw new StoreClosedError(`the account scope has ended; cannot run: ${sql.slice(0, 80)}`);
  }
}
