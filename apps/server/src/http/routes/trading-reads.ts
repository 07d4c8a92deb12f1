// `GET /api/orders`, `GET /api/fills` (one IST day, `?date=YYYY-MM-DD&account=acc_…`) and `GET /api/positions`
// (`?account=acc_…`): the stored trading records of one account. Money in integer paise and as rupee strings; times
// in IST. Defaults: today in IST and the caller's default account (the auth guard checks and fills `account`).
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  FillsResponseSchema,
  OrdersResponseSchema,
  PositionsQuerySchema,
  PositionsResponseSchema,
  TradingDayQuerySchema,
  type FillRowBody,
  type OrderRowBody,
  type PositionRowBody,
  type PositionsQuery,
  type TradingDayQuery,
} from '@kitepilot/api-contract';
import {
  averageOpenPricePaise,
  divRound,
  formatIst,
  InvalidIdError,
  istDate,
  istToEpochMs,
  mulPaise,
  paise,
  paiseToRupeesString,
  parseAccountId,
  type AccountId,
  type Fill,
  type Order,
  type Paise,
  type Position,
} from '@kitepilot/core';
import { withScopedStore } from '@kitepilot/store';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';

const DAY_MS = 86_400_000;

/** A query value the client can fix; the message names it. */
export class TradingQueryError extends Error {
  override name = 'TradingQueryError';
}

/** Returns the UTC ms range [fromMs, toMs) of an IST date; throws TradingQueryError naming a bad date. */
export function istDayRange(date: string): { readonly fromMs: number; readonly toMs: number } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new TradingQueryError(`date ${JSON.stringify(date)} is not an IST date YYYY-MM-DD`);
  }
  try {
    const fromMs = istToEpochMs(date, '00:00');
    return { fromMs, toMs: fromMs + DAY_MS };
  } catch (error) {
    throw new TradingQueryError(`date ${JSON.stringify(date)} is not a calendar date`, { cause: error });
  }
}

/** Returns the account id of a query value; throws TradingQueryError naming a malformed one. */
export function accountOf(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    if (error instanceof InvalidIdError)
      throw new TradingQueryError(`account ${error.message}`, { cause: error });
    throw error;
  }
}

const rupees = (p: Paise): string => paiseToRupeesString(p);
const rupeesOrNull = (p: Paise | null): string | null => (p === null ? null : paiseToRupeesString(p));

/** Returns the average fill price of an order rounded half-up to the paisa, or null when nothing filled. */
export function orderAveragePricePaise(order: Order): Paise | null {
  if (order.filledQty === 0) return null;
  return paise(Number(divRound(BigInt(order.filledValuePaise), BigInt(order.filledQty), 'half-up')));
}

/** Returns the API form of an order. */
export function orderRow(order: Order): OrderRowBody {
  const average = orderAveragePricePaise(order);
  return {
    clientOrderId: order.clientOrderId,
    intentId: order.intentId,
    accountId: order.accountId,
    strategyId: order.strategyId,
    runId: order.runId,
    instrumentId: order.instrumentId,
    side: order.side,
    qty: order.qty,
    orderType: order.orderType,
    product: order.product,
    validity: order.validity,
    variety: order.variety,
    limitPricePaise: order.limitPricePaise,
    limitPrice: rupeesOrNull(order.limitPricePaise),
    triggerPricePaise: order.triggerPricePaise,
    triggerPrice: rupeesOrNull(order.triggerPricePaise),
    venueOrderId: order.venueOrderId,
    status: order.status,
    venueStatus: order.venueStatus,
    filledQty: order.filledQty,
    cancelledQty: order.cancelledQty,
    filledValuePaise: order.filledValuePaise,
    filledValue: rupees(order.filledValuePaise),
    averagePricePaise: average,
    averagePrice: rupeesOrNull(average),
    statusMessage: order.statusMessage,
    createdAt: formatIst(order.createdAt),
    updatedAt: formatIst(order.updatedAt),
  };
}

