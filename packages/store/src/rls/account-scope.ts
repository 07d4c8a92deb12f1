import { parseAccountId, type AccountId } from '@kitepilot/core';
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts';
import { StoreError } from '../errors.ts';
import { AccountScopeError } from './account-scope-error.ts';

/** The database role a scope runs as; migrations/0009_row_level_security.sql creates it and its policies. */
export const ACCOUNT_SCOPE_ROLE = 'kitepilot_app';

/** The setting the row-level security policies compare `account_id` with. */
export const ACCOUNT_SCOPE_SETTING = 'kitepilot.account_id';

// PostgreSQL's insufficient_privilege: SET ROLE by a session user that is not a member of the role.
const insufficientPrivilege = '42501';
// PostgreSQL's invalid_parameter_value: SET ROLE to a role that does not exist (migration 0009 not applied).
const invalidParameterValue = '22023';

/**
 * Runs `fn` in one transaction of `driver` that acts as `kitepilot_app` with `kitepilot.account_id` set to
 * `accountId`, so that row-level security lets it read and write only that account's rows (and the tables without
 * account_id). Both settings are transaction-local: they end with COMMIT or ROLLBACK and never leak to a pooled
 * connection's next user. COMMIT when `fn` resolves, ROLLBACK when it throws (and rethrows); a statement that
 * fails inside `fn` aborts the whole transaction, as in any transaction. Throws `InvalidIdError` for a malformed
 * account id before touching the database, and `AccountScopeError` when the connection's role may not become
 * `kitepilot_app`.
 */
export async function withAccountScope<T>(
  driver: SqlDriver,
  accountId: AccountId | string,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  const id = parseAccountId(accountId);
  return driver.transaction(async (tx) => {
    await enterAccountScope(tx, id);
    return fn(tx);
  });
}

/** Makes the current transaction of `tx` act as `kitepilot_app` for `accountId` until it ends. */
async function enterAccountScope(tx: SqlExecutor, accountId: AccountId): Promise<void> {
  try {
    // set_config('role', …, true) is SET LOCAL ROLE; both settings in one round trip.
    await tx.query("SELECT set_config('role', $1, true), set_config($2, $3, true)", [
      ACCOUNT_SCOPE_ROLE,
      ACCOUNT_SCOPE_SETTING,
      accountId,
    ]);
  } catch (error) {
    if (error instanceof StoreError && error.sqlState === insufficientPrivilege) {
      throw new AccountScopeError(
        accountId,
        `cannot enter the scope of account ${accountId}: the database role may not SET ROLE ` +
          `${ACCOUNT_SCOPE_ROLE} (run GRANT ${ACCOUNT_SCOPE_ROLE} TO <the store's role> as an administrator)`,
        { cause: error },
      );
    }
    if (error instanceof StoreError && error.sqlState === invalidParameterValue) {
      throw new AccountScopeError(
        accountId,
        `cannot enter the scope of account ${accountId}: the role ${ACCOUNT_SCOPE_ROLE} does not exist ` +
          `(migrate the store: migrations/0009_row_level_security.sql creates it)`,
        { cause: error },
      );
    }
    throw error;
  }
}
