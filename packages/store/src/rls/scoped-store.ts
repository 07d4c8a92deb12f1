import { parseAccountId, type AccountId } from '@kitepilot/core';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { createStore, type Store } from '../store.ts';
import { withAccountScope } from './account-scope.ts';
import { ScopedAuditRepository } from './scoped-audit-repository.ts';
import { ScopedTransactionDriver } from './scoped-transaction-driver.ts';

/**
 * Runs `fn` with a `SqlDriver` whose every statement runs in one transaction scoped to `accountId` (see
 * `withAccountScope`): build any repository over it. COMMIT when `fn` resolves, ROLLBACK when it throws; the
 * driver refuses work once `fn` has settled.
 */
export async function withScopedDriver<T>(
  driver: SqlDriver,
  accountId: AccountId | string,
  fn: (scoped: SqlDriver) => Promise<T>,
): Promise<T> {
  return withAccountScope(driver, accountId, async (tx) => {
    const scoped = new ScopedTransactionDriver(tx, driver.kind);
    try {
      return await fn(scoped);
    } finally {
      await scoped.close();
    }
  });
}

/**
 * Runs `fn` with a `Store` whose reads and writes happen in one transaction scoped to `accountId`: row-level
 * security hides and protects every other account's rows whatever the repositories' queries say. Appending to and
 * verifying the audit chain are refused in a scope (see `ScopedAuditRepository`); `close()` ends the scoped view
 * only.
 */
export async function withScopedStore<T>(
  driver: SqlDriver,
  accountId: AccountId | string,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const id = parseAccountId(accountId);
  return withScopedDriver(driver, id, async (scoped) => {
    const store = createStore(scoped);
    return fn({ ...store, audit: new ScopedAuditRepository(store.audit, id) });
  });
}
