// The guard that implements the access contract (../http/access.ts) for every route of the app. onRequest (before
// the body is read): a route without `config.access` is refused; the caller is recognised by Bearer token or session
// cookie; 401 without valid credentials, 403 below the route's role or without the CSRF header on a cookie-signed
// unsafe request. preValidation (body parsed, not yet validated): the account the request acts on is resolved,
// checked and written back into the query or body.
import fastifyCookie from '@fastify/cookie';
import { InvalidIdError, parseAccountId, type AccountId } from '@kitepilot/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast, type Access, type AccountSource, type Principal } from '../http/access.ts';
import { AuthError } from './auth-error.ts';
import type { AuthService } from './auth-service.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { csrfTokenOf, hashesEqual } from './secret-tokens.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './session-cookie.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The session cookie's secret when the caller signed in by cookie (for logout and the CSRF token). */
    sessionSecret: string | null;
  }
}

/** A registered route and what it declared. */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access | undefined;
  readonly account: AccountSource | undefined;
}

const declared = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Returns every route registered on `app` (through the guard's onRoute hook) with its declared access. */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return declared.get(app) ?? [];
}

/** What registerAuth takes. */
export interface AuthDeps {
  readonly service: AuthService;
  /** The account the setup creates when none exists (the configured trading account). */
  readonly defaultAccountId: AccountId;
}

function refuse(code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'VALIDATION_FAILED', message: string): AuthError {
  return new AuthError(code, message);
}

function csrfMatches(request: FastifyRequest, secret: string): boolean {
  const header = request.headers[CSRF_HEADER];
  return typeof header === 'string' && hashesEqual(header, csrfTokenOf(secret));
}

async function recognise(app: FastifyInstance, service: AuthService, request: FastifyRequest): Promise<void> {
  request.principal = null;
  request.sessionSecret = null;
  // An unknown URL stays a 404; it has no route and no access to declare.
  if (request.is404) return;
  const access = request.routeOptions.config.access;
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  if (access === undefined) throw refuse('FORBIDDEN', `route ${route} declares no access; it is refused`);
  const authorization = request.headers.authorization;
  const cookie = app.parseCookie(request.headers.cookie ?? '')[SESSION_COOKIE];
  let found;
  try {
    found = await service.authenticate(authorization, cookie);
  } catch (error) {
    // Stale or malformed credentials on a public route (login, health) are ignored rather than refused.
    if (error instanceof AuthError && access === 'public') return;
    throw error;
  }
  const unsafe = UNSAFE_METHODS.has(request.method);
  if (
    found !== null &&
    found.sessionSecret !== null &&
    unsafe &&
    !csrfMatches(request, found.sessionSecret)
  ) {
    if (access === 'public') return;
    throw refuse(
      'FORBIDDEN',
      `${route} signed by the session cookie needs the ${CSRF_HEADER} header of the session`,
    );
  }
  if (found !== null) {
    request.principal = found.principal;
    request.sessionSecret = found.sessionSecret;
  }
  if (access === 'public') return;
  if (found === null) throw refuse('UNAUTHENTICATED', `${route} needs a session or an API token`);
  if (!roleAtLeast(found.principal.role, access)) {
    throw refuse('FORBIDDEN', `${route} needs the ${access} role; the caller has ${found.principal.role}`);
  }
}

/** Returns the account a request acts on: the one it names (checked) or the caller's default. */
export function resolveAccount(principal: Principal, requested: unknown): AccountId {
  if (requested === undefined || requested === null || requested === '') {
    if (principal.defaultAccountId === null) {
      throw refuse('FORBIDDEN', 'the caller has no account to act on; ask an owner to grant one');
    }
    return principal.defaultAccountId;
  }
  if (typeof requested !== 'string') throw refuse('VALIDATION_FAILED', 'account must be a string acc_…');
  let id: AccountId;
  try {
    id = parseAccountId(requested);
  } catch (error) {
    if (error instanceof InvalidIdError) throw refuse('VALIDATION_FAILED', `account ${error.message}`);
    throw error;
  }
  if (!principal.accountIds.includes(id)) {
    throw refuse('FORBIDDEN', `account ${id} is not one the caller may act on`);
  }
  return id;
}

function fillAccount(request: FastifyRequest): void {
  const source = request.routeOptions.config.account;
  const principal = request.principal;
  if (source === undefined || principal === null) return;
  if (source === 'query') {
    const query = request.query as Record<string, unknown>;
    query['account'] = resolveAccount(principal, query['account']);
    return;
  }
  const body = request.body;
  if (body === undefined || body === null) {
    request.body = { account: resolveAccount(principal, undefined) };
  } else if (typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    record['account'] = resolveAccount(principal, record['account']);
  } else {
    throw refuse('VALIDATION_FAILED', 'the body must be a JSON object with an optional account');
  }
}

/** Sends an AuthError as the API's error body (with Retry-After on 429). */
export function replyAuthError(reply: FastifyReply, error: AuthError): FastifyReply {
  if (error.retryAfterSeconds !== null) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .status(error.statusCode)
    .send({ error: { code: error.code, message: error.message, details: error.details } });
}

/**
 * Installs the guard on `app` (the cookie parser, `request.principal`, the hooks above) and the `/api/auth`,
 * `/api/users` and `/api/tokens` routes. Called by buildApp before any other route is registered.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  // hook: false — the guard parses the cookie itself, so it does not depend on the order plugins load in.
  void app.register(fastifyCookie, { hook: false });
  const routes: DeclaredRoute[] = [];
  declared.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url, access: route.config?.access, account: route.config?.account });
    }
    if (route.config?.access === undefined) {
      app.log.warn(
        { url: route.url, method: route.method },
        'route declares no access: every request is refused',
      );
    }
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionSecret', null);
  app.addHook('onRequest', async (request) => recognise(app, deps.service, request));
  app.addHook('preValidation', async (request) => fillAccount(request));
  registerAuthRoutes(app, deps.service, { defaultAccountId: deps.defaultAccountId });
  registerAdminRoutes(app, deps.service);
}
