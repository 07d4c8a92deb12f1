// Market data routes: instruments CSV, quotes (§2.2 limits 500/1000/1000) and historical candles (§2.3).
import { inputError } from '../kite-api-error.ts';
import { candleTimestamp, kiteTimestamp, parseIstDateTime } from '../ist-format.ts';
import { instrumentsCsv } from '../market/instruments-csv.ts';
import { istDayNumber } from '../market/session-time.ts';
import {
  HISTORICAL_INTERVALS,
  type HistoricalInterval,
  type MarketSnapshot,
} from '../market/synthetic-market.ts';
import type { InstrumentModel } from '../market/universe.ts';
import { ok, type Route, type RouteRequest, type SimContext } from './route-types.ts';

/** Kite's per-request day ranges of historical intervals (§2.3). */
export const HISTORICAL_RANGE_DAYS: Readonly<Record<HistoricalInterval, number>> = {
  minute: 60,
  '3minute': 100,
  '5minute': 100,
  '10minute': 100,
  '15minute': 200,
  '30minute': 200,
  '60minute': 400,
  day: 2000,
};

function r(paise: number): number {
  return paise / 100;
}

function instrumentsResponse(ctx: SimContext, exchange: string | null) {
  const day = istDayNumber(ctx.clock.now());
  const list = ctx.market.instruments.filter((i) => exchange === null || i.exchange === exchange);
  const body = instrumentsCsv(list, (i) => {
    const model = ctx.market.modelByToken(i.instrumentToken);
    return model === undefined ? 0 : ctx.market.previousClose(model, day);
  });
  // Exactly `text/csv`: the official client parses the dump only on that exact content type (§8.8).
  return { raw: true, status: 200, contentType: 'text/csv', body } as const;
}

function quoteModels(ctx: SimContext, req: RouteRequest, limit: number): [string, InstrumentModel][] {
  const keys = req.query.getAll('i');
  if (keys.length === 0)
    throw inputError('Missing `i`: pass at least one instrument as EXCHANGE:TRADINGSYMBOL.');
  if (keys.length > limit) throw inputError(`Too many instruments: ${keys.length} (the limit is ${limit}).`);
  const out: [string, InstrumentModel][] = [];
  for (const key of keys) {
    const model = ctx.market.modelByKey(key);
    // Unknown instruments are simply absent from the response map (§2.2).
    if (model !== undefined) out.push([key, model]);
  }
  return out;
}

function ohlcJson(s: MarketSnapshot) {
  return { open: r(s.openPaise), high: r(s.highPaise), low: r(s.lowPaise), close: r(s.closePaise) };
}

function depthJson(levels: MarketSnapshot['buy']) {
  return levels.map((l) => ({ price: r(l.pricePaise), quantity: l.quantity, orders: l.orders }));
}

function fullQuote(s: MarketSnapshot): Record<string, unknown> {
  return {
    instrument_token: s.instrument.instrumentToken,
    timestamp: kiteTimestamp(s.exchangeTimestampMs),
    last_trade_time: kiteTimestamp(s.lastTradeTimeMs),
    last_price: r(s.lastPricePaise),
    last_quantity: s.lastQuantity,
    buy_quantity: s.buyQuantity,
    sell_quantity: s.sellQuantity,
    volume: s.volume,
    average_price: r(s.averagePricePaise),
    oi: s.oi,
    oi_day_high: s.oiDayHigh,
    oi_day_low: s.oiDayLow,
    net_change: r(s.lastPricePaise - s.closePaise),
    lower_circuit_limit: r(s.lowerCircuitPaise),
    upper_circuit_limit: r(s.upperCircuitPaise),
    ohlc: ohlcJson(s),
    depth: { buy: depthJson(s.buy), sell: depthJson(s.sell) },
  };
}

