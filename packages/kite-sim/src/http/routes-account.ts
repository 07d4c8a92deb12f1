// Account routes: profile, margins, positions, holdings, conversion, order/basket margins, contract note, GTT.
import { inputError } from '../kite-api-error.ts';
import { chargesJson, orderCharges, type OrderCharges } from '../matching/charges.ts';
import { marginFor } from '../matching/margin-model.ts';
import type { PriceLookup } from '../matching/portfolio.ts';
import type { Product, Side } from '../matching/sim-order.ts';
import type { SimInstrument } from '../market/sim-instrument.ts';
import { ok, type Route, type RouteRequest, type SimContext } from './route-types.ts';

function prices(ctx: SimContext): PriceLookup {
  const now = ctx.clock.now();
  return (instrument) => {
    const model = ctx.market.modelByToken(instrument.instrumentToken);
    if (model === undefined) return { last: 0, close: 0 };
    const s = ctx.market.snapshot(model, now);
    return { last: s.lastPricePaise, close: s.closePaise };
  };
}

function marginsSegment(ctx: SimContext): Record<string, unknown> {
  const now = ctx.clock.now();
  const available = ctx.book.availableMargin(now);
  const used = ctx.cashPaise - available;
  const pnl = ctx.portfolio.pnl(prices(ctx));
  return {
    enabled: true,
    net: available / 100,
    available: {
      adhoc_margin: 0,
      cash: ctx.cashPaise / 100,
      opening_balance: ctx.cashPaise / 100,
      live_balance: available / 100,
      collateral: 0,
      intraday_payin: 0,
    },
    utilised: {
      debits: used / 100,
      exposure: 0,
      m2m_realised: pnl.realised / 100,
      m2m_unrealised: pnl.unrealised / 100,
      option_premium: 0,
      payout: 0,
      span: 0,
      holding_sales: 0,
      turnover: 0,
      liquid_collateral: 0,
      stock_collateral: 0,
      delivery: 0,
    },
  };
}

const DISABLED_SEGMENT = {
  enabled: false,
  net: 0,
  available: {
    adhoc_margin: 0,
    cash: 0,
    opening_balance: 0,
    live_balance: 0,
    collateral: 0,
    intraday_payin: 0,
  },
  utilised: {
    debits: 0,
    exposure: 0,
    m2m_realised: 0,
    m2m_unrealised: 0,
    option_premium: 0,
    payout: 0,
    span: 0,
    holding_sales: 0,
    turnover: 0,
    liquid_collateral: 0,
    stock_collateral: 0,
    delivery: 0,
  },
};

interface BasketLine {
  readonly instrument: SimInstrument;
  readonly side: Side;
  readonly product: Product;
  readonly quantity: number;
  readonly pricePaise: number;
  readonly raw: Record<string, unknown>;
}

function basketLines(
  ctx: SimContext,
  req: RouteRequest,
  priceField: 'price' | 'average_price',
): BasketLine[] {
  if (!Array.isArray(req.json)) throw inputError('The body must be a JSON array of orders.');
  const now = ctx.clock.now();
  return req.json.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw inputError(`order ${i} is not an object`);
    const o = item as Record<string, unknown>;
    const model = ctx.market.modelByKey(`${String(o['exchange'])}:${String(o['tradingsymbol'])}`);
    if (model === undefined)
      throw inputError(
        `order ${i}: unknown instrument ${String(o['exchange'])}:${String(o['tradingsymbol'])}`,
      );
    const side = o['transaction_type'];
    if (side !== 'BUY' && side !== 'SELL')
      throw inputError(`order ${i}: invalid transaction_type ${String(side)}`);
    const quantity = Number(o['quantity']);
    if (!Number.isSafeInteger(quantity) || quantity <= 0)
      throw inputError(`order ${i}: invalid quantity ${String(o['quantity'])}`);
    const given = Math.round(Number(o[priceField] ?? 0) * 100);
    const pricePaise = given > 0 ? given : ctx.market.snapshot(model, now).lastPricePaise;
    const product = String(o['product'] ?? 'MIS') as Product;
    return { instrument: model.instrument, side, product, quantity, pricePaise, raw: o };
  });
}

function sumCharges(list: readonly OrderCharges[]): OrderCharges {
  const keys = ['brokerage', 'stt', 'exchange', 'sebi', 'stamp', 'gst', 'total'] as const;
  const out = { brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 0 };
  for (const c of list) for (const k of keys) out[k] += c[k];
  return out;
}

function marginJson(line: BasketLine | null, parts: ReturnType<typeof marginFor>, charges: OrderCharges) {
  return {
    type: 'equity',
    tradingsymbol: line?.instrument.tradingsymbol ?? '',
    exchange: line?.instrument.exchange ?? '',
    span: parts.span / 100,
    exposure: parts.exposure / 100,
    option_premium: parts.optionPremium / 100,
    additional: 0,
    bo: 0,
    cash: 0,
    var: parts.varMargin / 100,
    pnl: { realised: 0, unrealised: 0 },
    leverage: 1,
    charges: chargesJson(charges),
    total: parts.total / 100,
  };
}

function orderMargins(ctx: SimContext, req: RouteRequest) {
  return basketLines(ctx, req, 'price').map((line) => {
    const parts = marginFor(line.instrument, line.product, line.side, line.quantity, line.pricePaise);
    return {
      line,
      parts,
      charges: orderCharges(line.instrument, line.product, line.side, line.quantity, line.pricePaise),
    };
  });
}

