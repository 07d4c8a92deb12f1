// Order routes (kite-connect.md §2.2, §2.4): place, modify, cancel/exit, orderbook, history and trades.
import { parseModifyRequest, parsePlaceRequest } from '../matching/order-request.ts';
import { ok, type Route } from './route-types.ts';

/** The order routes. */
export const ORDER_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: /^\/orders\/([a-z]+)$/,
    rateClass: 'orders',
    auth: 'token',
    handle: (ctx, req) => {
      const request = parsePlaceRequest(
        req.params[0] ?? '',
        req.form,
        (key) => ctx.market.modelByKey(key)?.instrument,
      );
      return ok({ order_id: ctx.book.place(request, ctx.clock.now()) });
    },
  },
  {
    method: 'PUT',
    pattern: /^\/orders\/([a-z]+)\/([0-9]+)$/,
    rateClass: 'orders',
    auth: 'token',
    handle: (ctx, req) =>
      ok({ order_id: ctx.book.modify(req.params[1] ?? '', parseModifyRequest(req.form), ctx.clock.now()) }),
  },
  {
    method: 'DELETE',
    pattern: /^\/orders\/([a-z]+)\/([0-9]+)$/,
    rateClass: 'orders',
    auth: 'token',
    handle: (ctx, req) => ok({ order_id: ctx.book.cancel(req.params[1] ?? '', ctx.clock.now()) }),
  },
  {
    method: 'GET',
    pattern: /^\/orders$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx) => ok(ctx.book.orders()),
  },
  {
    method: 'GET',
    pattern: /^\/orders\/([0-9]+)$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => ok(ctx.book.history(req.params[0] ?? '')),
  },
  {
    method: 'GET',
    pattern: /^\/orders\/([0-9]+)\/trades$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => ok(ctx.book.orderTrades(req.params[0] ?? '')),
  },
  {
    method: 'GET',
    pattern: /^\/trades$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx) => ok(ctx.book.trades()),
  },
];
