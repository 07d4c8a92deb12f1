import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { BarRowSchema, TickRowSchema } from './market-data.ts';
import { FillRowSchema, OrderRowSchema, PositionRowSchema } from './trading.ts';

// The live stream `GET /api/live` (WebSocket). Every server → client message is one JSON text frame with a `type`
// discriminator and `seq`: 1 for the first message a connection receives, then +1 per message it receives (so a gap
// never happens; what the server coalesced or dropped is reported by a `dropped` message instead). Money in integer
// paise and as rupee strings; times in IST (and UTC where named `…Utc`).
//
// On connect the server sends `hello`, `connection`, then a snapshot of the account (positions, today's orders and
// fills, P&L, exposure, the kill switch or halt when set) with `snapshot: true`, then live messages. An order, fill or
// position may arrive twice around the snapshot: orders are keyed by clientOrderId, fills by id, positions by
// instrumentId × product, and the later message wins.

const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });
const UtcTime = Type.String({ description: 'UTC, ISO 8601 with Z' });
const PaiseValue = Type.Integer({ description: 'integer paise' });
const RupeeValue = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: 'rupees with two decimals' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Seq = Type.Integer({ minimum: 1, description: 'per connection: 1, 2, 3, … in the order received' });
const Snapshot = Type.Boolean({ description: 'true when sent as part of the snapshot on connect' });
const Namespace = Type.Union([Type.Literal('real'), Type.Literal('simulated')]);
const Mode = Type.Union([Type.Literal('paper'), Type.Literal('live')]);

/** The bar intervals a client may ask for. */
export const LIVE_BAR_INTERVALS = ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'] as const;

const Interval = Type.Union(
  LIVE_BAR_INTERVALS.map((i) => Type.Literal(i)),
  { description: 'bar interval' },
);

/** The most instruments one connection may watch. */
export const LIVE_MAX_INSTRUMENTS = 200;

