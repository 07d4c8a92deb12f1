import { Type, type Static } from '@sinclair/typebox';

const MarketPhase = Type.String({
  description: 'market phase of the segment now (closed, pre-open, continuous, …)',
});

/** The `demo` part of `/status` while `kitepilot start --demo` records the simulated market. */
export const DemoStatusSchema = Type.Object(
  {
    simulated: Type.Literal(true),
    namespace: Type.Literal('simulated'),
    speed: Type.Number(),
    simulatedNow: Type.String({ description: 'the simulated clock, UTC ISO 8601' }),
    simulatedNowIst: Type.String(),
    startedAtIst: Type.String(),
    simulatorRestUrl: Type.String(),
    simulatorWsUrl: Type.String(),
    ticksWritten: Type.Integer({ minimum: 0 }),
    barsWritten: Type.Integer({ minimum: 0 }),
    ticksQuarantined: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** `GET /status`: version, uptime, storage and the market phase now. */
export const StatusSchema = Type.Object(
  {
    version: Type.String(),
    startedAt: Type.String({ description: 'UTC, ISO 8601' }),
    startedAtIst: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
    uptimeSeconds: Type.Integer({ minimum: 0 }),
    configHash: Type.String({ description: 'SHA-256 of the running configuration snapshot' }),
    demo: Type.Union([DemoStatusSchema, Type.Null()], {
      description: 'non-null while the platform runs on the SIMULATED market (demo mode)',
    }),
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

/** The `demo` object of `/status`. */
export type DemoStatus = Static<typeof DemoStatusSchema>;

/** The body of `GET /status`. */
export type Status = Static<typeof StatusSchema>;
