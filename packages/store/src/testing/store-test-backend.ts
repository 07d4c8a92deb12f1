import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { PgliteDriver } from '../driver/pglite-driver.ts';
import { PostgresDriver } from '../driver/postgres-driver.ts';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { createThrowawayPostgresDatabase, type ThrowawayPostgresDatabase } from './postgres-test-db.ts';

/** One database per test file on which the store contract suites run. */
export interface StoreTestBackend {
  readonly kind: 'pglite' | 'postgres';
  /** Returns the file's driver (available once the suite's beforeAll ran). */
  driver(): SqlDriver;
  /** Returns another driver on the same database, closed by the backend in afterAll. */
  openSecondDriver(): Promise<SqlDriver>;
}

/** Registers hooks that open one in-memory PGlite for the current test file and returns its backend. */
export function usePgliteBackend(): StoreTestBackend {
  let driver: PgliteDriver | undefined;
  beforeAll(async () => {
    driver = new PgliteDriver(await PGlite.create());
  });
  afterAll(async () => {
    await driver?.close();
  });
  const current = (): PgliteDriver => {
    if (driver === undefined) throw new Error('the PGlite test backend is not open yet');
    return driver;
  };
  return {
    kind: 'pglite',
    driver: current,
    // A second driver over the same PGlite shares its mutex, as the embedded local socket server does.
    openSecondDriver: async () =>
      new PgliteDriver(current().db, { mutex: current().mutex, ownsDatabase: false }),
  };
}

/** Registers hooks that create a throwaway PostgreSQL database for the current test file and drop it after. */
export function usePostgresBackend(baseUrl: string): StoreTestBackend {
  let database: ThrowawayPostgresDatabase | undefined;
  const drivers: PostgresDriver[] = [];
  beforeAll(async () => {
    database = await createThrowawayPostgresDatabase(baseUrl);
    drivers.push(new PostgresDriver(database.url));
  });
  afterAll(async () => {
    for (const d of drivers) await d.close();
    await database?.drop();
  });
  const current = (): PostgresDriver => {
    const first = drivers[0];
    if (first === undefined) throw new Error('the PostgreSQL test backend is not open yet');
    return first;
  };
  return {
    kind: 'postgres',
    driver: current,
    openSecondDriver: async () => {
      if (database === undefined) throw new Error('the PostgreSQL test backend is not open yet');
      const second = new PostgresDriver(database.url);
      drivers.push(second);
      return second;
    },
  };
}

/** Drops and recreates the public schema: an empty database for migration tests. */
export async function resetSchema(driver: SqlDriver): Promise<void> {
  await driver.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

/**
 * Empties every store table. Runs with session_replication_role = replica, which disables the audit_events
 * append-only triggers (and foreign-key triggers, so the order of deletes does not matter) for this transaction
 * only; it needs superuser rights and exists for tests alone. DELETE rather than TRUNCATE: far faster on small tables.
 */
export async function resetStoreData(driver: SqlDriver): Promise<void> {
  await driver.transaction(async (tx) => {
    const tables = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND c.relname <> 'schema_migrations'`,
    );
    await tx.exec('SET LOCAL session_replication_role = replica');
    await tx.exec(tables.rows.map((t) => `DELETE FROM ${t.name};`).join('\n'));
  });
}
