import { PGlite } from '@electric-sql/pglite';
import { parseAccountId } from '@kitepilot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PgliteDriver } from '../driver/pglite-driver.ts';
import { MigrationError } from '../errors.ts';
import { migrate, schemaVersion } from '../migrate/migrate.ts';
import { AccountScopeError } from './account-scope-error.ts';
import { withAccountScope } from './account-scope.ts';

// Roles belong to the whole cluster on PostgreSQL, so these cases (no role yet, a role that bypasses RLS) can only
// be staged on a private database: a fresh PGlite each.
describe('row-level security setup on a fresh PGlite', () => {
  let driver: PgliteDriver | undefined;
  const open = async (): Promise<PgliteDriver> => {
    driver = new PgliteDriver(await PGlite.create());
    return driver;
  };
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });

  it('names migration 0009 when a scope is entered before the role exists', async () => {
    const d = await open();
    const error = await withAccountScope(d, parseAccountId('acc_A'), async () => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountScopeError);
    expect(error).toMatchObject({
      accountId: 'acc_A',
      message: expect.stringMatching(/role kitepilot_app does not exist .*0009_row_level_security\.sql/),
    });
  });

  it('creates the role when missing, as a role that cannot bypass row-level security', async () => {
    const d = await open();
    await migrate(d);
    const role = await d.query<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
      `SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'kitepilot_app'`,
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
  });

  it('stops migration 0009, leaving nothing behind, when kitepilot_app exists with BYPASSRLS', async () => {
    const d = await open();
    await d.exec('CREATE ROLE kitepilot_app NOLOGIN BYPASSRLS');
    const error = await migrate(d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({
      code: 'MIGRATION_FAILED',
      file: '0009_row_level_security.sql',
      message: expect.stringContaining('superuser or has BYPASSRLS'),
    });
    const version = await schemaVersion(d);
    expect(version.version).toBeLessThan(9);
    const rls = await d.query<{ relrowsecurity: boolean }>(
      `SELECT relrowsecurity FROM pg_class WHERE oid = 'orders'::regclass`,
    );
    expect(rls.rows).toEqual([{ relrowsecurity: false }]);
  });
});
