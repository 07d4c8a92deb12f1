import { Type, type Static } from '@sinclair/typebox';
import { PageCursorParam, PageLimitParam, PageSchema } from './pagination.ts';

// Reads of the stored instruments master (one version per day): search the version in force today, or one
// instrument's newest version with its F&O fields.

const Namespace = Type.Union([Type.Literal('real'), Type.Literal('simulated')], {
  default: 'real',
  description: "'real' (the broker's master) or 'simulated' (the Kite simulator's)",
});

/** Kite's instrument segments. */
export const INSTRUMENT_SEGMENT_NAMES = [
  'NSE',
  'BSE',
  'NFO-FUT',
  'NFO-OPT',
  'BFO-FUT',
  'BFO-OPT',
  'INDICES',
] as const;

/** `GET /api/instruments` query. */
export const InstrumentsQuerySchema = Type.Object(
  {
    namespace: Namespace,
    exchange: Type.Optional(
      Type.Union(
        ['NSE', 'BSE', 'NFO', 'BFO'].map((e) => Type.Literal(e)),
        { description: 'exchange' },
      ),
    ),
    segment: Type.Optional(
      Type.Union(
        INSTRUMENT_SEGMENT_NAMES.map((s) => Type.Literal(s)),
        { description: "Kite's segment: NSE, BSE (cash), NFO-FUT, NFO-OPT, BFO-FUT, BFO-OPT, INDICES" },
      ),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description: 'text within the trading symbol, the name or the underlying (case-insensitive)',
      }),
    ),
    limit: Type.Optional(PageLimitParam),
    cursor: Type.Optional(PageCursorParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/instruments`. */
export type InstrumentsQuery = Static<typeof InstrumentsQuerySchema>;

/** `GET /api/instruments/:instrument` path parameters. */
export const InstrumentParamsSchema = Type.Object(
  {
    instrument: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'EXCHANGE:SYMBOL (NSE:INFY) or SYMBOL.EXCHANGE (INFY.NSE)',
    }),
  },
  { additionalProperties: false },
);

/** The path parameters of `GET /api/instruments/:instrument`. */
export type InstrumentParams = Static<typeof InstrumentParamsSchema>;

/** `GET /api/instruments/:instrument` query. */
export const InstrumentQuerySchema = Type.Object({ namespace: Namespace }, { additionalProperties: false });

/** The query of `GET /api/instruments/:instrument`. */
export type InstrumentQuery = Static<typeof InstrumentQuerySchema>;

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** One instrument of the master. */
export const InstrumentRowSchema = Type.Object(
  {
    instrumentId: Type.String({ description: 'SYMBOL.EXCHANGE' }),
    symbol: Type.String({ description: 'EXCHANGE:SYMBOL' }),
    exchange: Type.String(),
    segment: Type.String({ description: "Kite's segment (NSE, NFO-FUT, NFO-OPT, INDICES, …)" }),
    type: Type.Union(['EQ', 'FUT', 'CE', 'PE', 'INDEX'].map((t) => Type.Literal(t))),
    tradingSymbol: Type.String(),
    name: Type.String(),
    token: Type.Integer({ description: "the broker's instrument token" }),
    exchangeToken: Type.Integer(),
    tickSizePaise: Type.Integer(),
    tickSize: Type.String({ description: 'rupees with two decimals' }),
    lotSize: Type.Integer(),
    freezeQty: Type.Union([Type.Integer(), Type.Null()], {
      description: 'the most units one order may carry, or null',
    }),
    expiry: Type.Union([Type.String(), Type.Null()], { description: 'F&O: expiry date YYYY-MM-DD (IST)' }),
    strikePaise: NullableInt,
    strike: Type.Union([Type.String(), Type.Null()], { description: 'options: strike in rupees' }),
    underlying: NullableString,
    validFrom: Type.String({ description: 'date of the master version this row comes from (YYYY-MM-DD)' }),
  },
  { additionalProperties: false },
);

/** An instrument as the API returns it. */
export type InstrumentRowBody = Static<typeof InstrumentRowSchema>;

/** `GET /api/instruments`: a page of instruments by id. */
export const InstrumentsPageSchema = PageSchema(InstrumentRowSchema);

/** A page of instruments. */
export type InstrumentsPage = Static<typeof InstrumentsPageSchema>;
