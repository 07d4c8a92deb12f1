import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { StoreClosedError, StoreError, StoreUnreachableError, toStoreError } from '../errors.ts';
import type { SqlDriver, SqlExecutor, SqlResult } from './sql-driver.ts';
import { storeTypeParsers } from './type-parsers.ts';

/** Options of `PostgresDriver` and `openPostgres`. */
export interface PostgresDriverOptions {
  /** Maximum pooled connections (default 10). */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Called with errors of idle pooled connections (e.g. the server restarted); they never crash the process. */
  readonly onIdleError?: (error: StoreError) => void;
}

/** Returns where a connection string points, with the password left out: `host:port/database as user`. */
export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** Returns the host, port, database and user of a `postgres://` URL (never its password). */
export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StoreError('UNREACHABLE', 'database URL is not a valid postgres:// URL', { cause: error });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreError(
      'UNREACHABLE',
      `database URL scheme '${parsed.protocol}' is not postgres: or postgresql:`,
    );
  }
  const socketHost = parsed.searchParams.get('host');
  const host = socketHost ?? (parsed.hostname === '' ? 'localhost' : decodeURIComponent(parsed.hostname));
  const port = parsed.port === '' ? 5432 : Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(parsed.username);
  return { host, port, database: database === '' ? user : database, user };
}

/** Returns `host:port/database` for messages. */
export function describePostgresTarget(target: PostgresTarget): string {
  return `${target.host}:${target.port}/${target.database}`;
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ENOENT',
]);

function errorCode(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return null;
}

function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== null && networkErrorCodes.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /timeout expired|Connection terminated|connect ECONN/i.test(message);
}

const customTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    const parser = format === 'binary' ? undefined : storeTypeParsers[oid];
    return parser ?? (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown);
  },
};

async function runQuery<R>(
  client: pg.Pool | pg.PoolClient,
  sql: string,
  params: readonly unknown[],
): Promise<SqlResult<R>> {
  try {
    const result = await client.query({ text: sql, values: [...params] });
    return {
      rows: result.rows as R[],
      affectedRows: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0),
    };
  } catch (error) {
    throw toStoreError(error, sql);
  }
}

/** Is the executor handed to a PostgreSQL transaction body; it refuses work once the transaction has ended. */
class PostgresTransactionHandle implements SqlExecutor {
  readonly #client: pg.PoolClient;
  #open = true;

  constructor(client: pg.PoolClient) {
    this.#client = client;
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
    return runQuery<R>(this.#client, sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#assertOpen(sql);
    try {
      await this.#client.query(sql);
    } catch (error) {
      throw toStoreError(error, sql);
    }
  }

  #assertOpen(sql: string): void {
    if (!this.#open)
      throw new StoreClosedError(`transaction has already ended; cannot run: ${sql.slice(0, 80)}`);
  }
}

/**
 * Runs the store's SQL on a PostgreSQL server through a `pg.Pool`. `bigint` and integral `numeric` come back as
 * safe JS numbers (overflow throws), `timestamptz` as epoch milliseconds, `date` as `YYYY-MM-DD`.
 */
export class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  /** Where this driver connects (no password). */
  readonly target: PostgresTarget;
  /** The last error an idle pooled connection reported, if any. */
  lastIdleError: StoreError | null = null;
  readonly #pool: pg.Pool;
  #closed = false;

  constructor(url: string, options: PostgresDriverOptions = {}) {
    this.target = postgresTarget(url);
    this.#pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      types: customTypes,
      // The store's timestamp parser expects ISO output; UTC keeps psql sessions and logs readable too.
      options: '-c DateStyle=ISO,MDY -c TimeZone=UTC',
    });
    // An idle client's error is emitted on the pool; without a listener Node would crash the process.
    this.#pool.on('error', (error) => {
      const storeError = this.#connectionError(error);
      this.lastIdleError = storeError;
      options.onIdleError?.(storeError);
    });
  }

  /** Runs one statement on any pooled connection. */
  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<SqlResult<R>> {
    this.#assertOpen();
    try {
      return await runQuery<R>(this.#pool, sql, params);
    } catch (error) {
      throw isConnectionFailure(error instanceof StoreError ? error.cause : error)
        ? this.#connectionError(error instanceof StoreError ? error.cause : error)
        : error;
    }
  }

  /** Runs a script of statements (simple protocol) on one pooled connection. */
  async exec(sql: string): Promise<void> {
    await this.#withClient(async (client) => {
      try {
        await client.query(sql);
      } catch (error) {
        throw toStoreError(error, sql);
      }
    });
  }

  /** Streams binary COPY data into `target` with `COPY … FROM STDIN` on one pooled connection; returns the rows. */
  async copyFrom(target: string, data: Uint8Array<ArrayBuffer>): Promise<number> {
    const sql = `COPY ${target} FROM STDIN WITH (FORMAT binary)`;
    return this.#withClient(async (client) => {
      const stream = client.query(copyFromStdin(sql));
      try {
        await pipeline(Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]), stream);
      } catch (error) {
        throw toStoreError(error, sql);
      }
      return stream.rowCount;
    });
  }

  /** Runs `fn` between BEGIN and COMMIT on one pooled connection; ROLLBACK when it throws. */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#withClient(async (client) => {
      await runQuery(client, 'BEGIN', []);
      const handle = new PostgresTransactionHandle(client);
      let result: T;
      try {
        result = await fn(handle);
      } catch (error) {
        handle.end();
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          throw new AggregateError([error, rollbackError], `ROLLBACK failed after: ${String(error)}`, {
            cause: error,
          });
        }
        throw error;
      }
      handle.end();
      await runQuery(client, 'COMMIT', []);
      return result;
    });
  }

  /** Closes every pooled connection; further calls throw `StoreClosedError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /** Runs `fn` with one pooled connection checked out, destroying the connection if `fn` leaves it broken. */
  async #withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.#assertOpen();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw this.#connectionError(error);
    }
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      if (
        error instanceof AggregateError ||
        isConnectionFailure(error instanceof StoreError ? error.cause : error)
      ) {
        broken = error instanceof Error ? error : new Error(String(error));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  #connectionError(error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    const where = describePostgresTarget(this.target);
    if (isConnectionFailure(error)) {
      const reason = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
      return new StoreUnreachableError(
        this.target.host,
        this.target.port,
        `cannot reach PostgreSQL at ${where} as user '${this.target.user}' (${reason})`,
        error,
      );
    }
    const mapped = toStoreError(error, 'connect');
    return new StoreError(
      mapped.code,
      `PostgreSQL at ${where} refused user '${this.target.user}': ${mapped.message}`,
      {
        sqlState: mapped.sqlState,
        cause: error,
      },
    );
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new StoreClosedError(
        `the PostgreSQL store driver for ${describePostgresTarget(this.target)} is closed`,
      );
  }
}

/**
 * Returns a connected `PostgresDriver` after proving the server answers; throws `StoreUnreachableError` naming host
 * and port (never the password) when it does not. There is no fallback to embedded storage.
 */
export async function openPostgres(
  url: string,
  options: PostgresDriverOptions = {},
): Promise<PostgresDriver> {
  const driver = new PostgresDriver(url, options);
  try {
    // exec checks out a connection, so authentication and missing-database errors are named with the target too.
    await driver.exec('SELECT 1');
  } catch (error) {
    await driver.close();
    throw error;
  }
  return driver;
}
