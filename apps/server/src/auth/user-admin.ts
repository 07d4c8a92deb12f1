// Users: created by the setup token (the first owner), by an owner over the API, or by `kitepilot users create`;
// changed and granted accounts by an owner. Every change is audited (`auth.*`), never with a password.
import type { UserBody } from '@kitepilot/api-contract';
import {
  formatIst,
  InvalidIdError,
  parseAccountId,
  parseUserId,
  type AccountId,
  type UserId,
  type UserRecord,
  type UserRole,
} from '@kitepilot/core';
import { StoreError } from '@kitepilot/store';
import { AuthError } from './auth-error.ts';
import type { AuthService } from './auth-service.ts';
import { checkPasswordPolicy, hashPassword, PasswordPolicyError } from './passwords.ts';
import { newId } from './secret-tokens.ts';

/** Returns the API form of a user. */
export function userBody(user: UserRecord): UserBody {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    accountIds: [...user.accountIds],
    totpEnabled: user.totpEnabled,
    disabledAt: user.disabledAt === null ? null : formatIst(user.disabledAt),
    lockedUntil: user.lockedUntil === null ? null : formatIst(user.lockedUntil),
    createdAt: formatIst(user.createdAt),
  };
}

/** What creates a user. */
export interface CreateUserInput {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly accountIds?: readonly string[] | undefined;
}

function accountIdOf(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    if (error instanceof InvalidIdError) throw new AuthError('VALIDATION_FAILED', `account ${error.message}`);
    throw error;
  }
}

/** Returns a user id parsed from a path, or throws NOT_FOUND for a malformed one. */
export function userIdOf(value: string): UserId {
  try {
    return parseUserId(value);
  } catch (error) {
    if (error instanceof InvalidIdError) throw new AuthError('NOT_FOUND', `no user ${value}`);
    throw error;
  }
}

/**
 * Creates a user. The first user must be an owner; a readonly or operator user gets the accounts given, or the
 * only account when the installation has exactly one. Throws CONFLICT for a taken email, VALIDATION_FAILED for a
 * short password or an unknown account.
 */
export async function createUser(
  auth: AuthService,
  input: CreateUserInput,
  actor: string,
): Promise<UserRecord> {
  try {
    checkPasswordPolicy(input.password);
  } catch (error) {
    if (error instanceof PasswordPolicyError) throw new AuthError('VALIDATION_FAILED', error.message);
    throw error;
  }
  const { store } = auth;
  if ((await store.auth.countUsers()) === 0 && input.role !== 'owner') {
    throw new AuthError('VALIDATION_FAILED', `the first user must be an owner, not ${input.role}`);
  }
  let accountIds = [...new Set((input.accountIds ?? []).map(accountIdOf))];
  for (const id of accountIds) {
    if ((await store.accounts.get(id)) === null) {
      throw new AuthError('VALIDATION_FAILED', `account ${id} does not exist`);
    }
  }
  if (accountIds.length === 0 && input.role !== 'owner') {
    const all = await store.accounts.list();
    if (all.length !== 1 || all[0] === undefined) {
      throw new AuthError(
        'VALIDATION_FAILED',
        `a ${input.role} user needs at least one account (the installation has ${all.length})`,
      );
    }
    accountIds = [all[0].id];
  }
  if ((await store.auth.findUserByEmail(input.email)) !== null) {
    throw new AuthError('CONFLICT', `a user with email ${input.email} already exists`);
  }
  let user: UserRecord;
  try {
    user = await store.auth.createUser({
      id: newId('usr') as UserId,
      email: input.email.trim(),
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: auth.clock.now(),
      accountIds,
    });
  } catch (error) {
    // Two creations racing on one email: the unique index decides.
    if (error instanceof StoreError && error.code === 'UNIQUE_VIOLATION') {
      throw new AuthError('CONFLICT', `a user with email ${input.email} already exists`, { cause: error });
    }
    throw error;
  }
  await auth.audit('user_created', actor, {
    userId: user.id,
    email: user.email,
    role: user.role,
    accountIds,
  });
  return user;
}

