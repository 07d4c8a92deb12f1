// `GET /api/watchlist`, `PUT /api/watchlist/:symbol` (body `{ mode }`) and `DELETE /api/watchlist/:symbol`. Only
// instruments of today's stored master can be added: anything else is 404 with the reason.
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  WatchlistEntrySchema,
  WatchlistParamsSchema,
  WatchlistPutBodySchema,
  WatchlistQuerySchema,
  WatchlistResponseSchema,
  type WatchlistEntryBody,
  type WatchlistParams,
  type WatchlistPutBody,
  type WatchlistQuery,
  NoContentSchema,
} from '@kitepilot/api-contract';
import { formatIst, type WatchlistEntry } from '@kitepilot/core';
import {
  InstrumentRefError,
  kiteSymbol,
  putWatchlistEntry,
  removeWatchlistEntry,
  UnknownInstrumentError,
} from '@kitepilot/market-data';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import { requestActor } from '../access.ts';

/** Returns the API form of a watchlist entry. */
export function watchlistEntryBody(entry: WatchlistEntry): WatchlistEntryBody {
  return {
    instrumentId: entry.instrumentId,
    symbol: kiteSymbol(entry.instrumentId),
    mode: entry.mode,
    addedAt: formatIst(entry.addedAt),
  };
}

function replyWatchlistError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof InstrumentRefError) {
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
  }
  if (error instanceof UnknownInstrumentError) {
    return reply.status(404).send(errorBody('NOT_FOUND', error.message));
  }
  throw error;
}

const errors = { 400: { $ref: 'ErrorBody#' }, 404: { $ref: 'ErrorBody#' } } as const;

/** Registers the watchlist routes. */
export function registerWatchlistRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const deps = { watchlist: ctx.store.watchlist, instruments: ctx.store.instruments, clock: ctx.clock };

  app.get<{ Querystring: WatchlistQuery }>(
    '/api/watchlist',
    {
      config: { access: 'readonly' },
      schema: { querystring: WatchlistQuerySchema, response: { 200: WatchlistResponseSchema } },
    },
    async (request) => (await ctx.store.watchlist.list(request.query.namespace)).map(watchlistEntryBody),
  );

  app.put<{ Querystring: WatchlistQuery; Params: WatchlistParams; Body: WatchlistPutBody }>(
    '/api/watchlist/:symbol',
    {
      config: { access: 'operator' },
      schema: {
        querystring: WatchlistQuerySchema,
        params: WatchlistParamsSchema,
        body: WatchlistPutBodySchema,
        response: { 200: WatchlistEntrySchema, 201: WatchlistEntrySchema, ...errors },
      },
    },
    async (request, reply) => {
      try {
        const { value, created } = await putWatchlistEntry(
          deps,
          request.query.namespace,
          request.params.symbol,
          request.body.mode,
        );
        await ctx.store.audit.append({
          accountId: null,
          ts: ctx.clock.now(),
          kind: 'watchlist.added',
          actor: requestActor(request),
          payload: {
            namespace: request.query.namespace ?? 'real',
            instrumentId: value.instrumentId,
            created,
          },
        });
        return reply.status(created ? 201 : 200).send(watchlistEntryBody(value));
      } catch (error) {
        return replyWatchlistError(reply, error);
      }
    },
  );

  app.delete<{ Querystring: WatchlistQuery; Params: WatchlistParams }>(
    '/api/watchlist/:symbol',
    {
      config: { access: 'operator' },
      schema: {
        querystring: WatchlistQuerySchema,
        params: WatchlistParamsSchema,
        response: { 204: NoContentSchema, ...errors },
      },
    },
    async (request, reply) => {
      try {
        const { instrumentId, removed } = await removeWatchlistEntry(
          deps,
          request.query.namespace,
          request.params.symbol,
        );
        if (!removed) {
          return reply
            .status(404)
            .send(
              errorBody('NOT_FOUND', `${request.params.symbol} (${instrumentId}) is not on the watchlist`),
            );
        }
        await ctx.store.audit.append({
          accountId: null,
          ts: ctx.clock.now(),
          kind: 'watchlist.removed',
          actor: requestActor(request),
          payload: { namespace: request.query.namespace ?? 'real', instrumentId },
        });
        return reply.status(204).send();
      } catch (error) {
        return replyWatchlistError(reply, error);
      }
    },
  );
}
