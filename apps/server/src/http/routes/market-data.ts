// `GET /api/ticks` and `GET /api/candles`: stored ticks and bars with the field names of Tick and Bar, prices in
// paise, times in IST. A range holding more rows than `limit` is refused with 422 rather than cut short.
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  CandlesQuerySchema,
  CandlesResponseSchema,
  TicksQuerySchema,
  TicksResponseSchema,
  type CandlesQuery,
  type TicksQuery,
} from '@kitepilot/api-contract';
import type { BarInterval } from '@kitepilot/core';
import {
  barRow,
  InstrumentRefError,
  parseInstrumentSymbol,
  parseTimeRange,
  readBarsBounded,
  readTicksBounded,
  RowLimitError,
  tickRow,
  TimeBoundError,
} from '@kitepilot/market-data';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';

/** Answers a read error a client can fix (a bad symbol or time, too many rows) with its status; rethrows others. */
export function replyReadError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof InstrumentRefError || error instanceof TimeBoundError) {
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
  }
  if (error instanceof RowLimitError) {
    return reply.status(422).send(errorBody('VALIDATION_FAILED', error.message, { limit: error.limit }));
  }
  throw error;
}

const readErrors = { 400: { $ref: 'ErrorBody#' }, 422: { $ref: 'ErrorBody#' } } as const;

/** Registers `GET /api/ticks` and `GET /api/candles`. */
export function registerMarketDataRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: TicksQuery }>(
    '/api/ticks',
    {
      config: { access: 'readonly' },
      schema: { querystring: TicksQuerySchema, response: { 200: TicksResponseSchema, ...readErrors } },
    },
    async (request, reply) => {
      const q = request.query;
      try {
        const id = parseInstrumentSymbol(q.symbol);
        const { fromMs, toMs } = parseTimeRange(q.from, q.to);
        const ticks = await readTicksBounded(ctx.store.ticks, q.namespace, id, fromMs, toMs, q.limit);
        return ticks.map(tickRow);
      } catch (error) {
        return replyReadError(reply, error);
      }
    },
  );

  app.get<{ Querystring: CandlesQuery }>(
    '/api/candles',
    {
      config: { access: 'readonly' },
      schema: { querystring: CandlesQuerySchema, response: { 200: CandlesResponseSchema, ...readErrors } },
    },
    async (request, reply) => {
      const q = request.query;
      try {
        const id = parseInstrumentSymbol(q.symbol);
        const { fromMs, toMs } = parseTimeRange(q.from, q.to);
        const interval = q.interval as BarInterval;
        const bars = await readBarsBounded(ctx.store.bars, q.namespace, id, interval, fromMs, toMs, q.limit);
        return bars.map(barRow);
      } catch (error) {
        return replyReadError(reply, error);
      }
    },
  );
}
