import { Type, type Static } from '@sinclair/typebox';

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

/** The whole KitePilot configuration file. */
export const ConfigSchema = Type.Object(
  {
    server: ServerConfigSchema,
    storage: StorageConfigSchema,
    log: LogConfigSchema,
    calendar: CalendarConfigSchema,
  },
  Strict,
);

/** The validated configuration. */
export type Config = Static<typeof ConfigSchema>;
