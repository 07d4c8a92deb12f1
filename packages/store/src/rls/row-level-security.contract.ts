import {
  aFill,
  anIntent,
  anOrder,
  flatPosition,
  instrumentId,
  InvalidIdError,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseFillId,
  parseIntentId,
  parseRunId,
  parseStrategyId,
  parseVenueTradeId,
  type AccountId,
  type RunId,
} from '@kitepilot/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts';
import { StoreClosedError, StoreError } from '../errors.ts';
import { migrate } from '../migrate/migrate.ts';
import type { Store } from '../store.ts';
import { useMigratedStore } from '../testing/contract/migrated-store.ts';
import { resetSchema, type StoreTestBackend } from '../testing/store-test-backend.ts';
import { AccountScopeError } from './account-scope-error.ts';
import { ACCOUNT_SCOPE_ROLE, ACCOUNT_SCOPE_SETTING, withAccountScope } from './account-scope.ts';
import { withScopedDriver, withScopedStore } from './scoped-store.ts';

const accountA = parseAccountId('acc_A');
const accountB = parseAccountId('acc_B');
const runs: Readonly<Record<AccountId, RunId>> = {
  [accountA]: parseRunId('run_A'),
  [accountB]: parseRunId('run_B'),
};
const strategy = parseStrategyId('str_rls');
const t0 = Date.UTC(2026, 10, 20, 3, 45);
const reliance = instrumentId('RELIANCE', 'NSE');
const infy = instrumentId('INFY', 'NSE');

// PostgreSQL's insufficient_privilege: both a row refused by a policy's WITH CHECK and a missing table privilege.
const insufficientPrivilege = '42501';

function runOf(account: AccountId): RunId {
  const run = runs[account];
  if (run === undefined) throw new Error(`no run for ${account}`);
  return run;
}

/**
 * Writes, as the owner (no scope), one row per account in every trading table: account, run, intent, order, raw
 * order event, fill, two positions (A) or one (B), and audit records of A, B and the system (no account).
 */
async function seedTwoAccounts(store: Store): Promise<void> {
  for (const account of [accountA, accountB]) {
    const suffix = account.slice(4);
    await store.accounts.create({ id: account, name: `account ${account}`, createdAt: t0 });
    await store.runs.create(account, {
      id: runOf(account),
      environment: 'paper',
      strategyId: strategy,
      config: { account },
      startedAt: t0,
    });
    const intentId = parseIntentId(`int_${suffix}`);
    const clientOrderId = parseClientOrderId(`ord_${suffix}`);
    await store.intents.insert(
      account,
      anIntent({ id: intentId, accountId: account, runId: runOf(account) }),
    );
    await store.orders.save(
      account,
      anOrder({ id: intentId, accountId: account, runId: runOf(account), clientOrderId }),
    );
    await store.orderEvents.append(account, {
      clientOrderId,
      venueOrderId: null,
      source: 'rest',
      venueStatus: 'OPEN',
      payload: { account },
      receivedAt: t0,
    });
    await store.fills.insert(
      account,
      aFill({
        id: parseFillId(`fil_${suffix}`),
        accountId: account,
        clientOrderId,
        venueTradeId: parseVenueTradeId(`trade${suffix}`),
      }),
    );
    await store.positions.save(account, {
      ...flatPosition(account, reliance, 'MIS', t0),
      netQty: 1,
      costBasisPaise: paise(157370),
    });
  }
  await store.positions.save(accountA, {
    ...flatPosition(accountA, infy, 'CNC', t0),
    netQty: 5,
    costBasisPaise: paise(750000),
  });
  for (const accountId of [accountA, accountB, null]) {
    await store.audit.append({ accountId, ts: t0, kind: 'test.seeded', actor: 'test', payload: {} });
  }
}

/** Returns the tables of the store's schema that have an account_id column. */
async function tablesWithAccountId(sql: SqlExecutor): Promise<string[]> {
  const result = await sql.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'account_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`,
  );
  return result.rows.map((r) => r.table_name);
}