function gttId(req: RouteRequest): number {
  const id = Number(req.params[0]);
  if (!Number.isSafeInteger(id)) throw inputError(`Invalid trigger id ${String(req.params[0])}`);
  return id;
}

/** The account routes. */
export const ACCOUNT_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/user\/profile$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) =>
      ok({
        user_id: req.session?.userId ?? ctx.userId,
        user_type: 'individual',
        email: 'sim.trader@kitepilot.invalid',
        user_name: 'SIM Trader',
        user_shortname: 'SIM',
        broker: 'ZERODHA',
        exchanges: ['NSE', 'NFO'],
        products: ['CNC', 'NRML', 'MIS', 'CO'],
        order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
        avatar_url: null,
        meta: { demat_consent: 'consent' },
      }),
  },
  {
    method: 'GET',
    pattern: /^\/user\/margins$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx) => ok({ equity: marginsSegment(ctx), commodity: DISABLED_SEGMENT }),
  },
  {
    method: 'GET',
    pattern: /^\/user\/margins\/([a-z]+)$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => {
      const segment = req.params[0];
      if (segment === 'equity') return ok(marginsSegment(ctx));
      if (segment === 'commodity') return ok(DISABLED_SEGMENT);
      throw inputError(`Invalid segment ${String(segment)}: expected equity or commodity`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/portfolio\/positions$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx) => ok(ctx.portfolio.positionsJson(prices(ctx))),
  },
  {
    method: 'PUT',
    pattern: /^\/portfolio\/positions$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => {
      const f = req.form;
      const model = ctx.market.modelByKey(`${f['exchange'] ?? ''}:${f['tradingsymbol'] ?? ''}`);
      if (model === undefined)
        throw inputError(`Unknown instrument ${f['exchange'] ?? ''}:${f['tradingsymbol'] ?? ''}`);
      const side = f['transaction_type'];
      if (side !== 'BUY' && side !== 'SELL') throw inputError(`Invalid \`transaction_type\` ${String(side)}`);
      if (f['position_type'] !== 'day' && f['position_type'] !== 'overnight') {
        throw inputError(`Invalid \`position_type\` ${String(f['position_type'])}`);
      }
      if (f['position_type'] === 'overnight')
        throw inputError('The simulator carries no overnight positions.');
      ctx.portfolio.convert(
        model.instrument,
        side,
        Number(f['quantity']),
        String(f['old_product']) as Product,
        String(f['new_product']) as Product,
      );
      return ok(true);
    },
  },
  {
    method: 'GET',
    pattern: /^\/portfolio\/holdings$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx) => ok(ctx.portfolio.holdingsJson(prices(ctx))),
  },
  {
    method: 'GET',
    pattern: /^\/portfolio\/holdings\/auctions$/,
    rateClass: 'other',
    auth: 'token',
    handle: () => ok([]),
  },
  {
    method: 'POST',
    pattern: /^\/margins\/orders$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => ok(orderMargins(ctx, req).map((m) => marginJson(m.line, m.parts, m.charges))),
  },
  {
    method: 'POST',
    pattern: /^\/margins\/basket$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => {
      const margins = orderMargins(ctx, req);
      const total = margins.reduce(
        (s, m) => ({
          span: s.span + m.parts.span,
          exposure: s.exposure + m.parts.exposure,
          optionPremium: s.optionPremium + m.parts.optionPremium,
          varMargin: s.varMargin + m.parts.varMargin,
          total: s.total + m.parts.total,
        }),
        { span: 0, exposure: 0, optionPremium: 0, varMargin: 0, total: 0 },
      );
      const charges = sumCharges(margins.map((m) => m.charges));
      return ok({
        initial: marginJson(null, total, charges),
        final: marginJson(null, total, charges),
        orders: margins.map((m) => marginJson(m.line, m.parts, m.charges)),
        charges: chargesJson(charges),
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/charges\/orders$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) =>
      ok(
        basketLines(ctx, req, 'average_price').map((line) => ({
          transaction_type: line.side,
          tradingsymbol: line.instrument.tradingsymbol,
          exchange: line.instrument.exchange,
          variety: line.raw['variety'] ?? 'regular',
          product: line.product,
          order_type: line.raw['order_type'] ?? 'MARKET',
          quantity: line.quantity,
          price: line.pricePaise / 100,
          charges: chargesJson(
            orderCharges(line.instrument, line.product, line.side, line.quantity, line.pricePaise),
          ),
        })),
      ),
  },
  {
    method: 'GET',
    pattern: /^\/gtt\/triggers$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx) => ok(ctx.gtt.list()),
  },
  {
    method: 'POST',
    pattern: /^\/gtt\/triggers$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) =>
      ok({
        trigger_id: ctx.gtt.place(req.form, (k) => ctx.market.modelByKey(k)?.instrument, ctx.clock.now()),
      }),
  },
  {
    method: 'GET',
    pattern: /^\/gtt\/triggers\/([0-9]+)$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => ok(ctx.gtt.get(gttId(req))),
  },
  {
    method: 'PUT',
    pattern: /^\/gtt\/triggers\/([0-9]+)$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) =>
      ok({
        trigger_id: ctx.gtt.modify(
          gttId(req),
          req.form,
          (k) => ctx.market.modelByKey(k)?.instrument,
          ctx.clock.now(),
        ),
      }),
  },
  {
    method: 'DELETE',
    pattern: /^\/gtt\/triggers\/([0-9]+)$/,
    rateClass: 'other',
    auth: 'token',
    handle: (ctx, req) => ok({ trigger_id: ctx.gtt.delete(gttId(req), ctx.clock.now()) }),
  },
];
