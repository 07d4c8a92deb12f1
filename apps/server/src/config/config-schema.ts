import { Type, type Static } from '@sinclair/typebox';
import { AlertsConfigSchema } from '../observability/alerts-config.ts';

const Strict = { additionalProperties: false } as const;

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date YYYY-MM-DD (IST)' });

/** The `[server]` section: where the HTTP API listens. */
export const ServerConfigSchema = Type.Object(
  {
    host: Type.String({
      default: '127.0.0.1',
      minLength: 1,
      description: 'address to bind; 127.0.0.1 keeps the API on this machine',
    }),
    port: Type.Integer({
      default: 8080,
      minimum: 1,
      maximum: 65535,
      description: 'TCP port of the HTTP API',
    }),
  },
  Strict,
);

/** The `[storage]` section: embedded PGlite under `dataDir`, or PostgreSQL at `url`. */
export const StorageConfigSchema = Type.Object(
  {
    dataDir: Type.String({
      default: './data',
      minLength: 1,
      description: 'directory of the embedded database and other local state',
    }),
    url: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description: 'PostgreSQL connection string; when set, PostgreSQL is used instead of embedded storage',
      }),
    ),
    durable: Type.Boolean({
      default: true,
      description: 'embedded storage only: flush commits to disk so that they survive power loss',
    }),
  },
  Strict,
);

/** The `[log]` section. */
export const LogConfigSchema = Type.Object(
  {
    level: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'minimum log level' },
    ),
  },
  Strict,
);

/** One holiday added by configuration (a circular published after the shipped calendar). */
export const HolidayOverrideSchema = Type.Object(
  { date: IsoDate, name: Type.String({ minLength: 1 }) },
  Strict,
);

/** The `[calendar]` section: overrides of the shipped NSE calendar data. */
export const CalendarConfigSchema = Type.Object(
  {
    addHolidays: Type.Array(HolidayOverrideSchema, {
      default: [],
      description: 'holidays to add to the shipped NSE calendar',
    }),
    removeHolidays: Type.Array(IsoDate, {
      default: [],
      description: 'shipped holidays to treat as trading days',
    }),
  },
  Strict,
);

/** The `[kite]` section: the Kite Connect app and the endpoints (overridable to point at the simulator). */
export const KiteConfigSchema = Type.Object(
  {
    apiKey: Type.Optional(Type.String({ minLength: 1, description: "the Kite Connect app's api_key" })),
    apiSecret: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "the app's api_secret; prefer the KITEPILOT_KITE_API_SECRET environment variable to the file",
      }),
    ),
    loginUrl: Type.String({
      default: 'https://kite.zerodha.com/connect/login',
      pattern: '^https?://',
      description: 'login page of Kite Connect',
    }),
    restUrl: Type.String({
      default: 'https://api.kite.trade',
      pattern: '^https?://',
      description: 'REST root',
    }),
    wsUrl: Type.String({
      default: 'wss://ws.kite.trade',
      pattern: '^wss?://',
      description: 'ticker WebSocket',
    }),
    redirectUrl: Type.String({
      default: 'http://127.0.0.1:8765/kite/callback',
      pattern: '^https?://',
      description:
        'the redirect URL registered for the app; `kitepilot kite login` listens on it when it is local',
    }),
  },
  Strict,
);

/** The `[secrets]` section: where the master key that encrypts credentials at rest comes from. */
export const SecretsConfigSchema = Type.Object(
  {
    masterKeyFile: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'file holding the 32-byte master key (base64); default <dataDir>/master.key, created with mode 0600; ' +
          'KITEPILOT_MASTER_KEY (base64) wins over any file',
      }),
    ),
  },
  Strict,
);

const BAR_INTERVALS = ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'] as const;

/** The `[marketData]` section: what is recorded, how bars are built and how long data is kept. */
export const MarketDataConfigSchema = Type.Object(
  {
    watchlist: Type.Array(Type.String({ pattern: '^(NSE|BSE|NFO|BFO):\\S(.*\\S)?$' }), {
      default: [],
      description:
        'instruments to record, as EXCHANGE:SYMBOL (e.g. NSE:INFY); added to the stored watchlist at start',
    }),
    barIntervals: Type.Array(Type.Union(BAR_INTERVALS.map((i) => Type.Literal(i))), {
      default: [...BAR_INTERVALS],
      minItems: 1,
      description: 'bar intervals built from live ticks',
    }),
    emptyBars: Type.Union([Type.Literal('skip'), Type.Literal('flat')], {
      default: 'skip',
      description:
        'an interval without ticks: no bar (skip) or a flat bar at the last price with volume 0 (flat)',
    }),
    tickRetentionDays: Type.Integer({ default: 30, minimum: 1, description: 'days of raw ticks kept' }),
    barRetentionMonths: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'months of bars kept; unset (the default) keeps bars forever — retention never deletes bars unless set',
      }),
    ),
  },
  Strict,
);

