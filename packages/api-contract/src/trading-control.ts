import { Type, type Static } from '@sinclair/typebox';

const Reason = Type.String({ minLength: 1, maxLength: 500, description: 'why (kept in the audit log)' });

/** `POST /api/trading/kill-switch` body. */
export const KillSwitchBodySchema = Type.Object(
  { on: Type.Boolean({ description: 'true stops all new orders and cancels working ones' }), reason: Reason },
  { additionalProperties: false },
);

/** The body of `POST /api/trading/kill-switch`. */
export type KillSwitchBody = Static<typeof KillSwitchBodySchema>;

/** `POST /api/trading/flatten` body: every position, or one instrument's. */
export const FlattenBodySchema = Type.Object(
  {
    symbol: Type.Optional(
      Type.String({
        pattern: '^(NSE|BSE|NFO|BFO):\\S(.*\\S)?$',
        description: 'EXCHANGE:SYMBOL; all when absent',
      }),
    ),
    reason: Reason,
  },
  { additionalProperties: false },
);

/** The body of `POST /api/trading/flatten`. */
export type FlattenBody = Static<typeof FlattenBodySchema>;

/** `POST /api/trading/acknowledge` body: the owner confirms the first live order of the day. */
export const AcknowledgeBodySchema = Type.Object({ reason: Reason }, { additionalProperties: false });

/** The body of `POST /api/trading/acknowledge`. */
export type AcknowledgeBody = Static<typeof AcknowledgeBodySchema>;

/** The trading controls. */
export const TradingControlsBodySchema = Type.Object(
  {
    killSwitch: Type.Boolean(),
    halted: Type.Record(Type.String(), Type.String(), { description: 'account id → reason, for today' }),
  },
  { additionalProperties: false },
);

/** One pre-flight check. */
export const PreflightCheckBodySchema = Type.Object(
  {
    name: Type.String(),
    ok: Type.Boolean(),
    detail: Type.String(),
    at: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** `GET /api/trading/status` and the reply of the control routes. */
export const TradingStatusSchema = Type.Object(
  {
    running: Type.Boolean({ description: 'false when no trading environment runs in this process' }),
    mode: Type.Union([Type.Literal('paper'), Type.Literal('live'), Type.Null()]),
    simulated: Type.Boolean({ description: 'true while trading the simulated market (demo)' }),
    accountId: Type.String(),
    runId: Type.Union([Type.String(), Type.Null()]),
    controls: TradingControlsBodySchema,
    /** Where a change went: applied by the running engine, or stored for the next start. */
    applied: Type.Union([Type.Literal('engine'), Type.Literal('stored'), Type.Null()]),
    preflight: Type.Object(
      { passed: Type.Boolean(), checks: Type.Array(PreflightCheckBodySchema) },
      { additionalProperties: false },
    ),
    strategies: Type.Array(
      Type.Object(
        { id: Type.String(), name: Type.String(), halted: Type.Boolean() },
        { additionalProperties: false },
      ),
    ),
    awaitingAcknowledgement: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** The trading status as the API returns it. */
export type TradingStatusBody = Static<typeof TradingStatusSchema>;
