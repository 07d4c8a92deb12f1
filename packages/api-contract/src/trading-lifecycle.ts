import { Type, type Static } from '@sinclair/typebox';
import { PositionRowSchema } from './trading.ts';
import { TradingStatusSchema } from './trading-control.ts';

// `POST /api/trading/start` and `POST /api/trading/stop`: start the configured trading environment in this process,
// or stop it (working orders cancelled first unless asked not to; positions stay open and are not squared off while
// trading is stopped, which is why stopping with open positions must be asked for explicitly).

const Reason = Type.String({ minLength: 1, maxLength: 500, description: 'why (kept in the audit log)' });

/** `POST /api/trading/start` body. */
export const TradingStartBodySchema = Type.Object({ reason: Reason }, { additionalProperties: false });

/** The body of `POST /api/trading/start`. */
export type TradingStartBody = Static<typeof TradingStartBodySchema>;

/** `POST /api/trading/stop` body. */
export const TradingStopBodySchema = Type.Object(
  {
    reason: Reason,
    cancelOpenOrders: Type.Optional(
      Type.Boolean({ description: 'cancel every working order before stopping (default true)' }),
    ),
    leavePositionsOpen: Type.Optional(
      Type.Boolean({
        description:
          'stop even though positions are open: they stay open and NO square-off runs until trading starts again ' +
          '(default false: refused with 409 while positions are open)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The body of `POST /api/trading/stop`. */
export type TradingStopBody = Static<typeof TradingStopBodySchema>;

/** `POST /api/trading/stop` answer. */
export const TradingStopResultSchema = Type.Object(
  {
    status: TradingStatusSchema,
    stoppedRunId: Type.String(),
    cancelRequested: Type.Integer({ description: 'working orders a cancel was sent for' }),
    stillWorking: Type.Integer({
      description: 'orders not yet confirmed cancelled when trading stopped (reconciled at the next start)',
    }),
    openPositions: Type.Array(PositionRowSchema, { description: 'positions left open (not squared off)' }),
  },
  { additionalProperties: false },
);

/** The answer of `POST /api/trading/stop`. */
export type TradingStopResultBody = Static<typeof TradingStopResultSchema>;
