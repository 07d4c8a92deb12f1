import { Type, type Static, type TSchema } from '@sinclair/typebox';

// Walk-forward studies over the API: start one in the server process, list them, and read one with its windows and
// the stitched out-of-sample result. Money is integer paise (`…Paise`); trading days are IST dates `YYYY-MM-DD`;
// times are IST ISO 8601 strings.

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });
const IstDate = Type.String({ description: 'IST trading day YYYY-MM-DD' });
const JsonObject = Type.Record(Type.String(), Type.Unknown());
// Numbers first: the server's validator coerces to the first type that fits, and 5 must stay a number, not "5".
const ParamValue = Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 200 })]);
const ParamName = '^[A-Za-z][A-Za-z0-9_]*$';

/** The body pattern of a study id: `wf_` and 1–40 letters or digits. */
export const WALK_FORWARD_ID_PATTERN = '^wf_[0-9A-Za-z]{1,40}$';

/** The metrics a study can optimise (the research package's OBJECTIVES). */
export const WALK_FORWARD_OBJECTIVES = [
  'sharpe',
  'sortino',
  'calmar',
  'totalReturnPct',
  'annualisedReturnPct',
  'profitFactor',
  'netPnlPaise',
  'expectancyPaise',
  'winRatePct',
  'maxDrawdownPct',
] as const;

/** Where a study stands in the store. */
export const WALK_FORWARD_STATUSES = ['running', 'completed', 'failed'] as const;

/** `/api/walk-forward/:id…` path parameters. */
export const WalkForwardIdParamsSchema = Type.Object(
  { id: Type.String({ pattern: WALK_FORWARD_ID_PATTERN, description: 'the study id, wf_…' }) },
  { additionalProperties: false },
);

/** The path parameters of `/api/walk-forward/:id`. */
export type WalkForwardIdParams = Static<typeof WalkForwardIdParamsSchema>;

