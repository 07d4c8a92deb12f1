import { Type, type Static } from '@sinclair/typebox';
import { PageCursorParam, PageLimitParam, PageSchema } from './pagination.ts';

// Reads of the signals strategies recorded (before, and whether or not, they led to an order) on one IST day.

/** `GET /api/signals` query. */
export const SignalsQuerySchema = Type.Object(
  {
    date: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, description: 'IST date YYYY-MM-DD; default: today in IST' }),
    ),
    account: Type.Optional(
      Type.String({
        minLength: 5,
        maxLength: 44,
        description: 'account id (acc_…); default: the default account of the caller',
      }),
    ),
    strategy: Type.Optional(
      Type.String({ pattern: '^str_[0-9A-Za-z]{1,40}$', description: 'only this strategy id (str_…)' }),
    ),
    limit: Type.Optional(PageLimitParam),
    cursor: Type.Optional(PageCursorParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/signals`. */
export type SignalsQuery = Static<typeof SignalsQuerySchema>;

/** One signal. */
export const SignalRowSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    runId: Type.String(),
    strategyId: Type.String(),
    instrumentId: Type.String(),
    direction: Type.Union([Type.Literal('LONG'), Type.Literal('SHORT'), Type.Literal('FLAT')]),
    strength: Type.Union([Type.Number(), Type.Null()], { description: 'conviction in [−1, 1], or null' }),
    reason: Type.String(),
    tsEvent: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
    tsInit: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
  },
  { additionalProperties: false },
);

/** A signal as the API returns it. */
export type SignalRowBody = Static<typeof SignalRowSchema>;

/** `GET /api/signals`: a page of the day's signals, oldest first. */
export const SignalsPageSchema = PageSchema(SignalRowSchema);

/** A page of signals. */
export type SignalsPage = Static<typeof SignalsPageSchema>;
