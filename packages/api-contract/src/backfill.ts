import { Type, type Static } from '@sinclair/typebox';

const BACKFILL_INTERVALS = [
  'minute',
  '3minute',
  '5minute',
  '10minute',
  '15minute',
  '30minute',
  '60minute',
  'day',
  '1m',
  '3m',
  '5m',
  '10m',
  '15m',
  '30m',
  '60m',
  '1d',
] as const;

const TimeText = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'YYYY-MM-DD (IST; from 00:00, to through 23:59:59) or ISO 8601 with an offset',
});

/** `POST /api/backfill` body: one instrument, one interval, a range. */
export const BackfillRequestSchema = Type.Object(
  {
    symbol: Type.String({
      pattern: '^[A-Z]+:.+$',
      maxLength: 60,
      description: 'EXCHANGE:SYMBOL, e.g. NSE:INFY',
    }),
    interval: Type.Union(
      BACKFILL_INTERVALS.map((i) => Type.Literal(i)),
      { description: "Kite's candle interval name or ours; Kite has no 1s candles" },
    ),
    from: TimeText,
    to: TimeText,
  },
  { additionalProperties: false },
);

/** The body of `POST /api/backfill`. */
export type BackfillRequestBody = Static<typeof BackfillRequestSchema>;

/** `POST /api/backfill` answer (202): the job that runs (or resumes) the backfill. */
export const BackfillStartedSchema = Type.Object(
  {
    jobRunId: Type.String(),
    instrumentId: Type.String(),
    interval: Type.String({ description: 'bar interval (1m, 5m, …, 1d)' }),
    from: Type.String({ description: 'first instant, IST, ISO 8601' }),
    to: Type.String({ description: 'last instant (inclusive), IST, ISO 8601' }),
    resumes: Type.Boolean({ description: 'true when it continues an unfinished run of the same parameters' }),
    alreadyRunning: Type.Boolean({ description: 'true when this job was already running in this server' }),
  },
  { additionalProperties: false },
);

/** The answer of `POST /api/backfill`. */
export type BackfillStarted = Static<typeof BackfillStartedSchema>;
