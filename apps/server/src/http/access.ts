// The access contract every route declares. A route states who may call it in its options:
//   app.get('/api/orders', { config: { access: 'readonly', account: 'query' }, schema: … }, handler)
// The auth guard (apps/server/src/auth) refuses a route that declares nothing (default deny), answers 401 without a
// valid session or token, and 403 when the caller's role is below `access`. With `account`, the guard resolves the
// account the request acts on (the `account` field of the query or body; when absent, the caller's default account),
// refuses an account the caller may not use, and writes the resolved id back into that field before the handler runs.
import type { AccountId } from '@kitepilot/core';

/** Who may call a route: anyone, or a signed-in caller with at least this role. */
export type Access = 'public' | 'readonly' | 'operator' | 'owner';

/** A role of a user or an API token, lowest first. */
export type Role = 'readonly' | 'operator' | 'owner';

/** The roles in increasing order of power. */
export const ROLES: readonly Role[] = ['readonly', 'operator', 'owner'];

/** Where a route takes the account it acts on. */
export type AccountSource = 'query' | 'body';

/** The authenticated caller of a request. */
export interface Principal {
  readonly userId: string;
  /** How the caller authenticated. */
  readonly via: 'session' | 'token';
  /** The effective role (a token's role never exceeds its user's). */
  readonly role: Role;
  /** The accounts the caller may act on. */
  readonly accountIds: readonly AccountId[];
  /** The account used when a request names none. */
  readonly defaultAccountId: AccountId | null;
}

/** Returns whether `role` is at least `required`. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; a route without it is refused. */
    access?: Access;
    /** Where the route takes its account; the guard checks and fills it. */
    account?: AccountSource;
  }
  interface FastifyRequest {
    /** The authenticated caller, or null on a public route called anonymously. */
    principal: Principal | null;
  }
}

/** Returns who a request acts as in commands and audit records: the signed-in user, or `api` on a public route. */
export function requestActor(request: { readonly principal: Principal | null }): string {
  return request.principal?.userId ?? 'api';
}
