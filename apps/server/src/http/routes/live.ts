// `GET /api/live`: the WebSocket live stream (messages in @kitepilot/api-contract live.ts, behaviour in
// apps/server/src/live/live-hub.ts). The account comes from `?account=` (the auth guard resolves and checks it; the
// configured trading account without one). The WebSocket plugin is registered in this route's own scope.
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { LiveQuerySchema, type LiveQuery } from '@kitepilot/api-contract';
import { LiveHub, type LiveHubTuning } from '../../live/live-hub.ts';
import { ObservedTradingSlot } from '../../observability/observed-trading-slot.ts';
import { liveSourcesFromSlot } from '../../live/live-sources.ts';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import { accountOf, TradingQueryError } from './trading-reads.ts';

/** The largest client message accepted (bytes); a larger one closes the connection with 1009. */
export const LIVE_MAX_CLIENT_MESSAGE_BYTES = 65_536;

/** Registers `GET /api/live` with a hub fed by the process's trading slot; the hub stops when the app closes. */
export function registerLiveRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerLiveRoute(app, ctx);
}

/**
 * Registers `GET /api/live` and returns its hub (started when the app is ready, closed before the app closes);
 * `tuning` changes the hub's limits and intervals (tests).
 */
export function registerLiveRoute(
  app: FastifyInstance,
  ctx: RouteContext,
  tuning: Partial<LiveHubTuning> = {},
): LiveHub {
  const hub = new LiveHub({
    clock: ctx.clock,
    logger: ctx.logger,
    metrics: ctx.metrics,
    store: ctx.store,
    barIntervals: ctx.config.marketData.barIntervals,
    sources: liveSourcesFromSlot(ctx.trading, ctx.metrics),
    tuning,
  });
  let unobserve: (() => void) | null = null;
  void app.register(async (scope) => {
    // Added before the plugin's own preClose: clients get 1001 "server shutting down" from the hub first.
    scope.addHook('preClose', async () => {
      unobserve?.();
      hub.close();
    });
    scope.addHook('onReady', async () => {
      hub.start();
      // An observed slot reports trading starting and stopping at once; otherwise the hub notices within a second.
      if (ctx.trading instanceof ObservedTradingSlot) {
        unobserve = ctx.trading.observe(() => void hub.refreshStatus());
      }
    });
    await scope.register(fastifyWebsocket, { options: { maxPayload: LIVE_MAX_CLIENT_MESSAGE_BYTES } });
    scope.route<{ Querystring: LiveQuery }>({
      method: 'GET',
      url: '/api/live',
      config: { access: 'readonly', account: 'query' },
      schema: { querystring: LiveQuerySchema },
      // Refused before the upgrade, as an HTTP error: a malformed or unknown account.
      preHandler: async (request, reply) => {
        try {
          const id = accountOf(request.query.account ?? ctx.config.trading.account);
          if ((await ctx.store.accounts.get(id)) === null) {
            return reply.status(404).send(errorBody('NOT_FOUND', `account ${id} does not exist`));
          }
          request.query.account = id;
        } catch (error) {
          if (!(error instanceof TradingQueryError)) throw error;
          return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
        }
        return undefined;
      },
      // A plain HTTP request (no Upgrade) is told what the route is.
      handler: (_request, reply) =>
        reply
          .status(426)
          .header('upgrade', 'websocket')
          .send(
            errorBody(
              'VALIDATION_FAILED',
              'GET /api/live is a WebSocket: connect with an Upgrade: websocket request',
            ),
          ),
      wsHandler: (socket, request) => hub.connect(socket, accountOf(request.query.account as string)),
    });
  });
  return hub;
}
