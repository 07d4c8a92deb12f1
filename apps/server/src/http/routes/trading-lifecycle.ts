// `POST /api/trading/start` and `POST /api/trading/stop` (operator): start the configured trading in this process, or
// stop it. Stop cancels every working order first (unless `cancelOpenOrders: false`), then stops the environment
// cleanly (strategies stopped, kernel drained, journal closed, run finished, market feed stopped). Positions are not
// closed by stopping and no square-off runs while trading is stopped, so stopping with open positions is refused
// unless `leavePositionsOpen: true` is given; the answer lists the positions left open. Cancels the broker has not
// confirmed when trading stops are reconciled at the next start.
import type { FastifyInstance } from 'fastify';
import {
  TradingStartBodySchema,
  TradingStatusSchema,
  TradingStopBodySchema,
  TradingStopResultSchema,
  type TradingStartBody,
  type TradingStopBody,
  type TradingStopResultBody,
} from '@kitepilot/api-contract';
import type { JsonValue } from '@kitepilot/core';
import type { Config } from '../../config/config-schema.ts';
import { KiteSessionUnavailableError } from '../../secrets/stored-kite-session.ts';
import { startBrokerTrading, type BrokerTradingOptions } from '../../trading/broker-trading.ts';
import type { RunningTrading } from '../../trading/trading-slot.ts';
import type { RouteContext } from '../route-context.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';
import { withStoredTradingSettings } from './stored-trading-settings.ts';
import { tradingStatus } from './trading-control.ts';
import { positionRow } from './trading-reads.ts';
import { requestActor } from '../access.ts';

/** Starts the process's trading and returns it (it may put itself in the slot; the route makes sure it is there). */
export type TradingStarter = () => Promise<RunningTrading>;

/**
 * Returns a starter of broker trading (`[trading] mode`, the stored Kite session of `[trading] account`) with the
 * account's active risk profile and enabled stored strategies (withStoredTradingSettings). `config` is read at each
 * start, so a starter given the reloader's configuration in force starts with it.
 */
export function brokerTradingStarter(
  options: Omit<BrokerTradingOptions, 'config' | 'session'> & { readonly config: () => Config },
): TradingStarter {
  return async () => {
    const settings = await withStoredTradingSettings(options.config(), options.store);
    options.logger.info(
      { riskProfile: settings.riskProfile, storedStrategies: settings.storedStrategies },
      'starting trading with the stored risk profile and strategies',
    );
    return startBrokerTrading({ ...options, config: settings.config });
  };
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** Registers `POST /api/trading/start` (with `start`) and `POST /api/trading/stop`. */
export function registerTradingLifecycleRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  start: TradingStarter,
): void {
  let busy: 'starting' | 'stopping' | null = null;
  const audit = (kind: string, actor: string, payload: object) =>
    ctx.store.audit.append({ accountId: null, ts: ctx.clock.now(), kind, actor, payload: toJson(payload) });
  const refuseWhileBusy = () => {
    if (busy !== null)
      throw new RouteError(409, 'CONFLICT', `trading is ${busy}: try again when that has finished`);
  };

  app.post<{ Body: TradingStartBody }>(
    '/api/trading/start',
    {
      config: { access: 'operator' },
      schema: { body: TradingStartBodySchema, response: { 200: TradingStatusSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        refuseWhileBusy();
        const current = ctx.trading.current;
        if (current !== null) {
          throw new RouteError(
            409,
            'CONFLICT',
            `trading already runs in this process (run ${current.env.runId}, ${current.env.mode})`,
          );
        }
        busy = 'starting';
        let running: RunningTrading;
        try {
          running = await start();
        } catch (error) {
          request.log.error({ err: error }, 'trading did not start');
          const why = error instanceof Error ? error.message : String(error);
          const hint = error instanceof KiteSessionUnavailableError ? ' (run kitepilot kite login)' : '';
          throw new RouteError(503, 'UNAVAILABLE', `trading did not start: ${why}${hint}`);
        } finally {
          busy = null;
        }
        if (ctx.trading.current !== running) ctx.trading.current = running;
        const actor = requestActor(request);
        await audit('trading.start', actor, { reason: request.body.reason, runId: running.env.runId });
        ctx.logger.warn(
          { actor, reason: request.body.reason, runId: running.env.runId },
          'trading started by request',
        );
        return tradingStatus(ctx, 'engine');
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.post<{ Body: TradingStopBody }>(
    '/api/trading/stop',
    {
      config: { access: 'operator' },
      schema: { body: TradingStopBodySchema, response: { 200: TradingStopResultSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        refuseWhileBusy();
        const running = ctx.trading.current;
        if (running === null)
          throw new RouteError(409, 'CONFLICT', 'no trading runs in this process: nothing to stop');
        const { env } = running;
        const { reason, cancelOpenOrders = true, leavePositionsOpen = false } = request.body;
        const actor = requestActor(request);
        await env.kernel.idle();
        const open = await ctx.store.positions.list(env.accountId, { openOnly: true });
        if (open.length > 0 && !leavePositionsOpen) {
          throw new RouteError(
            409,
            'CONFLICT',
            `${open.length} position(s) are open (${open.map((p) => `${p.instrumentId} ${p.product} ${p.netQty}`).join(', ')}): ` +
              'stopping trading leaves them open with no square-off; flatten first (POST /api/trading/flatten) or ' +
              'pass leavePositionsOpen: true',
            { openPositions: open.map(positionRow) },
          );
        }
        busy = 'stopping';
        let cancelRequested = 0;
        try {
          if (cancelOpenOrders) {
            cancelRequested = (await ctx.store.orders.listNonTerminal(env.accountId)).length;
            await env.command({
              type: 'CancelAll',
              accountId: env.accountId,
              strategyId: null,
              actor,
              reason,
            });
          }
          await running.close();
        } finally {
          busy = null;
          if (ctx.trading.current === running) ctx.trading.current = null;
        }
        const stillWorking = (await ctx.store.orders.listNonTerminal(env.accountId)).length;
        const left = await ctx.store.positions.list(env.accountId, { openOnly: true });
        await audit('trading.stop', actor, {
          reason,
          runId: env.runId,
          cancelRequested,
          stillWorking,
          openPositions: left.map(positionRow),
        });
        ctx.logger.warn(
          { actor, reason, runId: env.runId, cancelRequested, stillWorking, openPositions: left.length },
          left.length > 0
            ? 'trading stopped by request WITH OPEN POSITIONS: no square-off runs until trading starts again'
            : 'trading stopped by request',
        );
        const result: TradingStopResultBody = {
          status: await tradingStatus(ctx, 'engine'),
          stoppedRunId: env.runId,
          cancelRequested,
          stillWorking,
          openPositions: left.map(positionRow),
        };
        return result;
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
