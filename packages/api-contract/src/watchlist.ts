import { Type, type Static } from '@sinclair/typebox';

const Mode = Type.Union([Type.Literal('ltp'), Type.Literal('quote'), Type.Literal('full')], {
  description: 'ticker mode the instrument is recorded in',
});

/** The `namespace` query of the watchlist routes. */
export const WatchlistQuerySchema = Type.Object(
  {
    namespace: Type.Union([Type.Literal('real'), Type.Literal('simulated')], {
      default: 'real',
      description: "'real' (broker data) or 'simulated' (the Kite simulator's)",
    }),
  },
  { additionalProperties: false },
);

/** The query of the watchlist routes. */
export type WatchlistQuery = Static<typeof WatchlistQuerySchema>;

/** The `:symbol` path parameter: `NSE:INFY`, `INFY.NSE` (PUT also takes a token). */
export const WatchlistParamsSchema = Type.Object(
  { symbol: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);

/** The path parameters of the watchlist item routes. */
export type WatchlistParams = Static<typeof WatchlistParamsSchema>;

/** `PUT /api/watchlist/:symbol` body. */
export const WatchlistPutBodySchema = Type.Object({ mode: Mode }, { additionalProperties: false });

/** The body of `PUT /api/watchlist/:symbol`. */
export type WatchlistPutBody = Static<typeof WatchlistPutBodySchema>;

/** One watchlist entry. */
export const WatchlistEntrySchema = Type.Object(
  {
    instrumentId: Type.String({ description: 'SYMBOL.EXCHANGE' }),
    symbol: Type.String({ description: 'EXCHANGE:SYMBOL' }),
    mode: Mode,
    addedAt: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
  },
  { additionalProperties: false },
);

/** A watchlist entry as the API returns it. */
export type WatchlistEntryBody = Static<typeof WatchlistEntrySchema>;

/** `GET /api/watchlist`: the entries by instrument id. */
export const WatchlistResponseSchema = Type.Array(WatchlistEntrySchema);