/** Returns the API form of a fill. */
export function fillRow(fill: Fill): FillRowBody {
  const value = mulPaise(fill.pricePaise, fill.qty);
  return {
    id: fill.id,
    clientOrderId: fill.clientOrderId,
    venueTradeId: fill.venueTradeId,
    accountId: fill.accountId,
    instrumentId: fill.instrumentId,
    product: fill.product,
    side: fill.side,
    qty: fill.qty,
    pricePaise: fill.pricePaise,
    price: rupees(fill.pricePaise),
    valuePaise: value,
    value: rupees(value),
    tsEvent: formatIst(fill.tsEvent),
    tsInit: formatIst(fill.tsInit),
  };
}

/** Returns the API form of a position. */
export function positionRow(position: Position): PositionRowBody {
  const average = averageOpenPricePaise(position);
  return {
    accountId: position.accountId,
    instrumentId: position.instrumentId,
    product: position.product,
    netQty: position.netQty,
    averagePricePaise: average,
    averagePrice: rupeesOrNull(average),
    costBasisPaise: position.costBasisPaise,
    costBasis: rupees(position.costBasisPaise),
    realisedPnlPaise: position.realisedPnlPaise,
    realisedPnl: rupees(position.realisedPnlPaise),
    updatedAt: formatIst(position.updatedAt),
  };
}

const readErrors = { 400: { $ref: 'ErrorBody#' }, 404: { $ref: 'ErrorBody#' } } as const;

/** Registers `GET /api/orders`, `GET /api/fills` and `GET /api/positions`. */
export function registerTradingReadRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const account = async (value: string | undefined): Promise<AccountId> => {
    // The guard has resolved the account (the caller's default when the query named none) and checked it.
    if (value === undefined) throw new Error('the auth guard did not resolve the account of a trading read');
    const id = accountOf(value);
    if ((await ctx.store.accounts.get(id)) === null) {
      throw new UnknownAccountError(`account ${id} does not exist`);
    }
    return id;
  };
  const day = (date: string | undefined) => istDayRange(date ?? istDate(ctx.clock.now()));

  app.get<{ Querystring: TradingDayQuery }>(
    '/api/orders',
    {
      config: { access: 'readonly', account: 'query' },
      schema: { querystring: TradingDayQuerySchema, response: { 200: OrdersResponseSchema, ...readErrors } },
    },
    async (request, reply) => {
      try {
        const { fromMs, toMs } = day(request.query.date);
        const id = await account(request.query.account);
        // Read inside the account's row-level security scope: other accounts' rows are invisible to the query.
        return (
          await withScopedStore(ctx.store.driver, id, (s) => s.orders.listBetween(id, fromMs, toMs))
        ).map(orderRow);
      } catch (error) {
        return replyTradingReadError(reply, error);
      }
    },
  );

  app.get<{ Querystring: TradingDayQuery }>(
    '/api/fills',
    {
      config: { access: 'readonly', account: 'query' },
      schema: { querystring: TradingDayQuerySchema, response: { 200: FillsResponseSchema, ...readErrors } },
    },
    async (request, reply) => {
      try {
        const { fromMs, toMs } = day(request.query.date);
        const id = await account(request.query.account);
        return (
          await withScopedStore(ctx.store.driver, id, (s) => s.fills.listBetween(id, fromMs, toMs))
        ).map(fillRow);
      } catch (error) {
        return replyTradingReadError(reply, error);
      }
    },
  );

  app.get<{ Querystring: PositionsQuery }>(
    '/api/positions',
    {
      config: { access: 'readonly', account: 'query' },
      schema: {
        querystring: PositionsQuerySchema,
        response: { 200: PositionsResponseSchema, ...readErrors },
      },
    },
    async (request, reply) => {
      try {
        const id = await account(request.query.account);
        return (await withScopedStore(ctx.store.driver, id, (s) => s.positions.list(id))).map(positionRow);
      } catch (error) {
        return replyTradingReadError(reply, error);
      }
    },
  );
}

/** An account id that is well formed but not stored. */
class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

function replyTradingReadError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof TradingQueryError) {
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
  }
  if (error instanceof UnknownAccountError) {
    return reply.status(404).send(errorBody('NOT_FOUND', error.message));
  }
  throw error;
}
