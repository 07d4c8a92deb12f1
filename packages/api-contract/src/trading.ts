import { Type, type Static } from '@sinclair/typebox';

// Reads of the trading records: orders and fills of one IST day, and the current positions, of one account. Money is
// given twice: integer paise (`…Paise`, exact) and a rupee string with two decimals (`…`, for display).

const AccountParam = Type.String({
  minLength: 5,
  maxLength: 44,
  description: 'account id (acc_…); default: the configured trading account',
});

const DateParam = Type.String({
  minLength: 1,
  maxLength: 20,
  description: 'IST calendar date YYYY-MM-DD; default: today in IST',
});

/** `GET /api/orders` and `GET /api/fills` query. */
export const TradingDayQuerySchema = Type.Object(
  { date: Type.Optional(DateParam), account: Type.Optional(AccountParam) },
  { additionalProperties: false },
);

/** The query of `GET /api/orders` and `GET /api/fills`. */
export type TradingDayQuery = Static<typeof TradingDayQuerySchema>;

/** `GET /api/positions` query. */
export const PositionsQuerySchema = Type.Object(
  { account: Type.Optional(AccountParam) },
  { additionalProperties: false },
);

/** The query of `GET /api/positions`. */
export type PositionsQuery = Static<typeof PositionsQuerySchema>;

const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });
const PaiseValue = Type.Integer({ description: 'integer paise' });
const RupeeValue = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: 'rupees with two decimals' });
const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(t: T) =>
  Type.Union([t, Type.Null()]);
const Side = Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]);
const Product = Type.Union(['MIS', 'CNC', 'NRML', 'MTF'].map((p) => Type.Literal(p)));

/** One order: its current state. */
export const OrderRowSchema = Type.Object(
  {
    clientOrderId: Type.String(),
    intentId: Type.String(),
    accountId: Type.String(),
    strategyId: Type.String(),
    runId: Type.String(),
    instrumentId: Type.String(),
    side: Side,
    qty: Type.Integer(),
    orderType: Type.Union(['MARKET', 'LIMIT', 'SL', 'SL-M'].map((t) => Type.Literal(t))),
    product: Product,
    validity: Type.Union(['DAY', 'IOC', 'TTL'].map((v) => Type.Literal(v))),
    variety: Type.String(),
    limitPricePaise: Nullable(PaiseValue),
    limitPrice: Nullable(RupeeValue),
    triggerPricePaise: Nullable(PaiseValue),
    triggerPrice: Nullable(RupeeValue),
    venueOrderId: Nullable(Type.String()),
    status: Type.String({
      description: 'order state: INITIALIZED, SUBMITTED, OPEN, …, FILLED, CANCELLED, …',
    }),
    venueStatus: Nullable(Type.String()),
    filledQty: Type.Integer(),
    cancelledQty: Type.Integer(),
    filledValuePaise: PaiseValue,
    filledValue: RupeeValue,
    averagePricePaise: Nullable(PaiseValue),
    averagePrice: Nullable(RupeeValue),
    statusMessage: Nullable(Type.String()),
    createdAt: IstTime,
    updatedAt: IstTime,
  },
  { additionalProperties: false },
);

/** An order as the API returns it. */
export type OrderRowBody = Static<typeof OrderRowSchema>;

/** `GET /api/orders`: the orders created on the day, oldest first. */
export const OrdersResponseSchema = Type.Array(OrderRowSchema);

/** One fill (an executed trade). */
export const FillRowSchema = Type.Object(
  {
    id: Type.String(),
    clientOrderId: Type.String(),
    venueTradeId: Type.String(),
    accountId: Type.String(),
    instrumentId: Type.String(),
    product: Product,
    side: Side,
    qty: Type.Integer(),
    pricePaise: PaiseValue,
    price: RupeeValue,
    valuePaise: PaiseValue,
    value: RupeeValue,
    tsEvent: IstTime,
    tsInit: IstTime,
  },
  { additionalProperties: false },
);

/** A fill as the API returns it. */
export type FillRowBody = Static<typeof FillRowSchema>;

/** `GET /api/fills`: the fills executed on the day, oldest first. */
export const FillsResponseSchema = Type.Array(FillRowSchema);

/** One position per account × instrument × product; flat ones carry their realised P&L. */
export const PositionRowSchema = Type.Object(
  {
    accountId: Type.String(),
    instrumentId: Type.String(),
    product: Product,
    netQty: Type.Integer({ description: 'signed: > 0 long, < 0 short' }),
    averagePricePaise: Nullable(PaiseValue),
    averagePrice: Nullable(RupeeValue),
    costBasisPaise: PaiseValue,
    costBasis: RupeeValue,
    realisedPnlPaise: PaiseValue,
    realisedPnl: RupeeValue,
    updatedAt: IstTime,
  },
  { additionalProperties: false },
);

/** A position as the API returns it. */
export type PositionRowBody = Static<typeof PositionRowSchema>;

/** `GET /api/positions`: the account's positions by instrument and product. */
export const PositionsResponseSchema = Type.Array(PositionRowSchema);
