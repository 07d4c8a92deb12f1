// `/api/auth/*`: setup of the first owner, sign-in and out, the current session, and TOTP enrolment.
import {
  LoginBodySchema,
  SessionResponseSchema,
  SetupBodySchema,
  TotpConfirmBodySchema,
  TotpDisableBodySchema,
  TotpEnrolResponseSchema,
  UserSchema,
  type LoginBody,
  type SessionResponse,
  type SetupBody,
  type TotpConfirmBody,
  type TotpDisableBody,
  NoContentSchema,
} from '@kitepilot/api-contract';
import type { AccountId, UserId, UserRecord } from '@kitepilot/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../http/access.ts';
import { AuthError } from './auth-error.ts';
import type { AuthService, ClientInfo } from './auth-service.ts';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie.ts';
import { csrfTokenOf } from './secret-tokens.ts';
import { confirmTotp, disableTotp, enrolTotp } from './totp-admin.ts';
import { setupFirstOwner, userBody } from './user-admin.ts';

const errors = {
  400: { $ref: 'ErrorBody#' },
  401: { $ref: 'ErrorBody#' },
  403: { $ref: 'ErrorBody#' },
  409: { $ref: 'ErrorBody#' },
  429: { $ref: 'ErrorBody#' },
} as const;

/** What the auth routes need besides the service. */
export interface AuthRouteOptions {
  /** The account the setup creates when none exists (the configured trading account). */
  readonly defaultAccountId: AccountId;
}

/** Returns the client address and user agent of a request. */
export function clientOf(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent : null };
}

function sessionBody(user: UserRecord, principal: Principal, sessionSecret: string | null): SessionResponse {
  return {
    user: userBody(user),
    via: principal.via,
    role: principal.role,
    accountIds: [...principal.accountIds],
    defaultAccountId: principal.defaultAccountId,
    csrfToken: sessionSecret === null ? null : csrfTokenOf(sessionSecret),
  };
}

/** Returns the signed-in caller of a route that is not public (the guard made sure of it). */
export function callerOf(request: FastifyRequest): Principal {
  if (request.principal === null)
    throw new AuthError('UNAUTHENTICATED', 'this route needs a signed-in caller');
  return request.principal;
}

function sessionCaller(request: FastifyRequest): UserId {
  const caller = callerOf(request);
  if (caller.via !== 'session') {
    throw new AuthError(
      'FORBIDDEN',
      'TOTP is managed from a signed-in browser session, not with an API token',
    );
  }
  return caller.userId as UserId;
}

/** Registers `/api/auth/*`. */
export function registerAuthRoutes(
  app: FastifyInstance,
  service: AuthService,
  options: AuthRouteOptions,
): void {
  app.post<{ Body: SetupBody }>(
    '/api/auth/setup',
    {
      config: { access: 'public' },
      schema: { body: SetupBodySchema, response: { 201: UserSchema, ...errors } },
    },
    async (request, reply) => {
      const { setupToken, email, password, displayName, accountName } = request.body;
      const user = await setupFirstOwner(
        service,
        { setupToken, email, password, displayName, ...(accountName === undefined ? {} : { accountName }) },
        options.defaultAccountId,
        request.ip,
      );
      return reply.status(201).send(userBody(user));
    },
  );

  app.post<{ Body: LoginBody }>(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: { body: LoginBodySchema, response: { 200: SessionResponseSchema, ...errors } },
    },
    async (request, reply) => {
      const signedIn = await service.login(request.body, clientOf(request));
      const maxAge = Math.floor(service.options.sessionAbsoluteMs / 1000);
      reply.setCookie(SESSION_COOKIE, signedIn.sessionSecret, sessionCookieOptions(request, maxAge));
      return sessionBody(signedIn.user, signedIn.principal, signedIn.sessionSecret);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'readonly' }, schema: { response: { 204: NoContentSchema } } },
    async (request, reply) => {
      const caller = callerOf(request);
      if (request.sessionSecret !== null) await service.logout(request.sessionSecret, caller.userId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/session',
    { config: { access: 'readonly' }, schema: { response: { 200: SessionResponseSchema } } },
    async (request) => {
      const caller = callerOf(request);
      const user = await service.store.auth.getUser(caller.userId as UserId);
      if (user === null) throw new AuthError('UNAUTHENTICATED', 'the user of this session is gone');
      return sessionBody(user, caller, request.sessionSecret);
    },
  );

  app.post(
    '/api/auth/totp/enrol',
    { config: { access: 'readonly' }, schema: { response: { 200: TotpEnrolResponseSchema, ...errors } } },
    async (request) => ({ uri: await enrolTotp(service, sessionCaller(request)) }),
  );

  app.post<{ Body: TotpConfirmBody }>(
    '/api/auth/totp/confirm',
    {
      config: { access: 'readonly' },
      schema: { body: TotpConfirmBodySchema, response: { 204: NoContentSchema, ...errors } },
    },
    async (request, reply) => {
      await confirmTotp(service, sessionCaller(request), request.body.code);
      return reply.status(204).send();
    },
  );

  app.delete<{ Body: TotpDisableBody }>(
    '/api/auth/totp',
    {
      config: { access: 'readonly' },
      schema: { body: TotpDisableBodySchema, response: { 204: NoContentSchema, ...errors } },
    },
    async (request, reply) => {
      await disableTotp(service, sessionCaller(request), request.body.password);
      return reply.status(204).send();
    },
  );
}
