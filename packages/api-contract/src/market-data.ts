import { Type, type Static } from '@sinclair/typebox';

const Namespace = Type.Union([Type.Literal('real'), Type.Literal('simulated')], {
  default: 'real',
  description: "market data namespace: 'real' (broker data) or 'simulated' (the Kite simulator's)",
});

const Bound = (edge: string) =>
  Type.String({
    minLength: 10,
    maxLength: 40,
    description:
      `${edge}: YYYY-MM-DD (IST; as 'to' the whole day is included), YYYY-MM-DDTHH:MM[:SS] (IST) ` +
      'or ISO 8601 with Z or an offset',
  });

const SymbolParam = Type.String({
  minLength: 3,
  maxLength: 60,
  description: 'EXCHANGE:SYMBOL (NSE:INFY) or SYMBOL.EXCHANGE (INFY.NSE)',
});

const Limit = Type.Integer({
  minimum: 1,
  maximum: 100_000,
  default: 10_000,
  description:
    'the most rows returned; a range holding more is refused with 422 (narrow from/to or raise it)',
});

const Interval = Type.Union(
  ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'].map((i) => Type.Literal(i)),
  { description: 'bar interval' },
);

/** `GET /api/ticks` query. */
export const TicksQuerySchema = Type.Object(
  { symbol: SymbolParam, from: Bound('from'), to: Bound('to'), namespace: Namespace, limit: Limit },
  { additionalProperties: false },
);

/** The query of `GET /api/ticks`. */
export type TicksQuery = Static<typeof TicksQuerySchema>;

/** `GET /api/candles` query. */
export const CandlesQuerySchema = Type.Object(
  {
    symbol: SymbolParam,
    interval: Interval,
    from: Bound('from'),
    to: Bound('to'),
    namespace: Namespace,
    limit: Limit,
  },
  { additionalProperties: false },
);

/** The query of `GET /api/candles`. */
export type CandlesQuery = Static<typeof CandlesQuerySchema>;

const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Int = () => Type.Integer();
const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });
const DepthLevel = Type.Object(
  { pricePaise: Type.Integer(), qty: Type.Integer(), orders: Type.Integer() },
  { additionalProperties: false },
);

/** One stored tick: the field names of `Tick` plus `instrumentId`; prices in paise; times in IST. */
export const TickRowSchema = Type.Object(
  {
    instrumentId: Type.String(),
    token: Type.Integer(),
    tradable: Type.Boolean(),
    mode: Type.Union([Type.Literal('ltp'), Type.Literal('quote'), Type.Literal('full')]),
    lastPricePaise: Type.Integer(),
    lastTradedQty: Nullable(Int()),
    avgTradedPricePaise: Nullable(Int()),
    volume: Nullable(Int()),
    totalBuyQty: Nullable(Int()),
    totalSellQty: Nullable(Int()),
    openPaise: Nullable(Int()),
    highPaise: Nullable(Int()),
    lowPaise: Nullable(Int()),
    closePaise: Nullable(Int()),
    changePaise: Nullable(Int()),
    lastTradeTime: Type.Union([IstTime, Type.Null()]),
    oi: Nullable(Int()),
    oiDayHigh: Nullable(Int()),
    oiDayLow: Nullable(Int()),
    exchangeTs: Type.Union([IstTime, Type.Null()]),
    depth: Type.Union([
      Type.Object(
        { bids: Type.Array(DepthLevel), asks: Type.Array(DepthLevel) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    tsInit: IstTime,
  },
  { additionalProperties: false },
);

/** A tick as the API returns it. */
export type TickRowBody = Static<typeof TickRowSchema>;

/** `GET /api/ticks`: the ticks of the range, oldest first. */
export const TicksResponseSchema = Type.Array(TickRowSchema);

/** One stored bar: the field names of `Bar`; prices in paise; `start` in IST. */
export const BarRowSchema = Type.Object(
  {
    instrumentId: Type.String(),
    interval: Interval,
    start: IstTime,
    openPaise: Type.Integer(),
    highPaise: Type.Integer(),
    lowPaise: Type.Integer(),
    closePaise: Type.Integer(),
    volume: Type.Integer(),
    oi: Nullable(Int()),
    origin: Type.Union([Type.Literal('live'), Type.Literal('historical'), Type.Literal('repaired')]),
  },
  { additionalProperties: false },
);

/** A bar as the API returns it. */
export type BarRowBody = Static<typeof BarRowSchema>;

/** `GET /api/candles`: the bars starting in the range, oldest first. */
export const CandlesResponseSchema = Type.Array(BarRowSchema);
