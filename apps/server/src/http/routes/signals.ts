// `GET /api/signals?date=&account=&strategy=&limit=&cursor=`: the signals one account's strategies recorded on one IST
// day (default today), oldest first, optionally of one strategy; times in IST.
import type { FastifyInstance } from 'fastify';
import {
  SignalsPageSchema,
  SignalsQuerySchema,
  type SignalRowBody,
  type SignalsQuery,
} from '@kitepilot/api-contract';
import { formatIst, istDate, type Signal } from '@kitepilot/core';
import { withScopedStore } from '@kitepilot/store';
import type { RouteContext } from '../route-context.ts';
import { resolveAccount } from './account-query.ts';
import { decodeCursor, pageLimit, pageOf } from './page-cursor.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';
import { istDayRange, TradingQueryError } from './trading-reads.ts';

/** Returns the API form of a signal. */
export function signalRow(signal: Signal): SignalRowBody {
  return {
    id: signal.id,
    accountId: signal.accountId,
    runId: signal.runId,
    strategyId: signal.strategyId,
    instrumentId: signal.instrumentId,
    direction: signal.direction,
    strength: signal.strength,
    reason: signal.reason,
    tsEvent: formatIst(signal.tsEvent),
    tsInit: formatIst(signal.tsInit),
  };
}

/** Registers `GET /api/signals` (readonly; the account comes from the query). */
export function registerSignalRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: SignalsQuery }>(
    '/api/signals',
    {
      config: { access: 'readonly', account: 'query' },
      schema: { querystring: SignalsQuerySchema, response: { 200: SignalsPageSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        const q = request.query;
        let day: { fromMs: number; toMs: number };
        try {
          day = istDayRange(q.date ?? istDate(ctx.clock.now()));
        } catch (error) {
          if (error instanceof TradingQueryError)
            throw new RouteError(400, 'VALIDATION_FAILED', error.message);
          throw error;
        }
        const limit = pageLimit(q.limit);
        const after = decodeCursor(q.cursor, ['number', 'string']);
        const accountId = await resolveAccount(ctx.store, ctx.config, q.account);
        // One day of one account's signals is read whole and paged here, keyed by event time, then id (compared in
        // code order here, so the sort is redone rather than relying on the database collation).
        const signals = (
          await withScopedStore(ctx.store.driver, accountId, (scoped) =>
            scoped.signals.listBetween(accountId, day.fromMs, day.toMs),
          )
        )
          .sort((a, b) => a.tsEvent - b.tsEvent || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .filter(
            (s) =>
              (q.strategy === undefined || s.strategyId === q.strategy) &&
              (after === null ||
                s.tsEvent > (after[0] as number) ||
                (s.tsEvent === after[0] && s.id > (after[1] as string))),
          );
        return pageOf(signals.slice(0, limit + 1), limit, signalRow, (s) => [s.tsEvent, s.id]);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
