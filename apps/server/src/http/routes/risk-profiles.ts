// `GET /api/risk-profiles` (readonly), `POST /api/risk-profiles`, `PUT /api/risk-profiles/:name`,
// `POST /api/risk-profiles/:name/activate` and `DELETE /api/risk-profiles/:name` (owner; not the active profile).
// The account comes from `?account=`. The active profile replaces the `[risk]` section when trading next starts
// (see stored-trading-settings.ts); a running risk engine keeps the limits it started with.
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  RiskProfileAccountQuerySchema,
  RiskProfileCreateBodySchema,
  RiskProfileParamsSchema,
  RiskProfileSchema,
  RiskProfilesPageSchema,
  RiskProfilesQuerySchema,
  RiskProfileUpdateBodySchema,
  type RiskProfileAccountQuery,
  type RiskProfileCreateBody,
  type RiskProfileParams,
  type RiskProfilesQuery,
  type RiskProfileUpdateBody,
  NoContentSchema,
} from '@kitepilot/api-contract';
import { SeededRandom, TimeRandomIdGenerator, type AccountId, type JsonValue } from '@kitepilot/core';
import { SqlRiskProfileRepository, StoreQueryError, type RiskProfile } from '@kitepilot/store';
import type { RouteContext } from '../route-context.ts';
import { resolveAccount } from './account-query.ts';
import { decodeCursor, pageLimit, pageOf } from './page-cursor.ts';
import { limitsFromBody, RiskProfileLimitsError, riskProfileRow } from './risk-profile-limits.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';
import { requestActor } from '../access.ts';

/** Registers the risk profile routes. */
export function registerRiskProfileRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const profiles = new SqlRiskProfileRepository(ctx.store.driver);
  const ids = new TimeRandomIdGenerator(ctx.clock, new SeededRandom(randomInt(2 ** 31)));
  const account = (value: string | undefined) => resolveAccount(ctx.store, ctx.config, value);
  const limits = (body: RiskProfileUpdateBody) => {
    try {
      return limitsFromBody(body);
    } catch (error) {
      if (error instanceof RiskProfileLimitsError)
        throw new RouteError(400, 'VALIDATION_FAILED', error.message);
      throw error;
    }
  };
  const audit = async (
    request: FastifyRequest,
    accountId: AccountId,
    kind: string,
    profile: RiskProfile | { readonly name: string },
  ) => {
    await ctx.store.audit.append({
      accountId,
      ts: ctx.clock.now(),
      kind,
      actor: requestActor(request),
      payload: JSON.parse(JSON.stringify(profile)) as JsonValue,
    });
  };
  const missing = (name: string, accountId: AccountId) =>
    new RouteError(
      404,
      'NOT_FOUND',
      `risk profile ${JSON.stringify(name)} does not exist for account ${accountId}`,
    );

  app.get<{ Querystring: RiskProfilesQuery }>(
    '/api/risk-profiles',
    {
      config: { access: 'readonly', account: 'query' },
      schema: {
        querystring: RiskProfilesQuerySchema,
        response: { 200: RiskProfilesPageSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const limit = pageLimit(request.query.limit);
        const after = decodeCursor(request.query.cursor, ['string']);
        const accountId = await account(request.query.account);
        const rows = await profiles.list(accountId, after === null ? null : String(after[0]), limit + 1);
        return pageOf(rows, limit, riskProfileRow, (p) => [p.name]);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.post<{ Querystring: RiskProfileAccountQuery; Body: RiskProfileCreateBody }>(
    '/api/risk-profiles',
    {
      config: { access: 'owner', account: 'query' },
      schema: {
        querystring: RiskProfileAccountQuerySchema,
        body: RiskProfileCreateBodySchema,
        response: { 201: RiskProfileSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const { name, ...body } = request.body;
        const checked = limits(body);
        const accountId = await account(request.query.account);
        let created: RiskProfile;
        try {
          created = await profiles.create(
            accountId,
            { id: ids.next('riskProfile'), name, at: ctx.clock.now() },
            checked,
          );
        } catch (error) {
          if (error instanceof StoreQueryError && error.code === 'UNIQUE_VIOLATION') {
            throw new RouteError(
              409,
              'CONFLICT',
              `risk profile ${JSON.stringify(name)} already exists for account ${accountId}: change it with PUT /api/risk-profiles/${name}`,
            );
          }
          throw error;
        }
        await audit(request, accountId, 'risk.profile.created', created);
        return reply.status(201).send(riskProfileRow(created));
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.put<{ Querystring: RiskProfileAccountQuery; Params: RiskProfileParams; Body: RiskProfileUpdateBody }>(
    '/api/risk-profiles/:name',
    {
      config: { access: 'owner', account: 'query' },
      schema: {
        querystring: RiskProfileAccountQuerySchema,
        params: RiskProfileParamsSchema,
        body: RiskProfileUpdateBodySchema,
        response: { 200: RiskProfileSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const checked = limits(request.body);
        const accountId = await account(request.query.account);
        const { name } = request.params;
        const updated = await profiles.update(accountId, name, checked, ctx.clock.now());
        if (updated === null) throw missing(name, accountId);
        await audit(request, accountId, 'risk.profile.updated', updated);
        return riskProfileRow(updated);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.post<{ Querystring: RiskProfileAccountQuery; Params: RiskProfileParams }>(
    '/api/risk-profiles/:name/activate',
    {
      config: { access: 'owner', account: 'query' },
      schema: {
        querystring: RiskProfileAccountQuerySchema,
        params: RiskProfileParamsSchema,
        response: { 200: RiskProfileSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const accountId = await account(request.query.account);
        const { name } = request.params;
        const active = await profiles.activate(accountId, name, ctx.clock.now());
        if (active === null) throw missing(name, accountId);
        await audit(request, accountId, 'risk.profile.activated', active);
        if (ctx.trading.current !== null) {
          ctx.logger.warn(
            { accountId, profile: name, runId: ctx.trading.current.env.runId },
            'risk profile activated: the running trading keeps its limits until trading next starts',
          );
        }
        return riskProfileRow(active);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.delete<{ Querystring: RiskProfileAccountQuery; Params: RiskProfileParams }>(
    '/api/risk-profiles/:name',
    {
      config: { access: 'owner', account: 'query' },
      schema: {
        querystring: RiskProfileAccountQuerySchema,
        params: RiskProfileParamsSchema,
        response: { 204: NoContentSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const accountId = await account(request.query.account);
        const { name } = request.params;
        let outcome;
        try {
          outcome = await profiles.delete(accountId, name);
        } catch (error) {
          if (error instanceof StoreQueryError && error.code === 'FOREIGN_KEY_VIOLATION') {
            throw new RouteError(
              409,
              'CONFLICT',
              `risk profile ${JSON.stringify(name)} is named by recorded risk decisions and is kept for the audit trail`,
            );
          }
          throw error;
        }
        if (outcome === 'missing') throw missing(name, accountId);
        if (outcome === 'active') {
          throw new RouteError(
            409,
            'CONFLICT',
            `risk profile ${JSON.stringify(name)} is the active profile of account ${accountId}: activate another one before deleting it`,
          );
        }
        await audit(request, accountId, 'risk.profile.deleted', { name });
        return reply.status(204).send();
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
