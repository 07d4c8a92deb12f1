import type { AccountId, ApiTokenRecord, AccountRepository, UserRecord } from '@kitepilot/core';
import { roleAtLeast, type Principal, type Role } from '../http/access.ts';

/** Returns the lower of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? b : a;
}

/**
 * Returns the accounts a user may act on, default first: the granted accounts in grant order; an owner may also act
 * on every other account (by id), so an owner without grants defaults to the first account by id.
 */
export async function userAccounts(accounts: AccountRepository, user: UserRecord): Promise<AccountId[]> {
  if (user.role !== 'owner') return [...user.accountIds];
  const granted = new Set(user.accountIds);
  const others = (await accounts.list()).map((a) => a.id).filter((id) => !granted.has(id));
  return [...user.accountIds, ...others];
}

/** Returns the principal of a user signed in by session, or of one of their API tokens. */
export async function principalOf(
  accounts: AccountRepository,
  user: UserRecord,
  token: ApiTokenRecord | null,
): Promise<Principal> {
  const all = await userAccounts(accounts, user);
  // A token never exceeds its user: the user's role or grants may have shrunk since the token was made.
  const subset = token?.accountIds ?? null;
  const accountIds = subset === null ? all : all.filter((id) => subset.includes(id));
  return {
    userId: user.id,
    via: token === null ? 'session' : 'token',
    role: token === null ? user.role : lowerRole(token.role, user.role),
    accountIds,
    defaultAccountId: accountIds[0] ?? null,
  };
}
