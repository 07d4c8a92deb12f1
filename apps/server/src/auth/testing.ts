// Test helpers: an AuthService over a store with a fixed test master key, and users with API tokens, so that route
// tests authenticate through the real guard (`headers: bearer(token)`).
import { parseAccountId, type AccountId, type Clock, type UserRecord, type UserRole } from '@kitepilot/core';
import { SystemClock } from '@kitepilot/runtime';
import type { Store } from '@kitepilot/store';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { CredentialCipher } from '../secrets/credential-cipher.ts';
import { AuthService, type AuthOptions } from './auth-service.ts';
import { principalOf } from './principal.ts';
import type { AuthDeps } from './register-auth.ts';
import { createApiToken } from './token-admin.ts';
import { createUser } from './user-admin.ts';

/** The password of every user the helpers create. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Returns an AuthService over `store` with a fixed all-zero test master key. */
export function testAuthService(
  store: Store,
  clock: Clock = new SystemClock(),
  options: Partial<AuthOptions> = {},
) {
  const cipher = new CredentialCipher(new Uint8Array(32));
  return new AuthService({ store, clock, cipher: () => cipher, options });
}

/** Returns the `auth` dependency of buildApp for a test over `store`. */
export function testAuthDeps(store: Store, clock?: Clock, defaultAccount = 'acc_default'): AuthDeps {
  return { service: testAuthService(store, clock), defaultAccountId: parseAccountId(defaultAccount) };
}

/** A user made for a test and an API token of theirs with the same role. */
export interface TestUser {
  readonly user: UserRecord;
  readonly token: string;
}

/** Creates accounts that do not exist yet. */
export async function ensureAccounts(store: Store, ids: readonly string[], at = 0): Promise<AccountId[]> {
  const out: AccountId[] = [];
  for (const value of ids) {
    const id = parseAccountId(value);
    if ((await store.accounts.get(id)) === null)
      await store.accounts.create({ id, name: value, createdAt: at });
    out.push(id);
  }
  return out;
}

/**
 * Creates a user of `role` granted `accounts` (created when missing) and an API token of theirs; the token has
 * `tokenAccounts` when given, else all of the user's accounts.
 */
export async function createTestUser(
  service: AuthService,
  role: UserRole,
  accounts: readonly string[] = ['acc_default'],
  options: { readonly email?: string; readonly tokenAccounts?: readonly string[] } = {},
): Promise<TestUser> {
  const accountIds = await ensureAccounts(service.store, accounts, service.clock.now());
  const email = options.email ?? `${role}-${(await service.store.auth.countUsers()) + 1}@example.in`;
  const user = await createUser(
    service,
    { email, password: TEST_PASSWORD, displayName: role, role, accountIds },
    'test',
  );
  const principal = await principalOf(service.store.accounts, user, null);
  const { token } = await createApiToken(
    service,
    principal,
    { name: `${role} test`, role, accountIds: options.tokenAccounts },
    'test',
  );
  return { user, token };
}

/** Returns the Authorization header of an API token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** Makes every `app.inject` of a test send `token` as its Bearer token (the guard checks it as for any caller). */
export function sendTokenWith(app: FastifyInstance, token: string): void {
  const inject = app.inject.bind(app);
  app.inject = ((options: InjectOptions) =>
    inject({ ...options, headers: { ...bearer(token), ...options.headers } })) as FastifyInstance['inject'];
}

/** Creates an owner without grants (acting on every account, the first by id by default) for a route test. */
export async function createTestOwner(store: Store): Promise<TestUser> {
  return createTestUser(testAuthService(store), 'owner', []);
}
