// Stored strategy definitions: `GET /api/strategies`, `GET /api/strategies/:id` (readonly); `POST /api/strategies`,
// `PUT /api/strategies/:id`, `DELETE /api/strategies/:id`, `POST /api/strategies/:id/start|stop` (operator). The
// account comes from `?account=`.
//
// Start and stop set the stored `enabled` flag, which trading reads when it starts. The strategy host can neither add
// a strategy to a running kernel nor halt one strategy on request, so while trading runs: starting a strategy that is
// not in it, or stopping one that runs in it, stores the flag and answers 409 CONFLICT ("takes effect at next trading
// start"). Starting one that already runs, or stopping one that does not, answers 200. A definition that runs in the
// current trading cannot be deleted.
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  StrategiesPageSchema,
  StrategiesQuerySchema,
  StrategyAccountQuerySchema,
  StrategyCreateBodySchema,
  StrategyIdParamsSchema,
  StrategySchema,
  StrategyUpdateBodySchema,
  type StrategiesQuery,
  type StrategyAccountQuery,
  type StrategyCreateBody,
  type StrategyIdParams,
  type StrategyUpdateBody,
  NoContentSchema,
} from '@kitepilot/api-contract';
import {
  InvalidIdError,
  parseStrategyId,
  SeededRandom,
  TimeRandomIdGenerator,
  type AccountId,
  type JsonValue,
  type StrategyId,
} from '@kitepilot/core';
import type { StrategyState } from '@kitepilot/engine';
import { SqlStrategyDefinitionRepository, StoreQueryError, type StoredStrategy } from '@kitepilot/store';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import type { RouteContext } from '../route-context.ts';
import { resolveAccount } from './account-query.ts';
import { decodeCursor, pageLimit, pageOf } from './page-cursor.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';
import {
  checkStrategyRequest,
  configuredStrategyIds,
  StrategyDefinitionError,
  strategyRow,
  type StrategyRequest,
} from './stored-strategies.ts';
import { requestActor } from '../access.ts';

const NEXT_START = 'takes effect at next trading start';

