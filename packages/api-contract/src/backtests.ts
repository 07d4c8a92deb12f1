import { Type, type Static, type TSchema } from '@sinclair/typebox';

// Backtest runs over the API: the list of stored runs, one run's full result, its HTML report, a comparison of runs,
// starting a run in the server process and deleting a result. Money is integer paise (`…Paise`), with a rupee string
// beside the list's key figures; times are UTC epoch ms inside a result document and IST ISO 8601 strings elsewhere.

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });
const JsonObject = Type.Record(Type.String(), Type.Unknown());
/** A string of a closed set, validated as a JSON Schema enum (one clear message instead of one per literal). */
const StringEnum = <const T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>(Type.String({ enum: [...values], ...options }));

/** The body pattern of a run id: `run_` and 1–40 letters or digits. */
export const RUN_ID_PATTERN = '^run_[0-9A-Za-z]{1,40}$';

/** Where a backtest run stands: `queued` and `running` only while this server works on it. */
export const BACKTEST_STATUSES = ['queued', 'running', 'completed', 'failed', 'aborted'] as const;

/** One of BACKTEST_STATUSES. */
export type BacktestStatus = (typeof BACKTEST_STATUSES)[number];

/** The fields of a POST /api/backtests body (unknown fields are refused, not dropped). */
export const BACKTEST_REQUEST_FIELDS = [
  'data',
  'symbol',
  'interval',
  'strategy',
  'params',
  'qty',
  'product',
  'cashRupees',
  'charges',
  'fill',
  'slippage',
  'latencyMs',
  'tickSizeRupees',
  'lotSize',
  'dailyLossCapRupees',
] as const;

/** The fields of the object form of `data` in a POST /api/backtests body. */
export const BACKTEST_DATA_FIELDS = ['kind', 'path', 'symbol', 'interval', 'from', 'to'] as const;

/** `/api/backtests/:runId…` path parameters. */
export const BacktestRunParamsSchema = Type.Object(
  { runId: Type.String({ pattern: RUN_ID_PATTERN, description: 'the run id, run_…' }) },
  { additionalProperties: false },
);

/** The path parameters of `/api/backtests/:runId`. */
export type BacktestRunParams = Static<typeof BacktestRunParamsSchema>;

