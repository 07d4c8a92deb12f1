import { PostgresDriver } from '../driver/postgres-driver.ts';
import type { SqlDriver, SqlExecutor, SqlResult } from '../driver/sql-driver.ts';
import { localSocketConnection } from './local-socket-server.ts';

/**
 * Returns the `postgres://` URL of a KitePilot local socket: `pg` reaches a unix socket through the `host` query
 * parameter naming its directory, and the port names the `.s.PGSQL.<port>` file in it.
 */
export function localSocketUrl(socketPath: string): string {
  const { host, port } = localSocketConnection(socketPath);
  return `postgres://postgres@localhost:${port}/postgres?host=${encodeURIComponent(host)}`;
}

/**
 * Reaches the embedded database of a running KitePilot server through its local socket, with one `pg` connection
 * (the server serialises its clients anyway). Values parse exactly as with `PostgresDriver`.
 */
export class PgliteSocketDriver implements SqlDriver {
  readonly kind = 'pglite-socket' as const;
  readonly socketPath: string;
  readonly #inner: PostgresDriver;

  /** Prepares a connection to `socketPath`; nothing connects until the first call. */
  constructor(socketPath: string) {
    this.socketPath = socketPath;
    this.#inner = new PostgresDriver(localSocketUrl(socketPath), { maxConnections: 1 });
  }

  /** Runs one statement with `$1…$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return this.#inner.query<R>(sql, params);
  }

  /** Runs a script of statements. */
  exec(sql: string): Promise<void> {
    return this.#inner.exec(sql);
  }

  /** Runs `fn` in one transaction on the server's database. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#inner.transaction(fn);
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.#inner.close();
  }
}
