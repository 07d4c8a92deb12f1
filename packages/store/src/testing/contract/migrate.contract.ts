import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../../errors.ts';
import { migrate, schemaVersion } from '../../migrate/migrate.ts';
import { defaultMigrationsDir } from '../../migrate/migration-files.ts';
import type { SqlDriver } from '../../driver/sql-driver.ts';
import { resetSchema, type StoreTestBackend } from '../store-test-backend.ts';

async function catalog(driver: SqlDriver): Promise<unknown[]> {
  const result = await driver.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  return result.rows;
}

async function appliedRows(driver: SqlDriver): Promise<unknown[]> {
  return (
    await driver.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')
  ).rows;
}

/** Runs the migrator contract on an empty schema per test. */
export function migrateContract(backend: StoreTestBackend): void {
  describe(`migrate (${backend.kind})`, () => {
    let dir: string;

    beforeEach(async () => {
      await resetSchema(backend.driver());
      dir = await mkdtemp(join(tmpdir(), 'kp-migrations-'));
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('applies the package migrations in order and records their sha256 checksums', async () => {
      const d = backend.driver();
      expect(await schemaVersion(d)).toMatchObject({ version: 0, pending: 9 });
      const result = await migrate(d);
      expect(result).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7, 8, 9], version: 9 });
      const rows = await d.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      );
      expect(rows.rows).toEqual([
        { version: 1, name: 'init', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 2, name: 'market_data', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 3, name: 'tick_depth_levels', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 4, name: 'trading', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 5, name: 'research', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 6, name: 'position_closing', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 7, name: 'auth', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 8, name: 'strategies', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { version: 9, name: 'row_level_security', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
      expect(await schemaVersion(d)).toMatchObject({
        version: 9,
        name: 'row_level_security',
        latest: 9,
        pending: 0,
      });
    });

    it('is idempotent: a second run applies nothing and changes nothing', async () => {
      const d = backend.driver();
      await migrate(d);
      const before = { catalog: await catalog(d), applied: await appliedRows(d) };
      expect(await migrate(d)).toEqual({ applied: [], version: 9 });
      expect({ catalog: await catalog(d), applied: await appliedRows(d) }).toEqual(before);
    });

    it('stops with an error naming the file when a landed migration was edited', async () => {
      const d = backend.driver();
      await writeFile(join(dir, '0001_first.sql'), 'CREATE TABLE kp_first (id int);');
      await migrate(d, { migrationsDir: dir });
      await writeFile(join(dir, '0001_first.sql'), 'CREATE TABLE kp_first (id bigint);');
      const error = await migrate(d, { migrationsDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH', file: '0001_first.sql' });
      expect((error as Error).message).toMatch(/0001_first\.sql was edited after it was applied/);
    });

    it('stops with a clear error when the database has a migration the code does not know', async () => {
      const d = backend.driver();
      await writeFile(join(dir, '0001_first.sql'), 'CREATE TABLE kp_first (id int);');
      await writeFile(join(dir, '0002_second.sql'), 'CREATE TABLE kp_second (id int);');
      await migrate(d, { migrationsDir: dir });
      await rm(join(dir, '0002_second.sql'));
      const error = await migrate(d, { migrationsDir: dir }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SCHEMA_NEWER_THAN_CODE' });
      expect((error as Error).message).toMatch(/migration 2 \(second\).*newer KitePilot/);
    });

    it('leaves nothing behind when a migration fails and names the file and the SQL error', async () => {
      const d = backend.driver();
      await writeFile(join(dir, '0001_first.sql'), 'CREATE TABLE kp_first (id int);');
      await writeFile(
        join(dir, '0002_broken.sql'),
        'CREATE TABLE kp_half (id int);\nINSERT INTO kp_missing_table VALUES (1);',
      );
      const error = await migrate(d, { migrationsDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ code: 'MIGRATION_FAILED', file: '0002_broken.sql', sqlState: '42P01' });
      expect((error as Error).message).toMatch(/migration 0002_broken\.sql failed: .*kp_missing_table/);
      const tables = await d.query<{ half: string | null; first: string | null }>(
        "SELECT to_regclass('kp_half')::text AS half, to_regclass('kp_first')::text AS first",
      );
      expect(tables.rows[0]).toEqual({ half: null, first: 'kp_first' });
      expect(await schemaVersion(d, { migrationsDir: dir })).toMatchObject({
        version: 1,
        latest: 2,
        pending: 1,
      });
    });

    it('rejects a migration file with a malformed name', async () => {
      await writeFile(join(dir, '1_bad.sql'), 'SELECT 1;');
      await expect(migrate(backend.driver(), { migrationsDir: dir })).rejects.toMatchObject({
        code: 'MIGRATION_FILES_INVALID',
        file: '1_bad.sql',
      });
    });

    it('serialises concurrent migrators so that each migration is applied exactly once', async () => {
      const second = await backend.openSecondDriver();
      await copyFile(join(defaultMigrationsDir(), '0001_init.sql'), join(dir, '0001_init.sql'));
      await writeFile(join(dir, '0002_more.sql'), 'CREATE TABLE kp_more (id int);');
      const [a, b] = await Promise.all([
        migrate(backend.driver(), { migrationsDir: dir }),
        migrate(second, { migrationsDir: dir }),
      ]);
      expect([...a.applied, ...b.applied].sort()).toEqual([1, 2]);
      expect(a.version).toBe(2);
      expect(b.version).toBe(2);
      expect(await appliedRows(backend.driver())).toHaveLength(2);
    });
  });
}