/** `GET /api/live` query: the account whose orders, fills and P&L the connection receives. */
export const LiveQuerySchema = Type.Object(
  {
    account: Type.Optional(
      Type.String({
        minLength: 5,
        maxLength: 44,
        description: 'account id (acc_…); default: the caller’s default account',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/live`. */
export type LiveQuery = Static<typeof LiveQuerySchema>;

const msg = <K extends string, T extends Record<string, TSchema>>(type: K, fields: T) =>
  Type.Object(
    { seq: Seq, type: Type.Literal(type), ...fields },
    { additionalProperties: false, description: `the \`${type}\` message` },
  );

/** First message of a connection: server time, the account and what the stream can carry. */
export const LiveHelloSchema = msg('hello', {
  serverTime: UtcTime,
  serverTimeIst: IstTime,
  accountId: Type.String(),
  heartbeatSeconds: Type.Integer({ description: 'the server pings this often; answer with a pong frame' }),
  available: Type.Object(
    {
      trading: Type.Boolean({ description: 'a trading environment runs for this account' }),
      marketData: Type.Boolean({ description: 'live ticks and bars flow in this process' }),
      simulated: Type.Boolean({ description: 'the market is the simulator’s (show the banner)' }),
      barIntervals: Type.Array(Interval, { description: 'the intervals `subscribe.bars` accepts' }),
      maxInstruments: Type.Integer(),
    },
    { additionalProperties: false },
  ),
  snapshot: Type.Object(
    {
      positions: Type.Integer(),
      orders: Type.Integer(),
      fills: Type.Integer(),
      ordersOmitted: Type.Integer({ description: 'older orders of today not sent (read GET /api/orders)' }),
      fillsOmitted: Type.Integer({ description: 'older fills of today not sent (read GET /api/fills)' }),
    },
    { additionalProperties: false },
  ),
});

/** Today's P&L of the account and the daily loss cap it counts against. */
export const LivePnlSchema = msg('pnl', {
  snapshot: Snapshot,
  accountId: Type.String(),
  realisedPaise: PaiseValue,
  realised: RupeeValue,
  unrealisedPaise: PaiseValue,
  unrealised: RupeeValue,
  chargesPaise: PaiseValue,
  charges: RupeeValue,
  netPaise: Type.Integer({ description: 'realised − charges + unrealised' }),
  net: RupeeValue,
  lossCapPaise: PaiseValue,
  lossCap: RupeeValue,
  lossCapUsedPaise: Type.Integer({ description: 'max(0, −net): how much of the cap the day has used' }),
  lossCapUsed: RupeeValue,
  at: IstTime,
});

/** One instrument's part of the exposure. */
export const LiveExposureRowSchema = Type.Object(
  {
    instrumentId: Type.String(),
    netQty: Type.Integer(),
    markPaise: Nullable(PaiseValue),
    exposurePaise: PaiseValue,
    exposure: RupeeValue,
    unrealisedPaise: Nullable(PaiseValue),
    unrealised: Nullable(RupeeValue),
  },
  { additionalProperties: false },
);

/** The account's open exposure and paper margin. */
export const LiveExposureSchema = msg('exposure', {
  snapshot: Snapshot,
  accountId: Type.String(),
  totalPaise: PaiseValue,
  total: RupeeValue,
  marginUsedPaise: PaiseValue,
  marginUsed: RupeeValue,
  marginAvailablePaise: Nullable(PaiseValue),
  marginAvailable: Nullable(RupeeValue),
  openPositions: Type.Integer(),
  instruments: Type.Array(LiveExposureRowSchema),
  at: IstTime,
});

/** An order after an event (as `GET /api/orders` shows it). */
export const LiveOrderSchema = msg('order', {
  snapshot: Snapshot,
  event: Nullable(Type.String({ description: 'the order event, e.g. OrderAccepted, OrderFilled' })),
  order: OrderRowSchema,
});

/** A fill (as `GET /api/fills` shows it). */
export const LiveFillSchema = msg('fill', { snapshot: Snapshot, fill: FillRowSchema });

/** A position after a fill (as `GET /api/positions` shows it). */
export const LivePositionSchema = msg('position', { snapshot: Snapshot, position: PositionRowSchema });

/** A risk alert, halt, kill switch change, denial or degradation. */
export const LiveAlertSchema = msg('alert', {
  snapshot: Snapshot,
  level: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
  code: Type.String({
    description:
      'the engine’s alert code (e.g. loss-cap-hit, strategy-halted, kill-switch, trading-halted, ' +
      'trading-resumed, preflight-failed, degraded-to-paper, broker-disconnected, kernel-stopped) or ' +
      'order-denied (a risk denial)',
  }),
  message: Type.String(),
  strategyId: Nullable(Type.String()),
  at: IstTime,
  atUtc: UtcTime,
});

/** The state of the market feed and of trading; `simulated` true means: show the simulated-market banner. */
export const LiveConnectionSchema = msg('connection', {
  simulated: Type.Boolean({ description: 'market data or trading is simulated: show the banner' }),
  market: Type.Object(
    {
      running: Type.Boolean(),
      namespace: Nullable(Namespace),
      ticker: Type.String({ description: 'open, connecting, waiting, …, or none without a feed' }),
      connections: Type.Record(Type.String(), Type.Integer(), {
        description: 'ticker connections by state',
      }),
    },
    { additionalProperties: false },
  ),
  trading: Type.Object(
    {
      running: Type.Boolean({ description: 'a trading environment runs for this account' }),
      mode: Nullable(Mode),
      simulated: Type.Boolean(),
      runId: Nullable(Type.String()),
      broker: Nullable(
        Type.String({
          description: 'paper (orders never reach a broker), connected, disconnected or session-expired',
        }),
      ),
      degraded: Nullable(Type.String({ description: 'why live orders go to paper, while they do' })),
      killSwitch: Type.Boolean(),
      halted: Nullable(Type.String({ description: 'why the account is halted today' })),
    },
    { additionalProperties: false },
  ),
  at: IstTime,
});

/** The latest tick of a subscribed instrument. */
export const LiveTickSchema = msg('tick', { tick: TickRowSchema });

/** A closed bar of a subscribed instrument and interval. */
export const LiveBarSchema = msg('bar', { bar: BarRowSchema });

/** Messages coalesced (an older tick/bar/P&L replaced by a newer one) since the previous `dropped`. */
export const LiveDroppedSchema = msg('dropped', {
  count: Type.Integer({ minimum: 1 }),
  byType: Type.Record(Type.String(), Type.Integer()),
  total: Type.Integer({ description: 'since the connection opened' }),
});

/** The codes of a live `error` message. */
export const LIVE_ERROR_CODES = ['BAD_MESSAGE', 'UNAVAILABLE'] as const;

/** A client message the server refused; the connection stays open. */
export const LiveErrorSchema = msg('error', {
  code: Type.Union(LIVE_ERROR_CODES.map((c) => Type.Literal(c))),
  message: Type.String(),
  details: Type.Unknown(),
});

/** The answer to a client `ping`. */
export const LivePongSchema = msg('pong', {
  id: Nullable(Type.Union([Type.String(), Type.Number()])),
  serverTime: UtcTime,
});

/** Every server → client message. */
export const LiveServerMessageSchema = Type.Union([
  LiveHelloSchema,
  LivePnlSchema,
  LiveExposureSchema,
  LiveOrderSchema,
  LiveFillSchema,
  LivePositionSchema,
  LiveAlertSchema,
  LiveConnectionSchema,
  LiveTickSchema,
  LiveBarSchema,
  LiveDroppedSchema,
  LiveErrorSchema,
  LivePongSchema,
]);

/** A server → client message. */
export type LiveServerMessage = Static<typeof LiveServerMessageSchema>;
/** The `type` of a server → client message. */
export type LiveServerMessageType = LiveServerMessage['type'];
/** The server → client message of one type. */
export type LiveMessageOf<T extends LiveServerMessageType> = Extract<LiveServerMessage, { type: T }>;

const InstrumentRef = Type.String({
  minLength: 3,
  maxLength: 60,
  description: 'EXCHANGE:SYMBOL (NSE:INFY) or SYMBOL.EXCHANGE (INFY.NSE)',
});

/** Client → server: watch instruments' ticks, and their bars of the given intervals. */
export const LiveSubscribeSchema = Type.Object(
  {
    type: Type.Literal('subscribe'),
    instruments: Type.Array(InstrumentRef, { minItems: 1, maxItems: LIVE_MAX_INSTRUMENTS }),
    bars: Type.Optional(Type.Array(Interval, { maxItems: LIVE_BAR_INTERVALS.length, uniqueItems: true })),
  },
  { additionalProperties: false },
);

/** Client → server: stop watching instruments (ticks and bars). */
export const LiveUnsubscribeSchema = Type.Object(
  {
    type: Type.Literal('unsubscribe'),
    instruments: Type.Array(InstrumentRef, { minItems: 1, maxItems: LIVE_MAX_INSTRUMENTS }),
  },
  { additionalProperties: false },
);

/** Client → server: the server answers `pong` with the same id. */
export const LivePingSchema = Type.Object(
  {
    type: Type.Literal('ping'),
    id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Number()])),
  },
  { additionalProperties: false },
);

/** Every client → server message. */
export const LiveClientMessageSchema = Type.Union([
  LiveSubscribeSchema,
  LiveUnsubscribeSchema,
  LivePingSchema,
]);

/** A client → server message. */
export type LiveClientMessage = Static<typeof LiveClientMessageSchema>;