/** `GET /api/backtests` query. */
export const BacktestListQuerySchema = Type.Object(
  {
    strategy: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
        description: 'only runs of this strategy (its kebab-case name)',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'the most runs listed (default 50)' }),
    ),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/backtests`. */
export type BacktestListQuery = Static<typeof BacktestListQuerySchema>;

/** The figures of a run the list shows. */
export const BacktestKeyMetricsSchema = Type.Object(
  {
    startingCashPaise: Type.Number({ description: 'integer paise' }),
    finalEquityPaise: Type.Number({ description: 'integer paise' }),
    netPnlPaise: Type.Number({ description: 'integer paise' }),
    netPnl: Type.String({ description: 'rupees with two decimals' }),
    totalReturnPct: Type.Number(),
    sharpe: Nullable(Type.Number()),
    maxDrawdownPct: Type.Number(),
    trades: Type.Integer({ minimum: 0 }),
    winRatePct: Nullable(Type.Number()),
    profitFactor: Nullable(Type.Number()),
    chargesPaise: Type.Number({ description: 'integer paise' }),
  },
  { additionalProperties: false },
);

/** The key figures of a run. */
export type BacktestKeyMetrics = Static<typeof BacktestKeyMetricsSchema>;

/** One run of `GET /api/backtests`: finished runs with their figures, and runs queued, running, failed or aborted. */
export const BacktestRowSchema = Type.Object(
  {
    runId: Type.String(),
    status: Type.Union(BACKTEST_STATUSES.map((s) => Type.Literal(s))),
    strategy: Type.String(),
    params: JsonObject,
    symbol: Nullable(Type.String({ description: 'instrument id, e.g. INFY.NSE' })),
    interval: Nullable(Type.String({ description: 'bar interval, e.g. 1m' })),
    dataFrom: Nullable(IstTime),
    dataTo: Nullable(Type.String({ description: 'start of the last bar; IST, ISO 8601 with +05:30' })),
    metrics: Nullable(BacktestKeyMetricsSchema),
    error: Nullable(Type.String({ description: 'why a failed or aborted run stopped' })),
    startedAt: Nullable(IstTime),
    finishedAt: Nullable(IstTime),
  },
  { additionalProperties: false },
);

/** One row of the backtest list. */
export type BacktestRowBody = Static<typeof BacktestRowSchema>;

/** `GET /api/backtests` answer, newest first. */
export const BacktestListResponseSchema = Type.Array(BacktestRowSchema);

const Metrics = Type.Object(
  {
    startingCashPaise: Type.Number(),
    finalEquityPaise: Type.Number(),
    netPnlPaise: Type.Number(),
    totalReturnPct: Type.Number(),
    annualisedReturnPct: Nullable(Type.Number()),
    sharpe: Nullable(Type.Number()),
    sortino: Nullable(Type.Number()),
    maxDrawdownPct: Type.Number(),
    maxDrawdownPaise: Type.Number(),
    maxDrawdownDays: Type.Number(),
    calmar: Nullable(Type.Number()),
    trades: Type.Number(),
    winRatePct: Nullable(Type.Number()),
    profitFactor: Nullable(Type.Number()),
    expectancyPaise: Nullable(Type.Number()),
    exposurePct: Type.Number(),
    turnover: Type.Number(),
    tradedValuePaise: Type.Number(),
    chargesPaise: Type.Number(),
    tradingDays: Type.Number(),
  },
  { additionalProperties: false },
);

const Trade = Type.Object(
  {
    strategyId: Type.String(),
    instrumentId: Type.String(),
    direction: Type.Union([Type.Literal('LONG'), Type.Literal('SHORT')]),
    qty: Type.Number(),
    entryAtMs: Type.Number(),
    entryPricePaise: Type.Number({ description: 'average price in paise (may be fractional)' }),
    exitAtMs: Type.Number(),
    exitPricePaise: Type.Number({ description: 'average price in paise (may be fractional)' }),
    grossPnlPaise: Type.Number(),
    chargesPaise: Type.Number(),
    netPnlPaise: Type.Number(),
    bars: Type.Number(),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/backtests/:runId`: the stored result document of a run (research's BacktestResult). Numbers keep every
 * digit (no integer coercion); times are UTC epoch ms.
 */
export const BacktestResultSchema = Type.Object(
  {
    runId: Type.String(),
    strategy: Type.String(),
    params: JsonObject,
    configHash: Type.String(),
    config: JsonObject,
    metrics: Metrics,
    finalEquityPaise: Type.Number(),
    trades: Type.Array(Trade),
    daily: Type.Array(
      Type.Object({ date: Type.String(), equityPaise: Type.Number() }, { additionalProperties: false }),
    ),
    equity: Type.Array(
      Type.Object({ atMs: Type.Number(), equityPaise: Type.Number() }, { additionalProperties: false }),
    ),
    counts: Type.Object(
      {
        bars: Type.Number(),
        orders: Type.Number(),
        fills: Type.Number(),
        denials: Type.Number(),
        rejections: Type.Number(),
      },
      { additionalProperties: false },
    ),
    orderListHash: Type.String(),
    warnings: Type.Array(Type.String()),
    startedAtMs: Type.Number(),
    finishedAtMs: Type.Number(),
    barsPerSecond: Type.Number(),
  },
  { additionalProperties: false },
);

/** A stored backtest result document. */
export type BacktestResultBody = Static<typeof BacktestResultSchema>;

/** `GET /api/backtests/compare` query. */
export const BacktestCompareQuerySchema = Type.Object(
  {
    ids: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'run ids separated by commas, 2 to 20 of them: run_a,run_b',
    }),
    format: Type.Optional(
      StringEnum(['json', 'html'], {
        description: 'json (default): the rows; html: the self-contained comparison page',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/backtests/compare`. */
export type BacktestCompareQuery = Static<typeof BacktestCompareQuerySchema>;

/** `GET /api/backtests/compare` answer: the compared runs in order and one row per metric. */
export const BacktestComparisonSchema = Type.Object(
  {
    runs: Type.Array(
      Type.Object(
        {
          runId: Type.String(),
          strategy: Type.String(),
          params: JsonObject,
          configHash: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    rows: Type.Array(
      Type.Object(
        {
          metric: Type.String(),
          label: Type.String(),
          values: Type.Array(Nullable(Type.Number()), { description: 'values[i] belongs to runs[i]' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The answer of `GET /api/backtests/compare` as JSON. */
export type BacktestComparisonBody = Static<typeof BacktestComparisonSchema>;

const StoreData = Type.Object(
  {
    kind: StringEnum(['csv', 'parquet', 'store'], {
      description:
        'csv or parquet: a file on the server (path); store: stored bars (symbol, interval, from, to)',
    }),
    path: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, description: 'absolute path of the bar file' }),
    ),
    symbol: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'e.g. NSE:INFY' })),
    interval: Type.Optional(Type.String({ minLength: 1, maxLength: 10, description: 'default 1m' })),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'IST date YYYY-MM-DD' })),
    to: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, description: 'IST date YYYY-MM-DD, inclusive' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * `POST /api/backtests` body: the fields of a backtest (as the `kitepilot backtest` flags). `data` is the absolute
 * path of a .csv or .parquet bar file on the server, or an object: `{ kind: 'store', symbol, interval, from, to }`
 * or `{ kind: 'csv' | 'parquet', path }`.
 */
export const BacktestRequestSchema = Type.Object(
  {
    data: Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), StoreData]),
    symbol: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description: 'instrument, e.g. NSE:INFY (default for a file: NSE:<FILE NAME>)',
      }),
    ),
    interval: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 10,
        description: 'bar interval: 1m, 5m, …, 1d (default: inferred from a file, 1m stored)',
      }),
    ),
    strategy: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'a built-in strategy, e.g. sma-cross',
    }),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        description: 'strategy parameters (values as the --param k=v text)',
      }),
    ),
    qty: Type.Optional(Type.Integer({ minimum: 1, description: 'quantity per entry' })),
    product: Type.Optional(
      StringEnum(['MIS', 'CNC', 'NRML'], {
        description: 'default MIS',
      }),
    ),
    cashRupees: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'starting cash in rupees (default 1000000)' }),
    ),
    charges: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'zerodha (default), none or pct:X' }),
    ),
    fill: Type.Optional(
      StringEnum(['next-open', 'ohlc', 'close'], {
        description: 'bar fill policy (default next-open)',
      }),
    ),
    slippage: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: 'none (default), bps:N, spread:N or vol:K',
      }),
    ),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, description: 'order latency (default 0)' })),
    tickSizeRupees: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'tick size when the instruments master lacks the symbol',
      }),
    ),
    lotSize: Type.Optional(
      Type.Integer({ minimum: 1, description: 'lot size when the instruments master lacks the symbol' }),
    ),
    dailyLossCapRupees: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'daily loss cap (default 5 % of the cash)' }),
    ),
  },
  { additionalProperties: false },
);

/** The body of `POST /api/backtests`. */
export type BacktestRequestBody = Static<typeof BacktestRequestSchema>;

/** `POST /api/backtests` answer (202): the run, queued behind a running one or already running. */
export const BacktestStartedSchema = Type.Object(
  {
    runId: Type.String(),
    status: Type.Union([Type.Literal('queued'), Type.Literal('running')]),
  },
  { additionalProperties: false },
);

/** The answer of `POST /api/backtests`. */
export type BacktestStarted = Static<typeof BacktestStartedSchema>;

/** `DELETE /api/backtests/:runId` answer. */
export const BacktestDeletedSchema = Type.Object(
  {
    runId: Type.String(),
    deleted: Type.Boolean({ description: 'a stored result was deleted (the run row is kept)' }),
    aborted: Type.Boolean({ description: 'a queued or running run was stopped and marked aborted' }),
  },
  { additionalProperties: false },
);

/** The answer of `DELETE /api/backtests/:runId`. */
export type BacktestDeleted = Static<typeof BacktestDeletedSchema>;