/** Registers the strategy definition routes. */
export function registerStrategyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const registry = builtinStrategies();
  const definitions = new SqlStrategyDefinitionRepository(ctx.store.driver);
  const ids = new TimeRandomIdGenerator(ctx.clock, new SeededRandom(randomInt(2 ** 31)));
  const account = (value: string | undefined) => resolveAccount(ctx.store, ctx.config, value);

  /** Returns the state of the strategy in the trading this process runs for the account, or null. */
  const kernelState = (accountId: AccountId, id: StrategyId): StrategyState | null => {
    const env = ctx.trading.current?.env;
    if (env === undefined || env.accountId !== accountId) return null;
    return env.kernel.strategies().find((s) => s.strategyId === id)?.state ?? null;
  };
  const row = (d: StoredStrategy) => strategyRow(registry, d, kernelState(d.accountId, d.id));
  const strategyIdOf = (text: string): StrategyId => {
    try {
      return parseStrategyId(text);
    } catch (error) {
      if (error instanceof InvalidIdError) throw new RouteError(400, 'VALIDATION_FAILED', error.message);
      throw error;
    }
  };
  const checked = (request: StrategyRequest) => {
    try {
      return checkStrategyRequest(registry, request);
    } catch (error) {
      if (error instanceof StrategyDefinitionError)
        throw new RouteError(400, 'VALIDATION_FAILED', error.message);
      throw error;
    }
  };
  const existing = async (accountId: AccountId, id: StrategyId): Promise<StoredStrategy> => {
    const found = await definitions.get(accountId, id);
    if (found === null) {
      throw new RouteError(404, 'NOT_FOUND', `strategy ${id} does not exist for account ${accountId}`);
    }
    return found;
  };
  const audit = async (request: FastifyRequest, accountId: AccountId, kind: string, payload: object) => {
    await ctx.store.audit.append({
      accountId,
      ts: ctx.clock.now(),
      kind,
      actor: requestActor(request),
      payload: JSON.parse(JSON.stringify(payload)) as JsonValue,
    });
  };

  app.get<{ Querystring: StrategiesQuery }>(
    '/api/strategies',
    {
      config: { access: 'readonly', account: 'query' },
      schema: {
        querystring: StrategiesQuerySchema,
        response: { 200: StrategiesPageSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const limit = pageLimit(request.query.limit);
        const after = decodeCursor(request.query.cursor, ['string']);
        const accountId = await account(request.query.account);
        const rows = await definitions.list(accountId, after === null ? null : String(after[0]), limit + 1);
        return pageOf(rows, limit, row, (d) => [d.id]);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.post<{ Querystring: StrategyAccountQuery; Body: StrategyCreateBody }>(
    '/api/strategies',
    {
      config: { access: 'operator', account: 'query' },
      schema: {
        querystring: StrategyAccountQuerySchema,
        body: StrategyCreateBodySchema,
        response: { 201: StrategySchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const { id: given, enabled, ...rest } = request.body;
        const fields = checked({ ...rest, enabled: enabled ?? false });
        const accountId = await account(request.query.account);
        const id = given === undefined ? ids.next('strategy') : strategyIdOf(given);
        if (configuredStrategyIds(ctx.config).includes(id)) {
          throw new RouteError(
            409,
            'CONFLICT',
            `strategy id ${id} is used by [[trading.strategies]] in the configuration`,
          );
        }
        let created: StoredStrategy;
        try {
          created = await definitions.create(accountId, id, fields, ctx.clock.now());
        } catch (error) {
          if (error instanceof StoreQueryError && error.code === 'UNIQUE_VIOLATION') {
            throw new RouteError(409, 'CONFLICT', `strategy ${id} already exists for account ${accountId}`);
          }
          throw error;
        }
        await audit(request, accountId, 'strategy.created', created);
        return reply.status(201).send(row(created));
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.get<{ Querystring: StrategyAccountQuery; Params: StrategyIdParams }>(
    '/api/strategies/:id',
    {
      config: { access: 'readonly', account: 'query' },
      schema: {
        querystring: StrategyAccountQuerySchema,
        params: StrategyIdParamsSchema,
        response: { 200: StrategySchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const id = strategyIdOf(request.params.id);
        const accountId = await account(request.query.account);
        return row(await existing(accountId, id));
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.put<{ Querystring: StrategyAccountQuery; Params: StrategyIdParams; Body: StrategyUpdateBody }>(
    '/api/strategies/:id',
    {
      config: { access: 'operator', account: 'query' },
      schema: {
        querystring: StrategyAccountQuerySchema,
        params: StrategyIdParamsSchema,
        body: StrategyUpdateBodySchema,
        response: { 200: StrategySchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const id = strategyIdOf(request.params.id);
        const accountId = await account(request.query.account);
        const before = await existing(accountId, id);
        const { enabled, ...rest } = request.body;
        const fields = checked({ ...rest, enabled: enabled ?? before.enabled });
        const updated = await definitions.update(accountId, id, fields, ctx.clock.now());
        if (updated === null)
          throw new RouteError(404, 'NOT_FOUND', `strategy ${id} does not exist for account ${accountId}`);
        await audit(request, accountId, 'strategy.updated', { before, after: updated });
        return row(updated);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.delete<{ Querystring: StrategyAccountQuery; Params: StrategyIdParams }>(
    '/api/strategies/:id',
    {
      config: { access: 'operator', account: 'query' },
      schema: {
        querystring: StrategyAccountQuerySchema,
        params: StrategyIdParamsSchema,
        response: { 204: NoContentSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const id = strategyIdOf(request.params.id);
        const accountId = await account(request.query.account);
        const stored = await existing(accountId, id);
        const state = kernelState(accountId, id);
        if (state === 'running' || state === 'added') {
          throw new RouteError(
            409,
            'CONFLICT',
            `strategy ${id} runs in the current trading (run ${ctx.trading.current?.env.runId ?? '?'}): stop trading before deleting it`,
            { kernelState: state },
          );
        }
        await definitions.delete(accountId, id);
        await audit(request, accountId, 'strategy.deleted', stored);
        return reply.status(204).send();
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  for (const action of ['start', 'stop'] as const) {
    app.post<{ Querystring: StrategyAccountQuery; Params: StrategyIdParams }>(
      `/api/strategies/:id/${action}`,
      {
        config: { access: 'operator', account: 'query' },
        schema: {
          querystring: StrategyAccountQuerySchema,
          params: StrategyIdParamsSchema,
          response: { 200: StrategySchema, ...ROUTE_ERRORS },
        },
      },
      async (request, reply) => {
        try {
          const id = strategyIdOf(request.params.id);
          const accountId = await account(request.query.account);
          await existing(accountId, id);
          const enabled = action === 'start';
          const updated = await definitions.setEnabled(accountId, id, enabled, ctx.clock.now());
          if (updated === null)
            throw new RouteError(404, 'NOT_FOUND', `strategy ${id} does not exist for account ${accountId}`);
          await audit(request, accountId, enabled ? 'strategy.enabled' : 'strategy.disabled', updated);
          const running = ctx.trading.current;
          const state = kernelState(accountId, id);
          if (running !== null && enabled && state !== 'running') {
            throw new RouteError(
              409,
              'CONFLICT',
              `strategy ${id} is enabled, but a strategy cannot be added to trading that already runs (run ${running.env.runId}): ${NEXT_START}`,
              { enabled: true, kernelState: state },
            );
          }
          if (running !== null && !enabled && state === 'running') {
            throw new RouteError(
              409,
              'CONFLICT',
              `strategy ${id} is disabled, but one strategy cannot be halted while trading runs (run ${running.env.runId}): it keeps trading until trading stops; ${NEXT_START}. To stop it now, stop trading (POST /api/trading/stop) or use the kill switch`,
              { enabled: false, kernelState: state },
            );
          }
          return row(updated);
        } catch (error) {
          return replyRouteError(reply, error);
        }
      },
    );
  }
}
