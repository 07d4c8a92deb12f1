import { Type, type Static } from '@sinclair/typebox';
import { PageCursorParam, PageLimitParam, PageSchema } from './pagination.ts';

// Risk profiles: named sets of the limits every order passes before any broker call. The account's active profile
// replaces the configuration's [risk] section when trading starts; a running risk engine keeps the limits it
// started with. Money in integer paise; in answers also as rupee strings.

const Paise = (description: string) =>
  Type.Integer({ minimum: 1, description: `${description}, integer paise` });
const OptionalPaise = (description: string) =>
  Type.Optional(
    Type.Union([Paise(description), Type.Null()], { description: `${description}; null: no limit` }),
  );
const HHMM = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'IST time HH:MM' });
const Symbols = (description: string) =>
  Type.Array(Type.String({ pattern: '^(NSE|BSE|NFO|BFO):\\S(.*\\S)?$' }), {
    maxItems: 1000,
    uniqueItems: true,
    description: `${description} (EXCHANGE:SYMBOL)`,
  });

/** A profile name: letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const RISK_PROFILE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

const Name = Type.String({
  pattern: RISK_PROFILE_NAME_PATTERN,
  description: 'the profile name (unique per account)',
});

const limitFields = {
  dailyLossCapPaise: Paise('daily loss cap: realised + unrealised loss + the worst case of every open stop'),
  maxInstrumentExposurePaise: OptionalPaise('max |position| × price in one instrument'),
  maxTotalExposurePaise: OptionalPaise('max Σ |position| × price'),
  maxOpenPositions: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 10_000 }), Type.Null()], {
      description: 'max instruments held at once; null: no limit',
    }),
  ),
  maxOrderValuePaise: OptionalPaise('max notional of one order'),
  maxOrdersPerSecond: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 10,
      description: 'orders per rolling second, 1–10 (SEBI retail algo threshold: 10); default 10',
    }),
  ),
  maxOrdersPerDay: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()], {
      description: 'orders per IST day; null: no limit',
    }),
  ),
  requireStopLoss: Type.Optional(
    Type.Boolean({ description: 'entries without a stop-loss are denied; default true' }),
  ),
  freezeQtyPolicy: Type.Optional(
    Type.Union([Type.Literal('slice'), Type.Literal('deny')], {
      description: 'an order above the freeze quantity: slice (default) or deny',
    }),
  ),
  entryWindowStart: Type.Optional(HHMM),
  entryWindowEnd: Type.Optional(HHMM),
  allowlist: Type.Optional(Symbols('when non-empty, only these may be traded')),
  blocklist: Type.Optional(Symbols('never traded')),
};

/** `POST /api/risk-profiles` body. Absent limits take the engine's defaults (see the field descriptions). */
export const RiskProfileCreateBodySchema = Type.Object(
  { name: Name, ...limitFields },
  { additionalProperties: false },
);

/** The body of `POST /api/risk-profiles`. */
export type RiskProfileCreateBody = Static<typeof RiskProfileCreateBodySchema>;

/** `PUT /api/risk-profiles/:name` body: every limit again (absent ones take the defaults). */
export const RiskProfileUpdateBodySchema = Type.Object(limitFields, { additionalProperties: false });

/** The body of `PUT /api/risk-profiles/:name`. */
export type RiskProfileUpdateBody = Static<typeof RiskProfileUpdateBodySchema>;

/** `/api/risk-profiles/:name…` path parameters. */
export const RiskProfileParamsSchema = Type.Object({ name: Name }, { additionalProperties: false });

/** The path parameters of `/api/risk-profiles/:name`. */
export type RiskProfileParams = Static<typeof RiskProfileParamsSchema>;

const Account = Type.String({
  minLength: 5,
  maxLength: 44,
  description: "account id (acc_…); default: the caller's default account",
});

/** The query of every risk profile route but the list. */
export const RiskProfileAccountQuerySchema = Type.Object(
  { account: Type.Optional(Account) },
  { additionalProperties: false },
);

/** The account query of the risk profile routes. */
export type RiskProfileAccountQuery = Static<typeof RiskProfileAccountQuerySchema>;

/** `GET /api/risk-profiles` query. */
export const RiskProfilesQuerySchema = Type.Object(
  {
    account: Type.Optional(Account),
    limit: Type.Optional(PageLimitParam),
    cursor: Type.Optional(PageCursorParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/risk-profiles`. */
export type RiskProfilesQuery = Static<typeof RiskProfilesQuerySchema>;

const Rupees = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: 'rupees with two decimals' });
const NullablePaise = Type.Union([Type.Integer(), Type.Null()]);
const NullableRupees = Type.Union([Rupees, Type.Null()]);

/** A stored risk profile. */
export const RiskProfileSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    name: Type.String(),
    active: Type.Boolean({ description: 'the profile trading uses from its next start' }),
    dailyLossCapPaise: Type.Integer(),
    dailyLossCap: Rupees,
    maxInstrumentExposurePaise: NullablePaise,
    maxInstrumentExposure: NullableRupees,
    maxTotalExposurePaise: NullablePaise,
    maxTotalExposure: NullableRupees,
    maxOpenPositions: Type.Union([Type.Integer(), Type.Null()]),
    maxOrderValuePaise: NullablePaise,
    maxOrderValue: NullableRupees,
    maxOrdersPerSecond: Type.Integer(),
    maxOrdersPerDay: Type.Union([Type.Integer(), Type.Null()]),
    requireStopLoss: Type.Boolean(),
    freezeQtyPolicy: Type.Union([Type.Literal('slice'), Type.Literal('deny')]),
    entryWindowStart: Type.String(),
    entryWindowEnd: Type.String(),
    allowlist: Type.Array(Type.String()),
    blocklist: Type.Array(Type.String()),
    createdAt: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
    updatedAt: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
  },
  { additionalProperties: false },
);

/** A risk profile as the API returns it. */
export type RiskProfileBody = Static<typeof RiskProfileSchema>;

/** `GET /api/risk-profiles`: a page of the account's profiles by name. */
export const RiskProfilesPageSchema = PageSchema(RiskProfileSchema);

/** A page of risk profiles. */
export type RiskProfilesPage = Static<typeof RiskProfilesPageSchema>;