/** `GET /api/walk-forward` query. */
export const WalkForwardListQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'the most studies listed (default 50)' }),
    ),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/walk-forward`. */
export type WalkForwardListQuery = Static<typeof WalkForwardListQuerySchema>;

const DataObject = Type.Object(
  {
    kind: Type.Union([Type.Literal('csv'), Type.Literal('parquet'), Type.Literal('store')], {
      description: 'csv or parquet: a file on the server (path); store: stored bars (interval, from, to)',
    }),
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'path of the bar file' })),
    interval: Type.Optional(Type.String({ minLength: 1, maxLength: 10, description: 'default 1m' })),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'IST date YYYY-MM-DD' })),
    to: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, description: 'IST date YYYY-MM-DD, inclusive' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * `POST /api/walk-forward` body: the fields of `kitepilot walk-forward`. `data` is the path of a .csv or .parquet
 * bar file on the server, or `{ kind: 'store', interval, from, to }` for stored bars of `symbol`. A grid search
 * gives `grid`; a random search gives `random` (how many sets) with `ranges` and/or `grid` (choice lists).
 */
export const WalkForwardRequestSchema = Type.Object(
  {
    data: Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), DataObject]),
    symbol: Type.String({ minLength: 1, maxLength: 60, description: 'instrument, e.g. NSE:INFY' }),
    interval: Type.Optional(
      Type.String({ minLength: 1, maxLength: 10, description: 'bar interval of a file (default: inferred)' }),
    ),
    simulated: Type.Optional(
      Type.Boolean({ description: 'stored bars from the simulated namespace instead of real data' }),
    ),
    strategy: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'a built-in strategy, e.g. sma-cross',
    }),
    grid: Type.Optional(
      Type.Record(
        Type.String({ pattern: ParamName }),
        Type.Array(ParamValue, { minItems: 1, maxItems: 10_000 }),
        {
          description: 'values to try per parameter (grid search), or choice lists (random search)',
        },
      ),
    ),
    ranges: Type.Optional(
      Type.Record(
        Type.String({ pattern: ParamName }),
        Type.Object(
          {
            min: Type.Number(),
            max: Type.Number(),
            step: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          },
          { additionalProperties: false },
        ),
        { description: 'numeric ranges of a random search (integers without a step when min and max are)' },
      ),
    ),
    random: Type.Optional(
      Type.Integer({ minimum: 1, description: 'draw this many parameter sets at random' }),
    ),
    seed: Type.Optional(Type.Integer({ description: 'seed of the random search (default 1)' })),
    maxCandidates: Type.Optional(
      Type.Integer({ minimum: 1, description: 'refuse searches with more parameter sets (default 10000)' }),
    ),
    trainDays: Type.Integer({ minimum: 1, description: 'trading days per training period' }),
    testDays: Type.Integer({ minimum: 1, description: 'trading days per test period' }),
    stepDays: Type.Optional(
      Type.Integer({ minimum: 1, description: 'days between windows (default testDays)' }),
    ),
    anchored: Type.Optional(Type.Boolean({ description: 'training periods grow from the first day' })),
    objective: Type.Union(
      WALK_FORWARD_OBJECTIVES.map((o) => Type.Literal(o)),
      { description: 'the metric maximised on training periods (maxDrawdownPct is minimised)' },
    ),
    workers: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 256, description: 'worker threads (default: CPUs − 1)' }),
    ),
    params: Type.Optional(
      Type.Record(Type.String({ pattern: ParamName }), ParamValue, {
        description: 'fixed strategy parameters (not searched)',
      }),
    ),
    qty: Type.Optional(Type.Integer({ minimum: 1, description: 'quantity per entry' })),
    product: Type.Optional(
      Type.Union([Type.Literal('MIS'), Type.Literal('CNC'), Type.Literal('NRML')], {
        description: 'default MIS',
      }),
    ),
    cashRupees: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'starting cash of every backtest (default 1000000)' }),
    ),
    charges: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'zerodha (default), none or pct:X' }),
    ),
    fill: Type.Optional(
      Type.Union([Type.Literal('next-open'), Type.Literal('ohlc'), Type.Literal('close')], {
        description: 'bar fill policy (default next-open)',
      }),
    ),
    slippage: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'none (default), bps:N, spread:N or vol:K' }),
    ),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, description: 'order latency (default 0)' })),
    tickSizeRupees: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    lotSize: Type.Optional(Type.Integer({ minimum: 1 })),
    dailyLossCapRupees: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);

/** The body of `POST /api/walk-forward`. */
export type WalkForwardRequestBody = Static<typeof WalkForwardRequestSchema>;

/** `POST /api/walk-forward` and `POST /api/walk-forward/:id/resume` answer (202): the study runs in the background. */
export const WalkForwardStartedSchema = Type.Object(
  {
    id: Type.String(),
    windowCount: Type.Integer({ minimum: 1 }),
    windowsDone: Type.Integer({ minimum: 0, description: 'windows already stored (skipped by a resume)' }),
    candidates: Type.Integer({ minimum: 1, description: 'parameter sets tried per training period' }),
    workers: Type.Integer({ minimum: 1 }),
    alreadyRunning: Type.Boolean({ description: 'true when this server was already running the study' }),
  },
  { additionalProperties: false },
);

/** The answer of `POST /api/walk-forward`. */
export type WalkForwardStarted = Static<typeof WalkForwardStartedSchema>;

/** Every field of a run's BacktestMetrics. */
export const WalkForwardMetricsSchema = Type.Object(
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

/** The metrics of a run. */
export type WalkForwardMetrics = Static<typeof WalkForwardMetricsSchema>;

/** One train/test window of a study: pending until stored, then done or failed. */
export const WalkForwardWindowSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('failed')]),
    trainFirstDay: IstDate,
    trainLastDay: IstDate,
    testFirstDay: IstDate,
    testLastDay: IstDate,
    trainDays: Type.Integer({ minimum: 1 }),
    testDays: Type.Integer({ minimum: 1 }),
    bestParams: Nullable(JsonObject),
    trainScore: Nullable(
      Type.Number({ description: 'the objective of the chosen set on the training period' }),
    ),
    candidates: Nullable(Type.Integer({ minimum: 0 })),
    failedCandidates: Type.Integer({ minimum: 0, description: 'parameter sets whose training run threw' }),
    outOfSample: Nullable(WalkForwardMetricsSchema),
    error: Nullable(Type.String()),
    finishedAt: Nullable(IstTime),
  },
  { additionalProperties: false },
);

/** A window of a study. */
export type WalkForwardWindowBody = Static<typeof WalkForwardWindowSchema>;

/** The stitched out-of-sample result: the test periods chained into one equity curve. */
export const WalkForwardStitchedSchema = Type.Object(
  {
    periods: Type.Integer({ minimum: 0, description: 'test periods chained (done windows)' }),
    metrics: WalkForwardMetricsSchema,
    daily: Type.Array(
      Type.Object({ date: IstDate, equityPaise: Type.Number() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

/** A stitched out-of-sample result. */
export type WalkForwardStitchedBody = Static<typeof WalkForwardStitchedSchema>;

const StudyFields = {
  id: Type.String(),
  strategy: Type.String(),
  symbol: Type.String({ description: 'instrument id, e.g. INFY.NSE' }),
  status: Type.Union(WALK_FORWARD_STATUSES.map((s) => Type.Literal(s))),
  active: Type.Boolean({
    description: 'this server is computing the study now (running and not active: resumable)',
  }),
  objective: Type.String(),
  simulated: Type.Boolean({ description: 'the bars are simulated market data' }),
  createdAt: IstTime,
  finishedAt: Nullable(IstTime),
  windowCount: Type.Integer({ minimum: 1 }),
  windowsDone: Type.Integer({ minimum: 0 }),
  windowsFailed: Type.Integer({ minimum: 0 }),
};

/** One study of `GET /api/walk-forward`. */
export const WalkForwardRowSchema = Type.Object(
  {
    ...StudyFields,
    stitched: Nullable(
      Type.Object(
        {
          netPnlPaise: Type.Number(),
          totalReturnPct: Type.Number(),
          sharpe: Nullable(Type.Number()),
          maxDrawdownPct: Type.Number(),
          trades: Type.Number(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** One row of the study list. */
export type WalkForwardRowBody = Static<typeof WalkForwardRowSchema>;

/** `GET /api/walk-forward` answer, newest first. */
export const WalkForwardListResponseSchema = Type.Array(WalkForwardRowSchema);

/** `GET /api/walk-forward/:id`: a study, its windows and its stitched out-of-sample result so far. */
export const WalkForwardStudySchema = Type.Object(
  {
    ...StudyFields,
    configHash: Type.String(),
    search: Type.Object(
      {
        kind: Type.Union([Type.Literal('grid'), Type.Literal('random')]),
        candidates: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
    windowOptions: Type.Object(
      {
        trainDays: Type.Integer(),
        testDays: Type.Integer(),
        stepDays: Type.Integer(),
        anchored: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    spec: JsonObject,
    data: JsonObject,
    windows: Type.Array(WalkForwardWindowSchema),
    stitched: Nullable(WalkForwardStitchedSchema),
  },
  { additionalProperties: false },
);

/** A study as the API and `kitepilot walk-forward show --json` give it. */
export type WalkForwardStudyBody = Static<typeof WalkForwardStudySchema>;
