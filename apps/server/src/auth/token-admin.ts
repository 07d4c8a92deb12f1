// API tokens: a caller makes tokens for themselves, with a role at most their own and accounts among their own.
// The token is returned once; only its SHA-256 is kept.
import type { ApiTokenBody } from '@kitepilot/api-contract';
import {
  formatIst,
  InvalidIdError,
  parseAccountId,
  type AccountId,
  type ApiTokenRecord,
  type UserId,
  type UserRole,
} from '@kitepilot/core';
import { roleAtLeast, type Principal } from '../http/access.ts';
import { AuthError } from './auth-error.ts';
import type { AuthService } from './auth-service.ts';
import { newApiToken, newId } from './secret-tokens.ts';

const DAY_MS = 86_400_000;

const istOrNull = (ms: number | null): string | null => (ms === null ? null : formatIst(ms));

/** Returns the API form of a token (never the token). */
export function apiTokenBody(token: ApiTokenRecord): ApiTokenBody {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    accountIds: token.accountIds === null ? null : [...token.accountIds],
    prefix: token.prefix,
    createdAt: formatIst(token.createdAt),
    expiresAt: istOrNull(token.expiresAt),
    lastUsedAt: istOrNull(token.lastUsedAt),
    revokedAt: istOrNull(token.revokedAt),
  };
}

/** What creates a token. */
export interface CreateTokenInput {
  readonly name: string;
  readonly role: UserRole;
  readonly accountIds?: readonly string[] | undefined;
  readonly expiresInDays?: number | undefined;
}

/**
 * Creates an API token for the caller; throws FORBIDDEN for a role above the caller's or an account the caller
 * may not use. A token made with a token is limited to that token's accounts.
 */
export async function createApiToken(
  auth: AuthService,
  caller: Principal,
  input: CreateTokenInput,
  actor: string,
): Promise<{ readonly token: string; readonly record: ApiTokenRecord }> {
  if (!roleAtLeast(caller.role, input.role)) {
    throw new AuthError(
      'FORBIDDEN',
      `a token's role cannot exceed the caller's (${caller.role}); asked ${input.role}`,
    );
  }
  let accountIds: AccountId[] | null = null;
  if (input.accountIds !== undefined) {
    accountIds = [];
    for (const value of new Set(input.accountIds)) {
      let id: AccountId;
      try {
        id = parseAccountId(value);
      } catch (error) {
        if (error instanceof InvalidIdError)
          throw new AuthError('VALIDATION_FAILED', `account ${error.message}`);
        throw error;
      }
      if (!caller.accountIds.includes(id)) {
        throw new AuthError('FORBIDDEN', `account ${id} is not one the caller may act on`);
      }
      accountIds.push(id);
    }
  } else if (caller.via === 'token') {
    accountIds = [...caller.accountIds];
  }
  if (
    input.expiresInDays !== undefined &&
    !(Number.isInteger(input.expiresInDays) && input.expiresInDays >= 1)
  ) {
    throw new AuthError(
      'VALIDATION_FAILED',
      `expiresInDays ${input.expiresInDays} is not a whole number ≥ 1`,
    );
  }
  const now = auth.clock.now();
  const secret = newApiToken();
  const record: ApiTokenRecord = {
    id: newId('tok'),
    userId: caller.userId as UserId,
    name: input.name,
    role: input.role,
    accountIds,
    tokenHash: secret.tokenHash,
    prefix: secret.prefix,
    createdAt: now,
    expiresAt: input.expiresInDays === undefined ? null : now + input.expiresInDays * DAY_MS,
    lastUsedAt: null,
    revokedAt: null,
  };
  await auth.store.auth.createToken(record);
  await auth.audit('token_created', actor, {
    tokenId: record.id,
    userId: record.userId,
    name: record.name,
    role: record.role,
    accountIds: record.accountIds,
    prefix: record.prefix,
  });
  return { token: secret.token, record };
}

/** Revokes one of the caller's tokens; throws NOT_FOUND when they have no live token with that id. */
export async function revokeApiToken(
  auth: AuthService,
  userId: UserId,
  id: string,
  actor: string,
): Promise<void> {
  if (!(await auth.store.auth.revokeToken(userId, id, auth.clock.now()))) {
    throw new AuthError('NOT_FOUND', `no live API token ${id} of user ${userId}`);
  }
  await auth.audit('token_revoked', actor, { tokenId: id, userId });
}
