import { Type, type Static } from '@sinclair/typebox';

const AccountQuery = Type.Optional(
  Type.String({ description: 'account id acc_… (default: the caller’s default account)' }),
);

/** `GET /api/broker/kite/login` query. */
export const KiteLoginQuerySchema = Type.Object(
  {
    account: AccountQuery,
    redirect: Type.Optional(
      Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')], {
        description: '1 or true: answer 302 to the login URL instead of JSON',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/broker/kite/login`. */
export type KiteLoginQuery = Static<typeof KiteLoginQuerySchema>;

/** The answer of `GET /api/broker/kite/login`: where to send the person, and until when the login may complete. */
export const KiteLoginResponseSchema = Type.Object(
  {
    accountId: Type.String(),
    broker: Type.Literal('zerodha'),
    loginUrl: Type.String({
      description: 'the Kite login page, carrying the one-time state in redirect_params',
    }),
    stateExpiresAt: Type.String({ description: 'UTC ISO-8601: the login must complete before this' }),
    stateExpiresAtIst: Type.String({ description: 'the same instant in IST' }),
  },
  { additionalProperties: false },
);

/** The answer of `GET /api/broker/kite/login`. */
export type KiteLoginResponse = Static<typeof KiteLoginResponseSchema>;

/** `GET /api/broker/kite/callback` query: what Kite appends to the redirect URL, plus the echoed state. */
export const KiteCallbackQuerySchema = Type.Object(
  {
    request_token: Type.Optional(Type.String({ maxLength: 256 })),
    status: Type.Optional(Type.String({ maxLength: 64 })),
    state: Type.Optional(Type.String({ maxLength: 256 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    type: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: true },
);

/** The query of `GET /api/broker/kite/callback`. */
export type KiteCallbackQuery = Static<typeof KiteCallbackQuerySchema>;

/** `GET /api/broker/status` query. */
export const BrokerStatusQuerySchema = Type.Object(
  { account: AccountQuery },
  { additionalProperties: false },
);

/** The query of `GET /api/broker/status`. */
export type BrokerStatusQuery = Static<typeof BrokerStatusQuerySchema>;

/** The state of a broker connection, for the token-expiry banner. */
export const BrokerConnectionStateSchema = Type.Union(
  [Type.Literal('connected'), Type.Literal('expiring'), Type.Literal('expired'), Type.Literal('missing')],
  {
    description:
      'connected; expiring (within expiringWithinSeconds); expired; missing (no session, or one that does not open)',
  },
);

/** One broker connection of an account. */
export const BrokerConnectionStatusSchema = Type.Object(
  {
    broker: Type.Literal('zerodha'),
    state: BrokerConnectionStateSchema,
    /** The most recently stored connection: the one trading uses. */
    current: Type.Boolean(),
    userId: Type.Union([Type.String(), Type.Null()], { description: 'the broker user id' }),
    userName: Type.Union([Type.String(), Type.Null()]),
    loginAt: Type.Union([Type.String(), Type.Null()], { description: 'UTC ISO-8601' }),
    loginAtIst: Type.Union([Type.String(), Type.Null()]),
    expiresAt: Type.Union([Type.String(), Type.Null()], {
      description: 'UTC ISO-8601 (06:00 IST after login)',
    }),
    expiresAtIst: Type.Union([Type.String(), Type.Null()]),
    expiresInSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    simulated: Type.Boolean({ description: 'the session belongs to the Kite simulator' }),
    problem: Type.Union([Type.String(), Type.Null()], {
      description: 'why a stored session does not open (state missing), else null',
    }),
    loginPath: Type.String({ description: 'the API path that starts a new login for this account' }),
  },
  { additionalProperties: false },
);

/** One broker connection of an account. */
export type BrokerConnectionStatus = Static<typeof BrokerConnectionStatusSchema>;

/** The answer of `GET /api/broker/status`. */
export const BrokerStatusResponseSchema = Type.Object(
  {
    accountId: Type.String(),
    checkedAt: Type.String(),
    checkedAtIst: Type.String(),
    expiringWithinSeconds: Type.Integer({ minimum: 0 }),
    connections: Type.Array(BrokerConnectionStatusSchema, {
      description: 'most recent first; one `missing` entry when the account has none',
    }),
  },
  { additionalProperties: false },
);

/** The answer of `GET /api/broker/status`. */
export type BrokerStatusResponse = Static<typeof BrokerStatusResponseSchema>;

/** The answer of an accepted `POST /api/broker/kite/postback`. */
export const KitePostbackReplySchema = Type.Object(
  {
    status: Type.Literal('ok'),
    duplicate: Type.Boolean({
      description: 'the same postback was received before; it was not applied again',
    }),
    applied: Type.Boolean({ description: 'handed to the running trading (false: stored only)' }),
  },
  { additionalProperties: false },
);

/** The answer of an accepted postback. */
export type KitePostbackReply = Static<typeof KitePostbackReplySchema>;
