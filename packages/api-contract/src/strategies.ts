import { Type, type Static } from '@sinclair/typebox';
import { PageCursorParam, PageLimitParam, PageSchema } from './pagination.ts';

// Stored strategy definitions: a registered built-in strategy on one instrument with its parameters. Every
// definition must carry a stop-loss (the strategy's stop parameter, given explicitly); an enabled one runs from the
// next trading start.

const Account = Type.String({
  minLength: 5,
  maxLength: 44,
  description: "account id (acc_…); default: the caller's default account",
});

/** The account query of the strategy routes. */
export const StrategyAccountQuerySchema = Type.Object(
  { account: Type.Optional(Account) },
  { additionalProperties: false },
);

/** The account query of the strategy routes. */
export type StrategyAccountQuery = Static<typeof StrategyAccountQuerySchema>;

/** `GET /api/strategies` query. */
export const StrategiesQuerySchema = Type.Object(
  {
    account: Type.Optional(Account),
    limit: Type.Optional(PageLimitParam),
    cursor: Type.Optional(PageCursorParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/strategies`. */
export type StrategiesQuery = Static<typeof StrategiesQuerySchema>;

/** The strategy id pattern, `str_…`. */
export const STRATEGY_ID_PATTERN = '^str_[0-9A-Za-z]{1,40}$';

/** `/api/strategies/:id…` path parameters. */
export const StrategyIdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 60, description: 'the strategy id, str_…' }) },
  { additionalProperties: false },
);

/** The path parameters of `/api/strategies/:id`. */
export type StrategyIdParams = Static<typeof StrategyIdParamsSchema>;

const fields = {
  kind: Type.String({
    minLength: 1,
    maxLength: 60,
    description: 'a registered built-in strategy: orb, sma-cross, time-window, vwap-reversion',
  }),
  instrument: Type.String({
    minLength: 1,
    maxLength: 60,
    description: 'the instrument traded: EXCHANGE:SYMBOL (NSE:INFY) or SYMBOL.EXCHANGE',
  }),
  qty: Type.Integer({
    minimum: 1,
    maximum: 10_000_000,
    description: 'units per entry (a lot multiple for F&O)',
  }),
  product: Type.Union([Type.Literal('MIS'), Type.Literal('CNC'), Type.Literal('NRML')]),
  params: Type.Record(
    Type.String({ maxLength: 60 }),
    Type.Union([Type.Number(), Type.String(), Type.Boolean()]),
    {
      description:
        "the strategy's other parameters, checked by its own parser; the stop-loss parameter is required " +
        '(sma-cross and vwap-reversion: stopPct; time-window: stopLossPct; orb: its stop is the far side of the range)',
    },
  ),
  enabled: Type.Optional(Type.Boolean({ description: 'runs from the next trading start; default false' })),
};

/** `POST /api/strategies` body. */
export const StrategyCreateBodySchema = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: STRATEGY_ID_PATTERN, description: 'default: generated' })),
    ...fields,
  },
  { additionalProperties: false },
);

/** The body of `POST /api/strategies`. */
export type StrategyCreateBody = Static<typeof StrategyCreateBodySchema>;

/** `PUT /api/strategies/:id` body: the whole definition again (`enabled` kept when absent). */
export const StrategyUpdateBodySchema = Type.Object(fields, { additionalProperties: false });

/** The body of `PUT /api/strategies/:id`. */
export type StrategyUpdateBody = Static<typeof StrategyUpdateBodySchema>;

const ParamValue = Type.Union([Type.Number(), Type.String(), Type.Boolean()]);

/** A stored strategy definition. */
export const StrategySchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    kind: Type.String(),
    instrumentId: Type.String({ description: 'SYMBOL.EXCHANGE' }),
    instrument: Type.String({ description: 'EXCHANGE:SYMBOL' }),
    qty: Type.Integer(),
    product: Type.String(),
    params: Type.Record(Type.String(), ParamValue, { description: 'as given (validated)' }),
    stopLoss: Type.Object(
      {
        param: Type.Union([Type.String(), Type.Null()], {
          description: 'the parameter that sets the stop, or null when the strategy places it by its rules',
        }),
        value: Type.Union([ParamValue, Type.Null()]),
        description: Type.String(),
      },
      { additionalProperties: false },
    ),
    enabled: Type.Boolean(),
    kernelState: Type.Union(
      [
        Type.Literal('added'),
        Type.Literal('running'),
        Type.Literal('halted'),
        Type.Literal('stopped'),
        Type.Null(),
      ],
      { description: 'its state in the running trading, or null when it does not run there' },
    ),
    createdAt: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
    updatedAt: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
  },
  { additionalProperties: false },
);

/** A strategy definition as the API returns it. */
export type StrategyBody = Static<typeof StrategySchema>;

/** `GET /api/strategies`: a page of the account's definitions by id. */
export const StrategiesPageSchema = PageSchema(StrategySchema);

/** A page of strategy definitions. */
export type StrategiesPage = Static<typeof StrategiesPageSchema>;
