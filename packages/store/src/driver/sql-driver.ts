/** The result of one SQL statement. */
export interface SqlResult<R> {
  readonly rows: R[];
  /** Rows inserted, updated or deleted (0 for a SELECT). */
  readonly affectedRows: number;
}

/** Runs SQL: a driver, or the transaction handle a driver passes to `transaction`. */
export interface SqlExecutor {
  /** Runs one statement with `$1…$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
}

/**
 * A connection to the store's database: embedded PGlite in this process, PostgreSQL through `pg`, or the
 * embedded database of a running KitePilot server reached through its local socket.
 */
export interface SqlDriver extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres' | 'pglite-socket';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws (and rethrows). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Closes the connection; further calls throw. */
  close(): Promise<void>;
  /**
   * Bulk-loads rows given in PostgreSQL's binary COPY format into `target` (`table (col, …)`) as one statement;
   * returns the rows loaded. Present only on drivers with a COPY path (PostgreSQL: `COPY … FROM STDIN`; PGlite:
   * `COPY … FROM '/dev/blob'`).
   */
  copyFrom?(target: string, data: Uint8Array<ArrayBuffer>): Promise<number>;
}