const HHMM = { pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' } as const;
const Rupees = (description: string, fallback?: number) =>
  Type.Number({ exclusiveMinimum: 0, description, ...(fallback === undefined ? {} : { default: fallback }) });

/** The `[risk]` section: the limits every order passes before any broker call (money in rupees). */
export const RiskConfigSchema = Type.Object(
  {
    dailyLossCap: Rupees(
      'daily loss cap in rupees: realised + unrealised loss + the worst case of every open stop stays within it',
      5000,
    ),
    maxInstrumentExposure: Type.Optional(Rupees('max |position| × price in one instrument, in rupees')),
    maxTotalExposure: Type.Optional(Rupees('max Σ |position| × price over all instruments, in rupees')),
    maxOpenPositions: Type.Optional(
      Type.Integer({ minimum: 0, description: 'max instruments held at once' }),
    ),
    maxOrderValue: Type.Optional(Rupees('max notional of one order, in rupees')),
    maxOrdersPerSecond: Type.Integer({
      default: 10,
      minimum: 1,
      maximum: 10,
      description: 'orders per rolling second (SEBI retail algo threshold: 10)',
    }),
    maxOrdersPerDay: Type.Optional(Type.Integer({ minimum: 1, description: 'orders per IST day' })),
    requireStopLoss: Type.Boolean({ default: true, description: 'entries without a stop-loss are denied' }),
    freezeQtyPolicy: Type.Union([Type.Literal('slice'), Type.Literal('deny')], {
      default: 'slice',
      description: 'an order above the freeze quantity: split into child orders (slice) or deny',
    }),
    entryWindowStart: Type.String({ ...HHMM, default: '09:15', description: 'IST time new entries start' }),
    entryWindowEnd: Type.String({ ...HHMM, default: '15:10', description: 'IST time new entries stop' }),
    allowlist: Type.Array(Type.String({ pattern: '^(NSE|BSE|NFO|BFO):\\S(.*\\S)?$' }), {
      default: [],
      description: 'when non-empty, only these instruments (EXCHANGE:SYMBOL) may be traded',
    }),
    blocklist: Type.Array(Type.String({ pattern: '^(NSE|BSE|NFO|BFO):\\S(.*\\S)?$' }), {
      default: [],
      description: 'instruments (EXCHANGE:SYMBOL) that may never be traded',
    }),
  },
  Strict,
);

/** The `[trading]` section: the account, square-off, live safeguards and the paper account. */
export const TradingConfigSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('paper'), Type.Literal('live')], {
      default: 'paper',
      description:
        'paper: strategies trade the simulated venue on live data; live: real orders at the broker (explicit opt-in)',
    }),
    strategies: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, description: 'a built-in strategy (e.g. sma-cross)' }),
          id: Type.Optional(
            Type.String({
              pattern: '^str_[0-9A-Za-z]{1,40}$',
              description: 'strategy id; default from the name',
            }),
          ),
          params: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()]), {
            default: {},
            description: 'strategy parameters (e.g. symbol = "NSE:INFY", fast = 10)',
          }),
        },
        Strict,
      ),
      { default: [], description: 'the strategies `kitepilot start` runs ([[trading.strategies]] tables)' },
    ),
    account: Type.String({
      default: 'acc_default',
      pattern: '^acc_[0-9A-Za-z]{1,40}$',
      description: 'the KitePilot account trading runs under',
    }),
    squareOffCutoff: Type.String({
      ...HHMM,
      default: '15:20',
      description: 'IST time every MIS position is squared off',
    }),
    squareOffTimeoutSeconds: Type.Integer({
      default: 10,
      minimum: 1,
      maximum: 300,
      description: 'seconds a square-off LIMIT order may work before it is replaced by a MARKET order',
    }),
    squareOffLimitOffsetTicks: Type.Integer({
      default: 2,
      minimum: 0,
      maximum: 100,
      description: 'ticks beyond the last price for the marketable square-off LIMIT order',
    }),
    manualAcknowledgement: Type.Boolean({
      default: true,
      description: 'live: the first order of each day waits for the owner to acknowledge it',
    }),
    paperStartingCash: Rupees('paper trading: starting cash in rupees', 1_000_000),
    paperLatencyMs: Type.Integer({
      default: 0,
      minimum: 0,
      maximum: 10_000,
      description: 'paper trading: simulated venue latency per order request, in ms',
    }),
  },
  Strict,
);

/** The whole KitePilot configuration file. */
export const ConfigSchema = Type.Object(
  {
    server: ServerConfigSchema,
    storage: StorageConfigSchema,
    log: LogConfigSchema,
    calendar: CalendarConfigSchema,
    kite: KiteConfigSchema,
    secrets: SecretsConfigSchema,
    marketData: MarketDataConfigSchema,
    risk: RiskConfigSchema,
    trading: TradingConfigSchema,
    alerts: AlertsConfigSchema,
  },
  Strict,
);

/** The validated configuration. */
export type Config = Static<typeof ConfigSchema>;
