import { Type, type Static } from '@sinclair/typebox';
import { PageCursorParam, PageLimitParam, PageSchema } from './pagination.ts';

// The audit trail (DESIGN.md invariant 8): the hash-chained records, their verification, and the daily pack. Every
// time is given twice: UTC (ISO 8601 with Z) and IST (ISO 8601 with +05:30).

const AccountParam = Type.String({
  minLength: 5,
  maxLength: 44,
  description: 'account id (acc_…); default: the configured trading account',
});

const Instant = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'an IST date YYYY-MM-DD (the whole day) or an ISO 8601 instant with Z or an offset',
});

/** `GET /api/audit` query. */
export const AuditListQuerySchema = Type.Object(
  {
    from: Type.Optional({ ...Instant, description: `records at or after: ${Instant.description}` }),
    to: Type.Optional({
      ...Instant,
      description: `records before (a date: up to its end): ${Instant.description}`,
    }),
    kind: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[0-9A-Za-z_.-]+(\\.\\*)?$',
        description: 'an exact kind (order.submitted) or a prefix ending in .* (order.*)',
      }),
    ),
    account: Type.Optional(AccountParam),
    system: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'also the records of no account (starts, configuration changes, stored kill switch)',
      }),
    ),
    limit: Type.Optional(PageLimitParam),
    cursor: Type.Optional(PageCursorParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/audit`. */
export type AuditListQuery = Static<typeof AuditListQuerySchema>;

/** One audit record. */
export const AuditEventRowSchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    accountId: Type.Union([Type.String(), Type.Null()], { description: 'null for a system record' }),
    kind: Type.String(),
    actor: Type.String({ description: 'a user, api, cli, system or a strategy id' }),
    ts: Type.String({ description: 'UTC, ISO 8601 with Z' }),
    tsIst: Type.String({ description: 'IST, ISO 8601 with +05:30' }),
    payload: Type.Unknown(),
    prevHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);

/** An audit record as the API returns it. */
export type AuditEventRowBody = Static<typeof AuditEventRowSchema>;

/** `GET /api/audit`: a page of records in seq order. */
export const AuditPageSchema = PageSchema(AuditEventRowSchema);

/** `GET /api/audit/verify` query. */
export const AuditVerifyQuerySchema = Type.Object(
  { fromSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'first seq to check (default 1)' })) },
  { additionalProperties: false },
);

/** The query of `GET /api/audit/verify`. */
export type AuditVerifyQuery = Static<typeof AuditVerifyQuerySchema>;

const BreakKind = Type.Union(
  ['edited', 'inserted', 'deleted', 'reordered', 'truncated', 'rewritten'].map((k) => Type.Literal(k)),
);

/** The result of verifying the chain: OK with the count and last hash, or the first broken seq and why. */
export const AuditVerificationSchema = Type.Object(
  {
    ok: Type.Boolean(),
    fromSeq: Type.Integer(),
    count: Type.Integer({ description: 'records verified (before the break when broken)' }),
    lastSeq: Type.Optional(Type.Integer()),
    lastHash: Type.Optional(Type.String()),
    anchorChecked: Type.Optional(Type.Boolean()),
    seq: Type.Optional(Type.Integer({ description: 'the first broken record' })),
    kind: Type.Optional(BreakKind),
    reason: Type.Optional(Type.String()),
    anchor: Type.Union([
      Type.Object(
        {
          seq: Type.Integer(),
          hash: Type.String(),
          recordedAt: Type.Integer({ description: 'epoch ms' }),
          recordedAtIst: Type.String(),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    anchorAdvanced: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** A verification result as the API returns it. */
export type AuditVerificationBody = Static<typeof AuditVerificationSchema>;

/** `GET /api/daily-pack` query. */
export const DailyPackQuerySchema = Type.Object(
  {
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'IST date YYYY-MM-DD' }),
    account: Type.Optional(AccountParam),
  },
  { additionalProperties: false },
);

/** The query of `GET /api/daily-pack`. */
export type DailyPackQuery = Static<typeof DailyPackQuerySchema>;