/** Creates the first owner with the setup token (burnt on success), and the first account when none exists. */
export async function setupFirstOwner(
  auth: AuthService,
  input: Omit<CreateUserInput, 'role' | 'accountIds'> & {
    readonly setupToken: string;
    readonly accountName?: string;
  },
  defaultAccountId: AccountId,
  ip: string,
): Promise<UserRecord> {
  auth.limitAttempt(ip);
  const giveBack = auth.burnSetupToken(input.setupToken);
  // The password is checked before anything is written, so that a refused one creates no account.
  try {
    checkPasswordPolicy(input.password);
  } catch (error) {
    giveBack();
    if (error instanceof PasswordPolicyError) throw new AuthError('VALIDATION_FAILED', error.message);
    throw error;
  }
  try {
    if ((await auth.store.auth.countUsers()) > 0) {
      throw new AuthError('CONFLICT', 'setup is done: a user exists already');
    }
    const accounts = await auth.store.accounts.list();
    let account = accounts[0]?.id ?? null;
    if (account === null) {
      const created = await auth.store.accounts.create({
        id: defaultAccountId,
        name: input.accountName ?? 'default',
        createdAt: auth.clock.now(),
      });
      account = created.id;
    }
    const user = await createUser(auth, { ...input, role: 'owner', accountIds: [account] }, 'setup');
    await auth.audit('setup', user.id, { userId: user.id, accountId: account });
    return user;
  } catch (error) {
    // A refused password or a taken email leaves the token usable; a finished setup never gives it back.
    if (error instanceof AuthError && error.code !== 'CONFLICT') giveBack();
    throw error;
  }
}

async function existingUser(auth: AuthService, id: UserId): Promise<UserRecord> {
  const user = await auth.store.auth.getUser(id);
  if (user === null) throw new AuthError('NOT_FOUND', `no user ${id}`);
  return user;
}

async function refuseLastOwner(auth: AuthService, user: UserRecord, change: string): Promise<void> {
  if (user.role !== 'owner' || user.disabledAt !== null) return;
  const owners = (await auth.store.auth.listUsers()).filter(
    (u) => u.role === 'owner' && u.disabledAt === null,
  );
  if (owners.length <= 1) {
    throw new AuthError('CONFLICT', `${user.email} is the last active owner: ${change} would leave no owner`);
  }
}

/** Changes a user's role and/or disables or re-enables them; disabling ends their sessions. */
export async function changeUser(
  auth: AuthService,
  id: UserId,
  change: { readonly role?: UserRole | undefined; readonly disabled?: boolean | undefined },
  actor: string,
): Promise<UserRecord> {
  const user = await existingUser(auth, id);
  const now = auth.clock.now();
  if (change.role !== undefined && change.role !== user.role) {
    if (change.role !== 'owner') await refuseLastOwner(auth, user, `making them ${change.role}`);
    await auth.store.auth.setRole(id, change.role);
  }
  if (change.disabled !== undefined && change.disabled !== (user.disabledAt !== null)) {
    if (change.disabled) await refuseLastOwner(auth, user, 'disabling them');
    await auth.store.auth.setDisabled(id, change.disabled ? now : null);
    if (change.disabled) await auth.store.auth.revokeUserSessions(id, now);
  }
  await auth.audit('user_changed', actor, {
    userId: id,
    role: change.role ?? null,
    disabled: change.disabled ?? null,
  });
  return existingUser(auth, id);
}

/** Grants (`grant`) or revokes an account of a user. */
export async function changeUserAccount(
  auth: AuthService,
  id: UserId,
  accountId: string,
  grant: boolean,
  actor: string,
): Promise<UserRecord> {
  await existingUser(auth, id);
  const account = accountIdOf(accountId);
  if ((await auth.store.accounts.get(account)) === null) {
    throw new AuthError('NOT_FOUND', `account ${account} does not exist`);
  }
  if (grant) await auth.store.auth.grantAccount(id, account, auth.clock.now());
  else if (!(await auth.store.auth.revokeAccount(id, account))) {
    throw new AuthError('NOT_FOUND', `user ${id} has no grant of ${account}`);
  }
  await auth.audit(grant ? 'account_granted' : 'account_revoked', actor, { userId: id, accountId: account });
  return existingUser(auth, id);
}
