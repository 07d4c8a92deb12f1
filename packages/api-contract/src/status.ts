import { Type, type Static } from '@sinclair/typebox';

const MarketPhase = Type.String({
  description: 'market phase of the segment now (closed, pre-open, continuous, …)',
});

/** `GET /status`: version, uptime, storage and the market phase now. */
export const StatusSchema = Type.Object(
  {
    version: Type.String(),
    startedAt: Type.String({ description: 'UTC, ISO 8601' }),
    startedAtIst: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
    uptimeSeconds: Type.Integer({ minimum: 0 }),
    configHash: Type.String({ description: 'SHA-256 of the running configuration snapshot' }),
    store: Type.Object(
      {
        kind: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
        location: Type.String({ description: 'data directory, or the PostgreSQL URL without its password' }),
        schemaVersion: Type.Integer({ minimum: 0 }),
        durable: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    market: Type.Object(
      {
        now: Type.String({ description: 'UTC, ISO 8601' }),
        nowIst: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
        date: Type.String({ description: 'IST calendar date' }),
        tradingDay: Type.Union([Type.Boolean(), Type.Null()], {
          description: 'null when the shipped NSE calendar does not cover the date (see calendarNote)',
        }),
        holiday: Type.Union([Type.String(), Type.Null()]),
        phase: Type.Object({ equity: MarketPhase, fno: MarketPhase }, { additionalProperties: false }),
        calendarNote: Type.Union([Type.String(), Type.Null()], {
          description: 'why the market fields are unknown, e.g. a year the calendar data does not cover yet',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The body of `GET /status`. */
export type Status = Static<typeof StatusSchema>;
