// `GET /api/trading/status`, `POST /api/trading/kill-switch`, `POST /api/trading/flatten`,
// `POST /api/trading/acknowledge`: the owner's controls over trading. A command goes through the running kernel (in
// order with market data and broker reports) and is persisted by the order manager; with no trading running, the
// kill switch is stored and applies at the next start, and flatten/acknowledge answer 409 UNAVAILABLE.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AcknowledgeBodySchema,
  FlattenBodySchema,
  KillSwitchBodySchema,
  TradingStatusSchema,
  type AcknowledgeBody,
  type FlattenBody,
  type KillSwitchBody,
  type TradingStatusBody,
} from '@kitepilot/api-contract';
import {
  formatIst,
  instrumentId,
  isExchange,
  parseAccountId,
  type AccountId,
  type InstrumentId,
} from '@kitepilot/core';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import { requestActor } from '../access.ts';

const errors = {
  400: { $ref: 'ErrorBody#' },
  403: { $ref: 'ErrorBody#' },
  409: { $ref: 'ErrorBody#' },
} as const;

/** Returns the trading status: the running environment's, or the stored controls when none runs. */
export async function tradingStatus(
  ctx: RouteContext,
  applied: TradingStatusBody['applied'] = null,
): Promise<TradingStatusBody> {
  const running = ctx.trading.current;
  if (running === null) {
    const stored = await ctx.store.tradingControls.load();
    return {
      running: false,
      mode: null,
      simulated: false,
      accountId: ctx.config.trading.account,
      runId: null,
      controls: { killSwitch: stored.killSwitch, halted: { ...stored.halted } },
      applied,
      preflight: { passed: false, checks: [] },
      strategies: [],
      awaitingAcknowledgement: false,
    };
  }
  const { env } = running;
  const controls = env.controls();
  const scheduler = env.schedulerStatus();
  const halted = new Set(
    env.kernel
      .strategies()
      .filter((s) => s.state === 'halted')
      .map((s) => s.strategyId),
  );
  return {
    running: true,
    mode: env.mode,
    simulated: env.simulated,
    accountId: env.accountId,
    runId: env.runId,
    controls: { killSwitch: controls.killSwitch, halted: { ...controls.halted } },
    applied,
    preflight: {
      passed: scheduler.passed,
      checks: scheduler.preflight.map((c) => ({
        name: c.name,
        ok: c.ok,
        detail: c.detail,
        at: formatIst(c.at),
      })),
    },
    strategies: env.strategies.map((s) => ({ id: s.id, name: s.name, halted: halted.has(s.id) })),
    awaitingAcknowledgement: env.orders.heldOrders().length > 0,
  };
}

function instrumentOfSymbol(symbol: string): InstrumentId {
  const colon = symbol.indexOf(':');
  const exchange = symbol.slice(0, colon);
  if (!isExchange(exchange)) throw new RangeError(`symbol ${symbol} is not EXCHANGE:SYMBOL`);
  return instrumentId(symbol.slice(colon + 1), exchange);
}

/**
 * Returns the 403 body when the caller may not act on the account trading runs for, else null. The kill switch is
 * not checked: any operator may stop trading; flatten and acknowledge act on the account's positions and orders.
 */
function refuseOtherAccount(request: FastifyRequest, accountId: string) {
  const caller = request.principal;
  if (caller !== null && caller.accountIds.includes(accountId as AccountId)) return null;
  return errorBody(
    'FORBIDDEN',
    `trading runs for account ${accountId}, which is not one the caller may act on`,
  );
}

/** Registers the trading control routes. */
export function registerTradingControlRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/trading/status',
    { config: { access: 'readonly' }, schema: { response: { 200: TradingStatusSchema } } },
    async () => tradingStatus(ctx),
  );

  app.post<{ Body: KillSwitchBody }>(
    '/api/trading/kill-switch',
    {
      config: { access: 'operator' },
      schema: { body: KillSwitchBodySchema, response: { 200: TradingStatusSchema, ...errors } },
    },
    async (request) => {
      const { on, reason } = request.body;
      const running = ctx.trading.current;
      if (running !== null) {
        await running.env.command({ type: 'KillSwitch', on, actor: requestActor(request), reason });
        return tradingStatus(ctx, 'engine');
      }
      const stored = await ctx.store.tradingControls.load();
      await ctx.store.tradingControls.save({ ...stored, killSwitch: on });
      await ctx.store.audit.append({
        accountId: null,
        ts: ctx.clock.now(),
        kind: 'trading.controls',
        actor: requestActor(request),
        payload: { killSwitch: on, reason, applied: 'stored' },
      });
      ctx.logger.warn({ on, reason }, `kill switch ${on ? 'ON' : 'off'} (stored; no trading is running)`);
      return tradingStatus(ctx, 'stored');
    },
  );

  app.post<{ Body: FlattenBody }>(
    '/api/trading/flatten',
    {
      config: { access: 'operator' },
      schema: { body: FlattenBodySchema, response: { 200: TradingStatusSchema, ...errors } },
    },
    async (request, reply) => {
      const running = ctx.trading.current;
      if (running === null) {
        return reply
          .status(409)
          .send(
            errorBody('UNAVAILABLE', 'no trading runs in this process: there is nothing to flatten here'),
          );
      }
      const denied = refuseOtherAccount(request, running.env.accountId);
      if (denied !== null) return reply.status(403).send(denied);
      const { symbol, reason } = request.body;
      let instrument: InstrumentId | null = null;
      try {
        instrument = symbol === undefined ? null : instrumentOfSymbol(symbol);
      } catch (error) {
        return reply.status(400).send(errorBody('VALIDATION_FAILED', (error as Error).message));
      }
      await running.env.command({
        type: 'Flatten',
        accountId: parseAccountId(running.env.accountId),
        instrumentId: instrument,
        product: null,
        actor: requestActor(request),
        reason,
      });
      return tradingStatus(ctx, 'engine');
    },
  );

  app.post<{ Body: AcknowledgeBody }>(
    '/api/trading/acknowledge',
    {
      config: { access: 'operator' },
      schema: { body: AcknowledgeBodySchema, response: { 200: TradingStatusSchema, ...errors } },
    },
    async (request, reply) => {
      const running = ctx.trading.current;
      if (running === null || running.env.mode !== 'live') {
        return reply
          .status(409)
          .send(
            errorBody('UNAVAILABLE', 'no live trading runs in this process: nothing awaits acknowledgement'),
          );
      }
      const denied = refuseOtherAccount(request, running.env.accountId);
      if (denied !== null) return reply.status(403).send(denied);
      ctx.logger.warn({ reason: request.body.reason }, 'live trading acknowledged by the owner');
      await running.env.command({
        type: 'AcknowledgeLive',
        accountId: running.env.accountId,
        actor: requestActor(request),
      });
      return tradingStatus(ctx, 'engine');
    },
  );
}
