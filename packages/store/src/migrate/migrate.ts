import { MigrationError, StoreError } from '../errors.ts';
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts';
import { defaultMigrationsDir, readMigrationFiles, type MigrationFile } from './migration-files.ts';

/** Options of `migrate` and `schemaVersion`. */
export interface MigrateOptions {
  /** The folder holding `NNNN_name.sql` files; the package's `migrations/` by default. */
  readonly migrationsDir?: string;
}

/** What `migrate` did. */
export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

/** One row of `schema_migrations`. */
interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly applied_at: number;
}

// Any fixed 64-bit key works; every KitePilot migrator takes the same one (pg_advisory_xact_lock, PostgreSQL docs §9.27.10).
const migrationLockKey = 4_851_170_226_013;

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
)`;

async function lockAndReadApplied(tx: SqlExecutor): Promise<AppliedMigration[]> {
  // Serialises concurrent migrators (several processes starting at once on one PostgreSQL) until COMMIT.
  await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
  await tx.exec(createMigrationsTable);
  const result = await tx.query<AppliedMigration>(
    'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
  );
  return result.rows;
}

function verifyApplied(
  applied: readonly AppliedMigration[],
  files: readonly MigrationFile[],
  dir: string,
): void {
  const latest = files.at(-1)?.version ?? 0;
  for (const row of applied) {
    const file = files.find((f) => f.version === row.version);
    if (file === undefined) {
      throw new MigrationError(
        'SCHEMA_NEWER_THAN_CODE',
        `the database has migration ${row.version} (${row.name}) which this code does not know (its latest is ` +
          `${latest} in ${dir}); the database was migrated by a newer KitePilot — upgrade the code, do not downgrade`,
        null,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `migration file ${file.fileName} was edited after it was applied (checksum ${file.checksum} differs from ` +
          `the recorded ${row.checksum}); a landed migration must never change — add a new migration instead`,
        file.fileName,
      );
    }
  }
}

/**
 * Applies the pending migrations of the migrations folder in version order, each in its own transaction holding a
 * PostgreSQL advisory lock. Stops with a `MigrationError` on an edited migration (checksum mismatch, naming the
 * file), on a database newer than the code, or when a migration fails (naming the file and the SQL error; the failed
 * migration leaves nothing behind). Running it again applies nothing.
 */
export async function migrate(driver: SqlDriver, options: MigrateOptions = {}): Promise<MigrateResult> {
  const dir = options.migrationsDir ?? defaultMigrationsDir();
  const files = await readMigrationFiles(dir);
  const applied: number[] = [];
  // Verify first, even when nothing is pending, so that an edited migration is reported on every start.
  await driver.transaction(async (tx) => verifyApplied(await lockAndReadApplied(tx), files, dir));
  for (const file of files) {
    const didApply = await driver.transaction(async (tx) => {
      const rows = await lockAndReadApplied(tx);
      // Another migrator may have applied it while we waited for the lock.
      verifyApplied(rows, files, dir);
      if (rows.some((r) => r.version === file.version)) return false;
      try {
        await tx.exec(file.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(
          'MIGRATION_FAILED',
          `migration ${file.fileName} failed: ${reason}`,
          file.fileName,
          {
            sqlState: error instanceof StoreError ? error.sqlState : null,
            cause: error,
          },
        );
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        file.version,
        file.name,
        file.checksum,
      ]);
      return true;
    });
    if (didApply) applied.push(file.version);
  }
  const version = (await schemaVersion(driver, options)).version;
  return { applied, version };
}

/** The schema state reported by `/status`. */
export interface SchemaVersion {
  /** The highest applied migration version (0 for an empty database). */
  readonly version: number;
  /** Its name, or null for an empty database. */
  readonly name: string | null;
  /** When it was applied (epoch ms), or null. */
  readonly appliedAt: number | null;
  /** The highest version this code knows. */
  readonly latest: number;
  /** How many known migrations are not applied yet. */
  readonly pending: number;
}

/** Returns the database's schema version next to the latest version in the migrations folder. */
export async function schemaVersion(driver: SqlDriver, options: MigrateOptions = {}): Promise<SchemaVersion> {
  const files = await readMigrationFiles(options.migrationsDir ?? defaultMigrationsDir());
  const latest = files.at(-1)?.version ?? 0;
  const exists = await driver.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (exists.rows[0]?.present !== true) {
    return { version: 0, name: null, appliedAt: null, latest, pending: files.length };
  }
  const result = await driver.query<AppliedMigration>(
    'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
  );
  const last = result.rows.at(-1);
  const appliedVersions = new Set(result.rows.map((r) => r.version));
  return {
    version: last?.version ?? 0,
    name: last?.name ?? null,
    appliedAt: last?.applied_at ?? null,
    latest,
    pending: files.filter((f) => !appliedVersions.has(f.version)).length,
  };
}
