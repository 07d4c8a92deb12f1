import { Type, type Static } from '@sinclair/typebox';

// Authentication and user administration (docs/decisions/0009-auth.md). Secrets travel only in request bodies and in
// the one response that creates them (an API token, a TOTP enrolment URI); no response repeats them later.

const RoleSchema = Type.Union([Type.Literal('readonly'), Type.Literal('operator'), Type.Literal('owner')], {
  description: 'installation role: readonly < operator < owner',
});
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' });
const Password = Type.String({ minLength: 1, maxLength: 1024, description: 'at least 12 characters' });
const DisplayName = Type.String({ minLength: 1, maxLength: 200 });
const AccountIdString = Type.String({
  pattern: '^acc_[0-9A-Za-z]{1,40}$',
  description: 'account id (acc_…)',
});
const IstTime = Type.String({ description: 'IST, ISO 8601 with +05:30' });
const IstTimeOrNull = Type.Union([IstTime, Type.Null()]);

/** `POST /api/auth/setup` body: creates the first owner with the token the server printed at start. */
export const SetupBodySchema = Type.Object(
  {
    setupToken: Type.String({ minLength: 1, maxLength: 200 }),
    email: Email,
    password: Password,
    displayName: DisplayName,
    accountName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
/** The body of `POST /api/auth/setup`. */
export type SetupBody = Static<typeof SetupBodySchema>;

/** `POST /api/auth/login` body. */
export const LoginBodySchema = Type.Object(
  {
    email: Email,
    password: Password,
    totp: Type.Optional(Type.String({ minLength: 6, maxLength: 6, description: '6-digit TOTP code' })),
  },
  { additionalProperties: false },
);
/** The body of `POST /api/auth/login`. */
export type LoginBody = Static<typeof LoginBodySchema>;

/** A user as the API shows it. */
export const UserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    role: RoleSchema,
    accountIds: Type.Array(Type.String(), { description: 'granted accounts; the first is the default' }),
    totpEnabled: Type.Boolean(),
    disabledAt: IstTimeOrNull,
    lockedUntil: IstTimeOrNull,
    createdAt: IstTime,
  },
  { additionalProperties: false },
);
/** A user as the API shows it. */
export type UserBody = Static<typeof UserSchema>;

/** `GET /api/users`. */
export const UsersResponseSchema = Type.Array(UserSchema);

/** The signed-in caller: `GET /api/auth/session` and the answer of `POST /api/auth/login`. */
export const SessionResponseSchema = Type.Object(
  {
    user: UserSchema,
    via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
    role: RoleSchema,
    accountIds: Type.Array(Type.String(), { description: 'accounts the caller may act on' }),
    defaultAccountId: Type.Union([Type.String(), Type.Null()]),
    csrfToken: Type.Union([Type.String(), Type.Null()], {
      description: 'send as x-csrf-token on POST/PUT/PATCH/DELETE with the session cookie; null for tokens',
    }),
  },
  { additionalProperties: false },
);
/** The signed-in caller. */
export type SessionResponse = Static<typeof SessionResponseSchema>;

/** `POST /api/auth/totp/enrol` answer: the URI to scan, shown once. */
export const TotpEnrolResponseSchema = Type.Object({ uri: Type.String() }, { additionalProperties: false });
/** The answer of `POST /api/auth/totp/enrol`. */
export type TotpEnrolResponse = Static<typeof TotpEnrolResponseSchema>;

/** `POST /api/auth/totp/confirm` body. */
export const TotpConfirmBodySchema = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 6 }) },
  { additionalProperties: false },
);
/** The body of `POST /api/auth/totp/confirm`. */
export type TotpConfirmBody = Static<typeof TotpConfirmBodySchema>;

/** `DELETE /api/auth/totp` body: the password confirms it. */
export const TotpDisableBodySchema = Type.Object({ password: Password }, { additionalProperties: false });
/** The body of `DELETE /api/auth/totp`. */
export type TotpDisableBody = Static<typeof TotpDisableBodySchema>;

/** `POST /api/users` body. */
export const UserCreateBodySchema = Type.Object(
  {
    email: Email,
    password: Password,
    displayName: DisplayName,
    role: RoleSchema,
    accountIds: Type.Optional(Type.Array(AccountIdString, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
/** The body of `POST /api/users`. */
export type UserCreateBody = Static<typeof UserCreateBodySchema>;

/** `PATCH /api/users/:id` body. */
export const UserPatchBodySchema = Type.Object(
  { role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
/** The body of `PATCH /api/users/:id`. */
export type UserPatchBody = Static<typeof UserPatchBodySchema>;

/** `/api/users/:id` path parameters. */
export const UserParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);
/** The path parameters of `/api/users/:id`. */
export type UserParams = Static<typeof UserParamsSchema>;

/** `/api/users/:id/accounts/:accountId` path parameters. */
export const UserAccountParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 60 }), accountId: AccountIdString },
  { additionalProperties: false },
);
/** The path parameters of `/api/users/:id/accounts/:accountId`. */
export type UserAccountParams = Static<typeof UserAccountParamsSchema>;

/** An API token as listed (never the token itself). */
export const ApiTokenSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    accountIds: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'accounts the token may act on; null = every account of its user',
    }),
    prefix: Type.String({ description: 'the first characters of the token' }),
    createdAt: IstTime,
    expiresAt: IstTimeOrNull,
    lastUsedAt: IstTimeOrNull,
    revokedAt: IstTimeOrNull,
  },
  { additionalProperties: false },
);
/** An API token as listed. */
export type ApiTokenBody = Static<typeof ApiTokenSchema>;

/** `GET /api/tokens`. */
export const ApiTokensResponseSchema = Type.Array(ApiTokenSchema);

/** `POST /api/tokens` body. */
export const ApiTokenCreateBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: RoleSchema,
    accountIds: Type.Optional(Type.Array(AccountIdString, { minItems: 1, maxItems: 100 })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
/** The body of `POST /api/tokens`. */
export type ApiTokenCreateBody = Static<typeof ApiTokenCreateBodySchema>;

/** `POST /api/tokens` answer: the token, shown this once, and its listing. */
export const ApiTokenCreatedSchema = Type.Object(
  { token: Type.String({ description: 'kp_…; shown once, store it now' }), info: ApiTokenSchema },
  { additionalProperties: false },
);
/** The answer of `POST /api/tokens`. */
export type ApiTokenCreated = Static<typeof ApiTokenCreatedSchema>;

/** `DELETE /api/tokens/:id` path parameters. */
export const ApiTokenParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);
/** The path parameters of `DELETE /api/tokens/:id`. */
export type ApiTokenParams = Static<typeof ApiTokenParamsSchema>;
