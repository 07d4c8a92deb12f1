// `GET /api/instruments?namespace=&exchange=&segment=&q=&limit=&cursor=` (the master version in force today, by id)
// and `GET /api/instruments/:instrument` (the newest stored version of one instrument, with its F&O fields).
import type { FastifyInstance } from 'fastify';
import {
  InstrumentParamsSchema,
  InstrumentQuerySchema,
  InstrumentRowSchema,
  InstrumentsPageSchema,
  InstrumentsQuerySchema,
  type InstrumentParams,
  type InstrumentQuery,
  type InstrumentRowBody,
  type InstrumentsQuery,
} from '@kitepilot/api-contract';
import { istDate, paiseToRupeesString, type Exchange } from '@kitepilot/core';
import { kiteSymbol, parseInstrumentSymbol } from '@kitepilot/market-data';
import { instrumentSegment, SqlInstrumentSearchRepository, type VersionedInstrument } from '@kitepilot/store';
import type { RouteContext } from '../route-context.ts';
import { decodeCursor, pageLimit, pageOf } from './page-cursor.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';

/** Returns the API form of an instrument of the master. */
export function instrumentRow({ instrument: i, validFrom }: VersionedInstrument): InstrumentRowBody {
  return {
    instrumentId: i.id,
    symbol: kiteSymbol(i.id),
    exchange: i.exchange,
    segment: instrumentSegment(i),
    type: i.type,
    tradingSymbol: i.tradingSymbol,
    name: i.name,
    token: i.token,
    exchangeToken: i.exchangeToken,
    tickSizePaise: i.tickSizePaise,
    tickSize: paiseToRupeesString(i.tickSizePaise),
    lotSize: i.lotSize,
    freezeQty: i.freezeQty,
    expiry: i.expiry,
    strikePaise: i.strikePaise,
    strike: i.strikePaise === null ? null : paiseToRupeesString(i.strikePaise),
    underlying: i.underlying,
    validFrom,
  };
}

/** Registers `GET /api/instruments` and `GET /api/instruments/:instrument` (readonly). */
export function registerInstrumentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const instruments = new SqlInstrumentSearchRepository(ctx.store.driver);

  app.get<{ Querystring: InstrumentsQuery }>(
    '/api/instruments',
    {
      config: { access: 'readonly' },
      schema: {
        querystring: InstrumentsQuerySchema,
        response: { 200: InstrumentsPageSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const q = request.query;
        const limit = pageLimit(q.limit);
        const after = decodeCursor(q.cursor, ['string']);
        const rows = await instruments.search(q.namespace, {
          onDate: istDate(ctx.clock.now()),
          exchange: (q.exchange as Exchange | undefined) ?? null,
          segment: q.segment ?? null,
          text: q.q?.trim() || null,
          afterId: after === null ? null : String(after[0]),
          limit: limit + 1,
        });
        return pageOf(rows, limit, instrumentRow, (r) => [r.instrument.id]);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.get<{ Params: InstrumentParams; Querystring: InstrumentQuery }>(
    '/api/instruments/:instrument',
    {
      config: { access: 'readonly' },
      schema: {
        params: InstrumentParamsSchema,
        querystring: InstrumentQuerySchema,
        response: { 200: InstrumentRowSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      try {
        const id = parseInstrumentSymbol(request.params.instrument);
        const found = await instruments.latest(request.query.namespace, id);
        if (found === null) {
          throw new RouteError(
            404,
            'NOT_FOUND',
            `instrument ${request.params.instrument} (${id}) is in no stored ${request.query.namespace} instruments master version`,
          );
        }
        return instrumentRow(found);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
