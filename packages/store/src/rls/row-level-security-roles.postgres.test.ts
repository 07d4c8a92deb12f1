import { randomBytes } from 'node:crypto';
import { parseAccountId } from '@kitepilot/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../driver/postgres-driver.ts';
import { MigrationError } from '../errors.ts';
import { migrate } from '../migrate/migrate.ts';
import {
  createThrowawayPostgresDatabase,
  postgresTestGate,
  type ThrowawayPostgresDatabase,
} from '../testing/postgres-test-db.ts';
import { AccountScopeError } from './account-scope-error.ts';
import { ACCOUNT_SCOPE_SETTING, withAccountScope } from './account-scope.ts';

const gate = postgresTestGate();

/** Returns `url` connecting as `user` (the test server trusts loopback connections). */
function asUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = '';
  return parsed.toString();
}

async function asAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// A production store usually runs as a database owner that is not a superuser; the superuser of the other suites
// may SET ROLE to anything and never needs the membership migration 0009 grants.
describe.skipIf(!gate.enabled)('row-level security for a store role that is not a superuser', () => {
  const baseUrl = gate.url ?? '';
  const suffix = randomBytes(6).toString('hex');
  const ownerRole = `kp_rls_owner_${suffix}`;
  const plainRole = `kp_rls_plain_${suffix}`;
  let ownerDb: ThrowawayPostgresDatabase | undefined;
  let plainDb: ThrowawayPostgresDatabase | undefined;
  const drivers: PostgresDriver[] = [];
  const driverAs = (db: ThrowawayPostgresDatabase | undefined, role: string, max = 10): PostgresDriver => {
    if (db === undefined) throw new Error('the test database is not created yet');
    const d = new PostgresDriver(asUser(db.url, role), { maxConnections: max });
    drivers.push(d);
    return d;
  };

  beforeAll(async () => {
    ownerDb = await createThrowawayPostgresDatabase(baseUrl);
    plainDb = await createThrowawayPostgresDatabase(baseUrl);
    await asAdmin(baseUrl, `CREATE ROLE ${ownerRole} LOGIN CREATEROLE; CREATE ROLE ${plainRole} LOGIN`);
    await asAdmin(baseUrl, `ALTER DATABASE ${ownerDb.name} OWNER TO ${ownerRole}`);
    await asAdmin(baseUrl, `ALTER DATABASE ${plainDb.name} OWNER TO ${plainRole}`);
  });

  afterAll(async () => {
    for (const d of drivers) await d.close();
    await ownerDb?.drop();
    await plainDb?.drop();
    await asAdmin(baseUrl, `DROP ROLE IF EXISTS ${ownerRole}; DROP ROLE IF EXISTS ${plainRole}`);
  });

  it('migrates as a database owner with CREATEROLE, which then sees every row and its scopes only their own', async () => {
    const d = driverAs(ownerDb, ownerRole);
    await migrate(d);
    const who = await d.query<{ superuser: boolean; member: boolean }>(
      `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              pg_has_role(current_user, 'kitepilot_app', 'MEMBER') AS member`,
    );
    expect(who.rows).toEqual([{ superuser: false, member: true }]);
    await d.exec(`INSERT INTO accounts (id, name) VALUES ('acc_A', 'a'), ('acc_B', 'b');
      INSERT INTO positions (account_id, instrument_id, product, net_qty, cost_basis_paise, realised_pnl_paise,
        updated_at)
      VALUES ('acc_A', 'INFY.NSE', 'MIS', 1, 100, 0, now()), ('acc_B', 'INFY.NSE', 'MIS', 2, 200, 0, now())`);
    const unscoped = await d.query<{ account_id: string }>('SELECT account_id FROM positions ORDER BY 1');
    expect(unscoped.rows.map((r) => r.account_id)).toEqual(['acc_A', 'acc_B']);
    const scoped = await withAccountScope(d, parseAccountId('acc_B'), async (tx) => ({
      positions: (await tx.query<{ net_qty: number }>('SELECT net_qty FROM positions')).rows,
      deleted: (await tx.query(`DELETE FROM positions WHERE account_id = 'acc_A'`)).affectedRows,
    }));
    expect(scoped).toEqual({ positions: [{ net_qty: 2 }], deleted: 0 });
  });

  it('leaves no role or account on a pooled connection after the scope', async () => {
    const d = driverAs(ownerDb, ownerRole, 1);
    const inside = await withAccountScope(d, parseAccountId('acc_A'), async (tx) => {
      const r = await tx.query<{ pid: number; role: string }>(
        'SELECT pg_backend_pid() AS pid, current_user AS role',
      );
      return r.rows[0];
    });
    const after = await d.query<{ pid: number; role: string; account: string | null; rows: number }>(
      `SELECT pg_backend_pid() AS pid, current_user AS role, current_setting($1, true) AS account,
         (SELECT count(*)::int FROM positions) AS rows`,
      [ACCOUNT_SCOPE_SETTING],
    );
    expect(inside).toMatchObject({ role: 'kitepilot_app' });
    expect(after.rows[0]).toEqual({ pid: inside?.pid, role: ownerRole, account: '', rows: 2 });
  });

  it('stops migration 0009 with the GRANT to run when the role may not join kitepilot_app', async () => {
    const d = driverAs(plainDb, plainRole);
    const error = await migrate(d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({
      code: 'MIGRATION_FAILED',
      file: '0009_row_level_security.sql',
      message: expect.stringContaining(`role ${plainRole} cannot be made a member of kitepilot_app`),
    });
  });

  it('refuses entering a scope, naming the GRANT, for a role that is not a member of kitepilot_app', async () => {
    // The previous test left this database migrated up to 0008: the role exists, the membership does not.
    const d = driverAs(plainDb, plainRole);
    const error = await withAccountScope(d, parseAccountId('acc_A'), async () => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountScopeError);
    expect(error).toMatchObject({
      message: expect.stringContaining('may not SET ROLE kitepilot_app (run GRANT kitepilot_app TO'),
    });
  });
});