async function count(sql: SqlExecutor, from: string): Promise<number> {
  const result = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`);
  return result.rows[0]?.n ?? -1;
}

async function sqlStateOf(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) throw new Error('expected the statement to fail, but it succeeded');
  if (!(error instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(error)}`);
  return error.sqlState;
}

/** Runs the row-level security contract: policies on every account table, the scope API and the scoped store. */
export function rowLevelSecurityContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);
  const owner = (): SqlDriver => backend.driver();

  beforeEach(async () => {
    await seedTwoAccounts(store());
  });

  describe(`row-level security policies (${backend.kind})`, () => {
    it('enables RLS with an account policy for kitepilot_app on every table that has an account_id column', async () => {
      const tables = await tablesWithAccountId(owner());
      // Guards the query itself: an empty or short list would make the loop below prove nothing.
      expect(tables).toEqual(
        expect.arrayContaining([
          'audit_events',
          'backtest_results',
          'broker_connections',
          'fills',
          'order_events',
          'order_intents',
          'orders',
          'positions',
          'risk_decisions',
          'risk_profiles',
          'runs',
          'signals',
          'users',
          'walk_forward_studies',
          'walk_forward_windows',
        ]),
      );
      const protectedTables = await owner().query<{ name: string; rls: boolean; policies: number }>(
        `SELECT c.relname AS name, c.relrowsecurity AS rls,
           (SELECT count(*)::int FROM pg_policies p
            WHERE p.schemaname = current_schema() AND p.tablename = c.relname AND $1 = ANY (p.roles)
              AND p.cmd = 'ALL' AND p.qual LIKE '%' || $2 || '%' AND p.with_check LIKE '%' || $2 || '%') AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relname = ANY ($3::text[])
         ORDER BY c.relname`,
        [ACCOUNT_SCOPE_ROLE, ACCOUNT_SCOPE_SETTING, [...tables, 'accounts']],
      );
      const unprotected = protectedTables.rows.filter((t) => !t.rls || t.policies !== 1).map((t) => t.name);
      expect(unprotected, 'tables with account_id but without RLS and one account policy').toEqual([]);
      expect(protectedTables.rows).toHaveLength(tables.length + 1);
    });

    it('shows a scope of A only A rows, even to queries without a WHERE', async () => {
      // The owner (no scope) sees both accounts: the data the scope must not see is there.
      expect(await count(owner(), 'orders')).toBe(2);
      expect(await count(owner(), 'positions')).toBe(3);
      const seen = await withAccountScope(owner(), accountA, async (tx) => ({
        accounts: (await tx.query<{ id: string }>('SELECT id FROM accounts')).rows.map((r) => r.id),
        orders: (await tx.query<{ account_id: string }>('SELECT account_id FROM orders')).rows,
        fills: (await tx.query<{ account_id: string }>('SELECT account_id FROM fills')).rows,
        positions: (
          await tx.query<{ instrument_id: string }>('SELECT instrument_id FROM positions ORDER BY 1')
        ).rows,
        intents: await count(tx, 'order_intents'),
        orderEvents: await count(tx, 'order_events'),
        runs: (await tx.query<{ id: string }>('SELECT id FROM runs')).rows.map((r) => r.id),
        audit: (await tx.query<{ account_id: string | null }>('SELECT account_id FROM audit_events')).rows,
        joined: await count(tx, 'orders o JOIN fills f USING (client_order_id)'),
      }));
      expect(seen).toEqual({
        accounts: [accountA],
        orders: [{ account_id: accountA }],
        fills: [{ account_id: accountA }],
        positions: [{ instrument_id: infy }, { instrument_id: reliance }],
        intents: 1,
        orderEvents: 1,
        runs: [runOf(accountA)],
        audit: [{ account_id: accountA }],
        joined: 1,
      });
    });

    it('shows a scope exactly its own rows of every table with an account_id column', async () => {
      for (const table of await tablesWithAccountId(owner())) {
        const own = await count(owner(), `${table} WHERE account_id = '${accountB}'`);
        const seen = await withAccountScope(owner(), accountB, async (tx) => ({
          all: await count(tx, table),
          foreign: await count(tx, `${table} WHERE account_id IS DISTINCT FROM '${accountB}'`),
        }));
        expect({ table, ...seen }).toEqual({ table, all: own, foreign: 0 });
      }
    });

    it('refuses to insert a row of B in the scope of A, and writes nothing', async () => {
      const state = await sqlStateOf(
        withAccountScope(owner(), accountA, (tx) =>
          tx.query(
            `INSERT INTO positions (account_id, instrument_id, product, net_qty, cost_basis_paise,
               realised_pnl_paise, updated_at) VALUES ($1, $2, 'NRML', 1, 100, 0, now())`,
            [accountB, reliance],
          ),
        ),
      );
      expect(state).toBe(insufficientPrivilege);
      expect(await count(owner(), `positions WHERE account_id = '${accountB}'`)).toBe(1);
      // The same insert for A's own account passes, so the refusal above is the policy's doing.
      await withAccountScope(owner(), accountA, (tx) =>
        tx.query(
          `INSERT INTO positions (account_id, instrument_id, product, net_qty, cost_basis_paise,
             realised_pnl_paise, updated_at) VALUES ($1, $2, 'NRML', 1, 100, 0, now())`,
          [accountA, reliance],
        ),
      );
      expect(await count(owner(), `positions WHERE account_id = '${accountA}'`)).toBe(3);
    });

    it('updates and deletes none of B rows from the scope of A', async () => {
      const affected = await withAccountScope(owner(), accountA, async (tx) => ({
        updateB: (await tx.query(`UPDATE positions SET net_qty = 99 WHERE account_id = $1`, [accountB]))
          .affectedRows,
        updateAll: (await tx.query('UPDATE orders SET status_message = $1', ['touched'])).affectedRows,
        deleteB: (await tx.query('DELETE FROM order_events WHERE account_id = $1', [accountB])).affectedRows,
        deleteAll: (await tx.query('DELETE FROM order_events')).affectedRows,
      }));
      expect(affected).toEqual({ updateB: 0, updateAll: 1, deleteB: 0, deleteAll: 1 });
      const b = await owner().query<{ net_qty: number; status_message: string | null; events: number }>(
        `SELECT p.net_qty, o.status_message, (SELECT count(*)::int FROM order_events e WHERE e.account_id = $1)
           AS events
         FROM positions p JOIN orders o ON o.account_id = p.account_id WHERE p.account_id = $1`,
        [accountB],
      );
      expect(b.rows).toEqual([{ net_qty: 1, status_message: null, events: 1 }]);
      expect(await count(owner(), `orders WHERE status_message = 'touched'`)).toBe(1);
    });

    it('refuses moving a row of A to B from the scope of A', async () => {
      const state = await sqlStateOf(
        withAccountScope(owner(), accountA, (tx) =>
          tx.query('UPDATE positions SET account_id = $1 WHERE product = $2', [accountB, 'CNC']),
        ),
      );
      expect(state).toBe(insufficientPrivilege);
      expect(await count(owner(), `positions WHERE account_id = '${accountB}'`)).toBe(1);
    });

    it('refuses an upsert that collides with a row of B instead of updating it', async () => {
      // A copy of A's order under B's order id: the insert itself is A's, the conflicting row is B's.
      const error = await withAccountScope(owner(), accountA, (tx) =>
        tx.query(
          `INSERT INTO orders
           SELECT (jsonb_populate_record(o, jsonb_build_object('client_order_id', 'ord_B'))).*
           FROM orders o WHERE o.account_id = $1
           ON CONFLICT (client_order_id) DO UPDATE SET status_message = 'overwritten'`,
          [accountA],
        ),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({
        sqlState: insufficientPrivilege,
        message: expect.stringContaining('row-level security policy'),
      });
      expect(await count(owner(), `orders WHERE status_message = 'overwritten'`)).toBe(0);
    });

    it('shows nothing and accepts no write when the role is set but no account', async () => {
      const seen = await owner().transaction(async (tx) => {
        await tx.exec(`SET LOCAL ROLE ${ACCOUNT_SCOPE_ROLE}`);
        const counts: Record<string, number> = {};
        for (const table of [...(await tablesWithAccountId(tx)), 'accounts']) {
          counts[table] = await count(tx, table);
        }
        return counts;
      });
      expect(Object.keys(seen).length).toBeGreaterThanOrEqual(16);
      expect(Object.values(seen).every((n) => n === 0)).toBe(true);
      const state = await sqlStateOf(
        owner().transaction(async (tx) => {
          await tx.exec(`SET LOCAL ROLE ${ACCOUNT_SCOPE_ROLE}`);
          await tx.query(`INSERT INTO accounts (id, name) VALUES ('acc_C', 'c')`);
        }),
      );
      expect(state).toBe(insufficientPrivilege);
    });

    it('keeps plain grants on tables without account_id and refuses history and audit rewrites', async () => {
      await withAccountScope(owner(), accountA, async (tx) => {
        await tx.query(
          `INSERT INTO watchlist (namespace, instrument_id, mode, added_at) VALUES ('real', $1, 'full', now())`,
          [reliance],
        );
        expect(await count(tx, 'watchlist')).toBe(1);
        expect(await count(tx, 'instruments')).toBe(0);
        expect(await count(tx, 'schema_migrations')).toBeGreaterThanOrEqual(7);
      });
      expect(await count(owner(), 'watchlist')).toBe(1);
      expect(
        await sqlStateOf(
          withAccountScope(owner(), accountA, (tx) => tx.query('DELETE FROM schema_migrations')),
        ),
      ).toBe(insufficientPrivilege);
      expect(
        await sqlStateOf(
          withAccountScope(owner(), accountA, (tx) => tx.query(`UPDATE audit_events SET actor = 'x'`)),
        ),
      ).toBe(insufficientPrivilege);
    });
  });

  describe(`withAccountScope (${backend.kind})`, () => {
    it('sets role and account for its own transaction only', async () => {
      const inside = await withAccountScope(owner(), accountA, async (tx) => {
        const r = await tx.query<{ role: string; account: string }>(
          `SELECT current_user AS role, current_setting($1, true) AS account`,
          [ACCOUNT_SCOPE_SETTING],
        );
        return r.rows[0];
      });
      expect(inside).toEqual({ role: ACCOUNT_SCOPE_ROLE, account: accountA });
      const after = await owner().query<{ role: string; account: string | null }>(
        `SELECT current_user AS role, current_setting($1, true) AS account`,
        [ACCOUNT_SCOPE_SETTING],
      );
      expect(after.rows[0]?.role).not.toBe(ACCOUNT_SCOPE_ROLE);
      // Unset in a fresh session, '' in one that has used the setting: both match no account.
      expect(after.rows[0]?.account ?? '').toBe('');
      expect(await count(owner(), 'orders')).toBe(2);
    });

    it('rolls back its writes and leaves the scope when the body throws', async () => {
      const failure = new Error('handler failed');
      await expect(
        withAccountScope(owner(), accountA, async (tx) => {
          await tx.query('DELETE FROM positions');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await count(owner(), 'positions')).toBe(3);
      const role = await owner().query<{ role: string }>('SELECT current_user AS role');
      expect(role.rows[0]?.role).not.toBe(ACCOUNT_SCOPE_ROLE);
    });

    it('refuses a malformed account id before running anything', async () => {
      let ran = false;
      const attempt = withAccountScope(owner(), "acc_A' OR true --", async () => {
        ran = true;
      });
      await expect(attempt).rejects.toBeInstanceOf(InvalidIdError);
      await expect(withAccountScope(owner(), '', async () => undefined)).rejects.toThrow(/account id/);
      expect(ran).toBe(false);
    });

    it('sees nothing of an account that does not exist', async () => {
      const seen = await withAccountScope(owner(), parseAccountId('acc_nobody'), async (tx) => ({
        orders: await count(tx, 'orders'),
        accounts: await count(tx, 'accounts'),
      }));
      expect(seen).toEqual({ orders: 0, accounts: 0 });
    });
  });

  describe(`withScopedStore (${backend.kind})`, () => {
    it('returns only the scope account rows through the repositories, whatever account they are asked for', async () => {
      const seen = await withScopedStore(owner(), accountA, async (s) => ({
        accounts: (await s.accounts.list()).map((a) => a.id),
        ordersOfB: await s.orders.listNonTerminal(accountB),
        ordersOfA: (await s.orders.listNonTerminal(accountA)).map((o) => o.clientOrderId),
        positionsOfB: await s.positions.list(accountB),
        positionsOfA: (await s.positions.list(accountA)).length,
        fillsOfB: await s.fills.listBetween(accountB, 0, t0 * 2),
        runOfB: await s.runs.get(accountB, runOf(accountB)),
        auditOfB: await s.audit.readByAccount(accountB, 0, 10),
        audit: (await s.audit.read(0, 10)).map((e) => e.accountId),
      }));
      expect(seen).toEqual({
        accounts: [accountA],
        ordersOfB: [],
        ordersOfA: ['ord_A'],
        positionsOfB: [],
        positionsOfA: 2,
        fillsOfB: [],
        runOfB: null,
        auditOfB: [],
        audit: [accountA],
      });
    });

    it('commits its writes; a refused write undoes only itself and the scope goes on', async () => {
      const outcome = await withScopedStore(owner(), accountA, async (s) => {
        await s.positions.save(accountA, {
          ...flatPosition(accountA, infy, 'MIS', t0),
          netQty: 2,
          costBasisPaise: paise(300000),
        });
        const refused = await s.positions
          .save(accountB, { ...flatPosition(accountB, infy, 'MIS', t0), netQty: 7 })
          .then(
            () => null,
            (e: unknown) => e,
          );
        return { refused, after: (await s.positions.list(accountA)).length };
      });
      expect(outcome.refused).toMatchObject({ sqlState: insufficientPrivilege });
      expect(outcome.after).toBe(3);
      expect(await count(owner(), `positions WHERE account_id = '${accountA}'`)).toBe(3);
      expect(await count(owner(), `positions WHERE account_id = '${accountB}'`)).toBe(1);
    });

    it('rolls back a repository transaction that fails and keeps what came before', async () => {
      await withScopedDriver(owner(), accountA, async (scoped) => {
        await scoped.query(`UPDATE accounts SET name = 'renamed'`);
        const failure = new Error('inner failed');
        await expect(
          scoped.transaction(async (tx) => {
            await tx.query('DELETE FROM positions');
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await count(scoped, 'positions')).toBe(2);
        await scoped.transaction((tx) => tx.query(`DELETE FROM positions WHERE product = 'CNC'`));
      });
      const a = await owner().query<{ name: string }>('SELECT name FROM accounts WHERE id = $1', [accountA]);
      expect(a.rows[0]?.name).toBe('renamed');
      expect(await count(owner(), `accounts WHERE name = 'renamed'`)).toBe(1);
      expect(await count(owner(), 'positions')).toBe(2);
    });

    it('refuses audit appends and verification inside a scope, and any use after the scope ended', async () => {
      let leaked: SqlDriver | undefined;
      await withScopedStore(owner(), accountA, async (s) => {
        leaked = s.driver;
        await expect(
          s.audit.append({ accountId: accountA, ts: t0, kind: 'x', actor: 'test', payload: {} }),
        ).rejects.toBeInstanceOf(AccountScopeError);
        await expect(s.audit.verify()).rejects.toThrow(
          /cannot verify the audit chain inside the scope of account acc_A/,
        );
      });
      await expect(leaked?.query('SELECT 1')).rejects.toBeInstanceOf(StoreClosedError);
      // Outside the scope the chain is whole.
      expect(await store().audit.verify()).toEqual({ ok: true, count: 3, lastHash: expect.any(String) });
    });
  });

  describe(`migration 0009 (${backend.kind})`, () => {
    it('applies from scratch when the role already exists, and a second run applies nothing', async () => {
      const d = owner();
      await resetSchema(d);
      const first = await migrate(d);
      expect(first.applied).toContain(9);
      expect(await migrate(d)).toEqual({ applied: [], version: first.version });
      const rls = await d.query<{ relrowsecurity: boolean }>(
        `SELECT relrowsecurity FROM pg_class WHERE oid = 'orders'::regclass`,
      );
      expect(rls.rows).toEqual([{ relrowsecurity: true }]);
    });
  });
}
