import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describePostgresTarget, postgresTarget } from '../driver/postgres-driver.ts';

/** The environment variable that points store tests at a PostgreSQL server. */
export const POSTGRES_TEST_URL_VARIABLE = 'KITEPILOT_TEST_DATABASE_URL';

/** Whether PostgreSQL-backed tests run here, and against which server. */
export type PostgresTestGate =
  | { readonly enabled: true; readonly url: string }
  | { readonly enabled: false; readonly url: null; readonly message: string };

/**
 * Returns whether PostgreSQL-backed tests run. With `KITEPILOT_TEST_DATABASE_URL` set they run against it; unset
 * outside CI they are skipped (use `describe.skipIf(!gate.enabled)`) and a console message says how to enable
 * them; unset while `CI=true` this throws, so the test file fails: PostgreSQL tests never silently skip in CI.
 */
export function postgresTestGate(env: NodeJS.ProcessEnv = process.env): PostgresTestGate {
  const url = env[POSTGRES_TEST_URL_VARIABLE];
  if (url !== undefined && url !== '') return { enabled: true, url };
  if (env['CI'] === 'true') {
    throw new Error(
      `${POSTGRES_TEST_URL_VARIABLE} is not set but CI=true: the PostgreSQL store tests must run in CI ` +
        `(set ${POSTGRES_TEST_URL_VARIABLE}=postgres://postgres@127.0.0.1:5432/test)`,
    );
  }
  const message =
    `PostgreSQL store tests skipped: set ${POSTGRES_TEST_URL_VARIABLE}=postgres://user@host:5432/db ` +
    `(e.g. ${POSTGRES_TEST_URL_VARIABLE}=postgres://postgres@127.0.0.1:5432/test) to run them`;
  console.warn(message);
  return { enabled: false, url: null, message };
}

/** A database created for one test file; `drop()` removes it. */
export interface ThrowawayPostgresDatabase {
  /** Its name, `kp_test_<random hex>`. */
  readonly name: string;
  /** The connection URL of the new database. */
  readonly url: string;
  /** Drops the database, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/** Returns `url` with its database name replaced. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch((endError: unknown) => {
      throw new AggregateError([error, endError], 'closing a failed test connection failed');
    });
    throw error;
  }
}

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client;
  try {
    client = await connect(url);
  } catch (error) {
    const missingDatabase =
      typeof error === 'object' && error !== null && 'code' in error && error.code === '3D000';
    if (!missingDatabase) {
      throw new Error(
        `cannot connect to the test PostgreSQL at ${describePostgresTarget(postgresTarget(url))}`,
        {
          cause: error,
        },
      );
    }
    // The URL's database need not exist: CREATE/DROP DATABASE can be issued from the maintenance database.
    client = await connect(withDatabase(url, 'postgres'));
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database `kp_test_<random>` on the server of `baseUrl` (issuing CREATE DATABASE from the database
 * named there, or from `postgres` when that one does not exist) so that test files never share state; drop it in
 * `afterAll`.
 */
export async function createThrowawayPostgresDatabase(baseUrl: string): Promise<ThrowawayPostgresDatabase> {
  const name = `kp_test_${randomBytes(8).toString('hex')}`;
  await onServer(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: withDatabase(baseUrl, name),
    drop: async () => {
      // WITH (FORCE) (PostgreSQL 13+) ends connections a failed test may have left open.
      await onServer(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