function flag(value: string | null, name: string): boolean {
  if (value === null || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw inputError(`Invalid \`${name}\` ${JSON.stringify(value)}: expected 0 or 1`);
}

function historical(ctx: SimContext, req: RouteRequest) {
  const [tokenText = '', intervalText = ''] = req.params;
  if (!(intervalText in HISTORICAL_INTERVALS)) throw inputError(`invalid interval: ${intervalText}`);
  const interval = intervalText as HistoricalInterval;
  const model = ctx.market.modelByToken(Number(tokenText));
  if (model === undefined) throw inputError(`invalid token: ${tokenText}`);
  const fromText = req.query.get('from') ?? '';
  const toText = req.query.get('to') ?? '';
  const from = parseIstDateTime(fromText);
  const to = parseIstDateTime(toText);
  if (from === null || to === null) {
    throw inputError(
      `invalid from/to: ${JSON.stringify(fromText)} / ${JSON.stringify(toText)} (yyyy-mm-dd hh:mm:ss)`,
    );
  }
  if (from > to) throw inputError(`invalid range: from ${fromText} is after to ${toText}`);
  const cap = HISTORICAL_RANGE_DAYS[interval];
  if (to - from > cap * 86_400_000) throw inputError(`interval exceeds max limit: ${cap} days`);
  const withOi = flag(req.query.get('oi'), 'oi');
  const continuous = flag(req.query.get('continuous'), 'continuous');
  if (continuous && model.instrument.expiry === null) {
    throw inputError(
      `continuous data is only available for futures and options, not ${model.instrument.tradingsymbol}`,
    );
  }
  const candles = ctx.market.candles(model, interval, from, to, ctx.clock.now(), continuous).map((c) => {
    const row: (string | number)[] = [
      candleTimestamp(c.startMs),
      r(c.open),
      r(c.high),
      r(c.low),
      r(c.close),
      c.volume,
    ];
    if (withOi) row.push(c.oi);
    return row;
  });
  return ok({ candles });
}

/** The market data routes. */
export const MARKET_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/instruments$/,
    rateClass: 'other',
    auth: 'none',
    handle: (ctx) => instrumentsResponse(ctx, null),
  },
  {
    method: 'GET',
    pattern: /^\/instruments\/historical\/([^/]+)\/([^/]+)$/,
    rateClass: 'historical',
    auth: 'token',
    handle: historical,
  },
  {
    method: 'GET',
    pattern: /^\/instruments\/([A-Z]+)$/,
    rateClass: 'other',
    auth: 'none',
    handle: (ctx, req) => instrumentsResponse(ctx, req.params[0] ?? ''),
  },
  {
    method: 'GET',
    pattern: /^\/quote$/,
    rateClass: 'quote',
    auth: 'token',
    handle: (ctx, req) => {
      const now = ctx.clock.now();
      return ok(
        Object.fromEntries(
          quoteModels(ctx, req, 500).map(([k, m]) => [k, fullQuote(ctx.market.snapshot(m, now))]),
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/quote\/ohlc$/,
    rateClass: 'quote',
    auth: 'token',
    handle: (ctx, req) => {
      const now = ctx.clock.now();
      return ok(
        Object.fromEntries(
          quoteModels(ctx, req, 1000).map(([k, m]) => {
            const s = ctx.market.snapshot(m, now);
            return [
              k,
              {
                instrument_token: s.instrument.instrumentToken,
                last_price: r(s.lastPricePaise),
                ohlc: ohlcJson(s),
              },
            ];
          }),
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/quote\/ltp$/,
    rateClass: 'quote',
    auth: 'token',
    handle: (ctx, req) => {
      const now = ctx.clock.now();
      return ok(
        Object.fromEntries(
          quoteModels(ctx, req, 1000).map(([k, m]) => {
            const s = ctx.market.snapshot(m, now);
            return [k, { instrument_token: s.instrument.instrumentToken, last_price: r(s.lastPricePaise) }];
          }),
        ),
      );
    },
  },
];
