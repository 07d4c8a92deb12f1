// The account a request acts on: the `account` the caller gave (the auth guard fills in the caller's default
// account), else the configured trading account. A malformed id is the client's error (400), an unknown one 404.
import { InvalidIdError, parseAccountId, type AccountId } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import type { Config } from '../../config/config-schema.ts';

/** An `account` value that is not an account id. */
export class AccountQueryError extends Error {
  override name = 'AccountQueryError';
}

/** A well-formed account id that is not stored. */
export class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

/** Returns the stored account `value` names (default `[trading] account`); throws AccountQueryError or UnknownAccountError. */
export async function resolveAccount(
  store: Pick<Store, 'accounts'>,
  config: Config,
  value: string | undefined,
): Promise<AccountId> {
  let id: AccountId;
  try {
    id = parseAccountId(value ?? config.trading.account);
  } catch (error) {
    if (error instanceof InvalidIdError) throw new AccountQueryError(error.message, { cause: error });
    throw error;
  }
  if ((await store.accounts.get(id)) === null) throw new UnknownAccountError(`account ${id} does not exist`);
  return id;
}
