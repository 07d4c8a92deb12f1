// `GET /api/audit?from=&to=&kind=&account=&system=&limit=&cursor=` (the hash-chained records of one account and the
// system, in seq order, paged), `GET /api/audit/verify?fromSeq=` (the chain checked against the anchor in
// `<dataDir>/audit/anchor.json`, which then moves to the verified end) and `GET /api/daily-pack?date=&account=` (the
// ZIP of one account's IST day). Times are given in UTC and IST.
import type { FastifyInstance } from 'fastify';
import {
  AuditListQuerySchema,
  AuditPageSchema,
  AuditVerificationSchema,
  AuditVerifyQuerySchema,
  DailyPackQuerySchema,
  type AuditEventRowBody,
  type AuditListQuery,
  type AuditVerificationBody,
  type AuditVerifyQuery,
  type DailyPackQuery,
} from '@kitepilot/api-contract';
import { formatIst, istToEpochMs, type AuditEvent } from '@kitepilot/core';
import { SqlAuditRepository } from '@kitepilot/store';
import {
  auditAnchorPath,
  AuditAnchorError,
  FileAuditAnchor,
  verifyAuditTrail,
} from '../../audit/audit-anchor.ts';
import { buildDailyPack } from '../../audit/daily-pack.ts';
import type { RouteContext } from '../route-context.ts';
import { resolveAccount } from './account-query.ts';
import { decodeCursor, pageLimit, pageOf } from './page-cursor.ts';
import { replyRouteError, RouteError, ROUTE_ERRORS } from './route-errors.ts';
import { istDayRange, TradingQueryError } from './trading-reads.ts';

const DAY_MS = 86_400_000;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Returns the epoch ms of a `from`/`to` value: an IST date (its start, or for `to` its end) or an ISO instant. */
export function auditTimeBound(name: 'from' | 'to', value: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      const { fromMs } = istDayRange(value);
      return name === 'from' ? fromMs : fromMs + DAY_MS;
    } catch (error) {
      if (error instanceof TradingQueryError) {
        throw new RouteError(400, 'VALIDATION_FAILED', `${name}: ${error.message}`);
      }
      throw error;
    }
  }
  const ms = instantPattern.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new RouteError(
      400,
      'VALIDATION_FAILED',
      `${name} ${JSON.stringify(value)} is neither an IST date YYYY-MM-DD nor an ISO 8601 instant with Z or an offset`,
    );
  }
  return ms;
}

/** Returns the API form of an audit record. */
export function auditEventRow(event: AuditEvent): AuditEventRowBody {
  return {
    seq: event.seq,
    accountId: event.accountId,
    kind: event.kind,
    actor: event.actor,
    ts: new Date(event.ts).toISOString(),
    tsIst: formatIst(event.ts),
    payload: event.payload,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** Registers `GET /api/audit`, `GET /api/audit/verify` and `GET /api/daily-pack`. */
export function registerAuditRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const audit = new SqlAuditRepository(ctx.store.driver);
  const anchor = new FileAuditAnchor(auditAnchorPath(ctx.config.storage.dataDir));

  app.get<{ Querystring: AuditListQuery }>(
    '/api/audit',
    {
      config: { access: 'readonly', account: 'query' },
      schema: { querystring: AuditListQuerySchema, response: { 200: AuditPageSchema, ...ROUTE_ERRORS } },
    },
    async (request, reply) => {
      try {
        const q = request.query;
        const fromMs = q.from === undefined ? undefined : auditTimeBound('from', q.from);
        const toMs = q.to === undefined ? undefined : auditTimeBound('to', q.to);
        if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
          throw new RouteError(400, 'VALIDATION_FAILED', `to ${q.to} is not after from ${q.from}`);
        }
        const limit = pageLimit(q.limit);
        const after = decodeCursor(q.cursor, ['number']);
        const accountId = await resolveAccount(ctx.store, ctx.config, q.account);
        const rows = await audit.list({
          ...(fromMs === undefined ? {} : { fromMs }),
          ...(toMs === undefined ? {} : { toMs }),
          ...(q.kind === undefined ? {} : { kind: q.kind }),
          accountId,
          includeSystem: q.system ?? true,
          afterSeq: after === null ? 0 : (after[0] as number),
          limit: limit + 1,
        });
        return pageOf(rows, limit, auditEventRow, (e) => [e.seq]);
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );

  app.get<{ Querystring: AuditVerifyQuery }>(
    '/api/audit/verify',
    {
      config: { access: 'readonly' },
      schema: {
        querystring: AuditVerifyQuerySchema,
        response: { 200: AuditVerificationSchema, ...ROUTE_ERRORS },
      },
    },
    async (request, reply): Promise<AuditVerificationBody> => {
      try {
        return await verifyAuditTrail(audit, anchor, {
          ...(request.query.fromSeq === undefined ? {} : { fromSeq: request.query.fromSeq }),
          now: ctx.clock.now(),
        });
      } catch (error) {
        if (error instanceof RangeError)
          return replyRouteError(reply, new RouteError(400, 'VALIDATION_FAILED', error.message));
        if (error instanceof AuditAnchorError) {
          return replyRouteError(reply, new RouteError(409, 'CONFLICT', error.message));
        }
        return replyRouteError(reply, error);
      }
    },
  );

  app.get<{ Querystring: DailyPackQuery }>(
    '/api/daily-pack',
    {
      config: { access: 'readonly', account: 'query' },
      schema: {
        querystring: DailyPackQuerySchema,
        response: {
          200: { type: 'string', format: 'binary', description: 'application/zip: the daily pack' },
          ...ROUTE_ERRORS,
        },
      },
    },
    async (request, reply) => {
      try {
        try {
          istToEpochMs(request.query.date, '00:00');
        } catch (error) {
          throw new RouteError(
            400,
            'VALIDATION_FAILED',
            `date ${request.query.date} is not a calendar date`,
            {
              cause: (error as Error).message,
            },
          );
        }
        const accountId = await resolveAccount(ctx.store, ctx.config, request.query.account);
        const pack = await buildDailyPack(ctx.store, request.query.date, accountId);
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', `attachment; filename="${pack.fileName}"`)
          .send(Buffer.from(pack.zip));
      } catch (error) {
        return replyRouteError(reply, error);
      }
    },
  );
}
