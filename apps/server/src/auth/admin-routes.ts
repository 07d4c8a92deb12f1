// `/api/users` (owner: list, create, change role, disable, grant and revoke accounts) and `/api/tokens` (any
// signed-in caller: their own tokens).
import {
  ApiTokenCreateBodySchema,
  ApiTokenCreatedSchema,
  ApiTokenParamsSchema,
  ApiTokensResponseSchema,
  UserAccountParamsSchema,
  UserCreateBodySchema,
  UserParamsSchema,
  UserPatchBodySchema,
  UserSchema,
  UsersResponseSchema,
  type ApiTokenCreateBody,
  type ApiTokenParams,
  type UserAccountParams,
  type UserCreateBody,
  type UserParams,
  type UserPatchBody,
  NoContentSchema,
} from '@kitepilot/api-contract';
import type { UserId } from '@kitepilot/core';
import type { FastifyInstance } from 'fastify';
import { callerOf } from './auth-routes.ts';
import type { AuthService } from './auth-service.ts';
import { apiTokenBody, createApiToken, revokeApiToken } from './token-admin.ts';
import { changeUser, changeUserAccount, createUser, userBody, userIdOf } from './user-admin.ts';

const errors = {
  400: { $ref: 'ErrorBody#' },
  403: { $ref: 'ErrorBody#' },
  404: { $ref: 'ErrorBody#' },
  409: { $ref: 'ErrorBody#' },
} as const;

const owner = { access: 'owner' } as const;

/** Registers `/api/users` and `/api/tokens`. */
export function registerAdminRoutes(app: FastifyInstance, service: AuthService): void {
  app.get('/api/users', { config: owner, schema: { response: { 200: UsersResponseSchema } } }, async () =>
    (await service.store.auth.listUsers()).map(userBody),
  );

  app.post<{ Body: UserCreateBody }>(
    '/api/users',
    { config: owner, schema: { body: UserCreateBodySchema, response: { 201: UserSchema, ...errors } } },
    async (request, reply) => {
      const user = await createUser(service, request.body, callerOf(request).userId);
      return reply.status(201).send(userBody(user));
    },
  );

  app.patch<{ Params: UserParams; Body: UserPatchBody }>(
    '/api/users/:id',
    {
      config: owner,
      schema: {
        params: UserParamsSchema,
        body: UserPatchBodySchema,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => {
      const id = userIdOf(request.params.id);
      return userBody(await changeUser(service, id, request.body, callerOf(request).userId));
    },
  );

  app.put<{ Params: UserAccountParams }>(
    '/api/users/:id/accounts/:accountId',
    { config: owner, schema: { params: UserAccountParamsSchema, response: { 200: UserSchema, ...errors } } },
    async (request) => {
      const { id, accountId } = request.params;
      return userBody(
        await changeUserAccount(service, userIdOf(id), accountId, true, callerOf(request).userId),
      );
    },
  );

  app.delete<{ Params: UserAccountParams }>(
    '/api/users/:id/accounts/:accountId',
    { config: owner, schema: { params: UserAccountParamsSchema, response: { 200: UserSchema, ...errors } } },
    async (request) => {
      const { id, accountId } = request.params;
      return userBody(
        await changeUserAccount(service, userIdOf(id), accountId, false, callerOf(request).userId),
      );
    },
  );

  app.get(
    '/api/tokens',
    { config: { access: 'readonly' }, schema: { response: { 200: ApiTokensResponseSchema } } },
    async (request) =>
      (await service.store.auth.listTokens(callerOf(request).userId as UserId)).map(apiTokenBody),
  );

  app.post<{ Body: ApiTokenCreateBody }>(
    '/api/tokens',
    {
      config: { access: 'readonly' },
      schema: { body: ApiTokenCreateBodySchema, response: { 201: ApiTokenCreatedSchema, ...errors } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { token, record } = await createApiToken(service, caller, request.body, caller.userId);
      return reply.status(201).send({ token, info: apiTokenBody(record) });
    },
  );

  app.delete<{ Params: ApiTokenParams }>(
    '/api/tokens/:id',
    {
      config: { access: 'readonly' },
      schema: { params: ApiTokenParamsSchema, response: { 204: NoContentSchema, ...errors } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      await revokeApiToken(service, caller.userId as UserId, request.params.id, caller.userId);
      return reply.status(204).send();
    },
  );
}
