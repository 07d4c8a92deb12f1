// The broker connection over the API (kite-connect.md §1):
//   GET /api/broker/kite/login?account=acc_…[&redirect=1]  (operator) the Kite login URL carrying a one-time state in
//       `redirect_params`; 302 to it with redirect=1.
//   GET /api/broker/kite/callback?request_token=…&status=success&state=…  (public: the browser arrives from Kite and
//       the state is the credential) takes the state (single use, 10 min), exchanges the request token, stores the
//       session encrypted for the state's account, appends an audit event (no secrets) and redirects to
//       `/?broker=kite&login=ok&account=…`. A bad, expired or reused state, a failed login or a failed exchange
//       answers an error (an HTML page to a browser, the JSON error body otherwise) and stores nothing.
//   GET /api/broker/status?account=acc_…  (readonly) each connection's user, login time, expiry (UTC and IST),
//       seconds left and state connected | expiring | expired | missing.
// The Kite app's redirect URL (`[kite] redirectUrl`) must point at /api/broker/kite/callback for this path.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  BrokerStatusQuerySchema,
  BrokerStatusResponseSchema,
  KiteCallbackQuerySchema,
  KiteLoginQuerySchema,
  KiteLoginResponseSchema,
  type BrokerStatusQuery,
  type ErrorCode,
  type KiteCallbackQuery,
  type KiteLoginQuery,
  type KiteLoginResponse,
} from '@kitepilot/api-contract';
import { formatIst, InvalidIdError, parseAccountId, type AccountId, type Clock } from '@kitepilot/core';
import { loginUrl } from '@kitepilot/kite';
import { SystemClock } from '@kitepilot/runtime';
import { readBrokerStatus } from '../../broker/broker-status.ts';
import { KiteLoginStates } from '../../broker/kite-login-states.ts';
import {
  exchangeKiteRequestToken,
  kiteAppCredentials,
  type KiteAppCredentials,
} from '../../broker/kite-session-exchange.ts';
import { ConfigError } from '../../config/load-config.ts';
import { CredentialError } from '../../secrets/credential-cipher.ts';
import { KiteSessionStore } from '../../secrets/kite-session-store.ts';
import { existingMasterKeyRing, loadMasterKeyRing } from '../../secrets/master-key-ring.ts';
import type { MasterKeyOptions } from '../../secrets/master-key.ts';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';

/** Starts a Kite login. */
export const KITE_LOGIN_PATH = '/api/broker/kite/login';
/** Where Kite redirects after the login (set it as the Kite app's redirect URL). */
export const KITE_CALLBACK_PATH = '/api/broker/kite/callback';
/** The broker connection status. */
export const BROKER_STATUS_PATH = '/api/broker/status';

// Request tokens are alphanumeric (kite-connect.md §1); the bound keeps junk out of the exchange.
const REQUEST_TOKEN = /^[A-Za-z0-9]{6,128}$/;

/** What registerBrokerRoutes takes besides the route context. */
export interface BrokerRouteOptions {
  /** The environment (KITEPILOT_MASTER_KEY, KITEPILOT_MASTER_KEY_FILE); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The pending login states; default a new in-memory store on the context's clock. */
  readonly loginStates?: KiteLoginStates;
  /** Sessions this close to expiry are `expiring` (default 1 hour). */
  readonly expiringWithinMs?: number;
  /** The clock of the Kite REST client's timers (default a SystemClock). */
  readonly httpClock?: Clock;
}

/** A failure the callback answers; nothing was stored. */
class LoginFailure extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;

  constructor(statusCode: number, code: ErrorCode, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendFailure(request: FastifyRequest, reply: FastifyReply, failure: LoginFailure): FastifyReply {
  reply.status(failure.statusCode).header('cache-control', 'no-store');
  // The callback is opened by a browser coming back from Kite: a person reads the answer.
  if ((request.headers.accept ?? '').includes('text/html')) {
    return reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kite login failed · KitePilot</title>' +
          '</head><body><main><h1>Kite login failed</h1>' +
          `<p>${escapeHtml(failure.message)}</p><p><a href="/">Back to KitePilot</a></p></main></body></html>`,
      );
  }
  return reply.send(errorBody(failure.code, failure.message));
}

function accountOf(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    if (error instanceof InvalidIdError) {
      throw new LoginFailure(400, 'VALIDATION_FAILED', `account ${error.message}`);
    }
    throw error;
  }
}

function appCredentials(ctx: RouteContext): KiteAppCredentials {
  try {
    return kiteAppCredentials(ctx.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new LoginFailure(503, 'UNAVAILABLE', `Kite login is not configured: ${error.problems.join('; ')}`);
  }
}

/** Registers the broker login, callback and status routes. */
export function registerBrokerRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  options: BrokerRouteOptions = {},
): void {
  const env = options.env ?? process.env;
  const states = options.loginStates ?? new KiteLoginStates(ctx.clock);
  const httpClock = options.httpClock ?? new SystemClock();
  const log = ctx.logger.child({ component: 'broker' });
  const keyOptions = (): MasterKeyOptions => ({
    masterKeyFile: env['KITEPILOT_MASTER_KEY_FILE'] ?? ctx.config.secrets.masterKeyFile,
    dataDir: ctx.config.storage.dataDir,
    env,
  });
  // Read on every use, not cached: `kitepilot keys rotate` may replace the key file while the server runs.
  const keyRing = () => {
    try {
      const loaded = loadMasterKeyRing(keyOptions());
      if (loaded.created) log.warn({ path: loaded.source }, 'created the master key file; back it up');
      return loaded.ring;
    } catch (error) {
      if (!(error instanceof CredentialError)) throw error;
      throw new LoginFailure(503, 'UNAVAILABLE', `the master key cannot be used: ${error.message}`);
    }
  };

  app.get<{ Querystring: KiteLoginQuery }>(
    KITE_LOGIN_PATH,
    {
      config: { access: 'operator', account: 'query' },
      schema: { querystring: KiteLoginQuerySchema, response: { 200: KiteLoginResponseSchema } },
    },
    async (request, reply) => {
      try {
        const accountId = accountOf(request.query.account ?? ctx.config.trading.account);
        const kite = appCredentials(ctx);
        // A master key that cannot be used must fail before the person logs in, not after.
        keyRing();
        const userId = request.principal?.userId ?? null;
        const { state, intent } = states.issue(accountId, userId);
        const url = loginUrl(kite.apiKey, ctx.config.kite.loginUrl, { state });
        log.info({ accountId, userId }, 'Kite login started');
        if (request.query.redirect === '1' || request.query.redirect === 'true') {
          return await reply.header('cache-control', 'no-store').redirect(url, 302);
        }
        const body: KiteLoginResponse = {
          accountId,
          broker: 'zerodha',
          loginUrl: url,
          stateExpiresAt: new Date(intent.expiresAtMs).toISOString(),
          stateExpiresAtIst: formatIst(intent.expiresAtMs),
        };
        return await reply.header('cache-control', 'no-store').send(body);
      } catch (error) {
        if (error instanceof LoginFailure) {
          return reply.status(error.statusCode).send(errorBody(error.code, error.message));
        }
        throw error;
      }
    },
  );

  app.get<{ Querystring: KiteCallbackQuery }>(
    KITE_CALLBACK_PATH,
    { config: { access: 'public' }, schema: { querystring: KiteCallbackQuerySchema } },
    async (request, reply) => {
      try {
        const q = request.query;
        if (q.state === undefined || q.state === '') {
          throw new LoginFailure(
            400,
            'VALIDATION_FAILED',
            `the login callback carries no state: start the login from KitePilot (${KITE_LOGIN_PATH}); nothing was stored`,
          );
        }
        const taken = states.take(q.state);
        if (!taken.ok) {
          throw new LoginFailure(
            400,
            'VALIDATION_FAILED',
            taken.reason === 'expired'
              ? 'the login state expired (a login must complete within 10 minutes): start the login again; nothing was stored'
              : 'the login state is unknown or was already used: start the login again; nothing was stored',
          );
        }
        const { intent } = taken;
        if (q.status !== 'success') {
          throw new LoginFailure(
            400,
            'VALIDATION_FAILED',
            `Kite reported the login of ${intent.accountId} as ${q.status ?? 'without a status'}, not success; nothing was stored`,
          );
        }
        const requestToken = q.request_token ?? '';
        if (!REQUEST_TOKEN.test(requestToken)) {
          throw new LoginFailure(
            400,
            'VALIDATION_FAILED',
            'the login callback carries no valid request_token; nothing was stored',
          );
        }
        const kite = appCredentials(ctx);
        const ring = keyRing();
        let session;
        try {
          session = await exchangeKiteRequestToken({
            app: kite,
            restUrl: ctx.config.kite.restUrl,
            clock: httpClock,
            requestToken,
          });
        } catch (error) {
          const message = (error as Error).message;
          log.warn({ accountId: intent.accountId, reason: message }, 'Kite token exchange failed');
          throw new LoginFailure(
            503,
            'UNAVAILABLE',
            `the Kite token exchange failed: ${message}; nothing was stored`,
          );
        }
        const sessions = new KiteSessionStore(ctx.store.driver, ring);
        await sessions.ensureAccount(intent.accountId, `Kite ${session.userId}`);
        await sessions.save(intent.accountId, session);
        await ctx.store.audit.append({
          accountId: intent.accountId,
          ts: ctx.clock.now(),
          kind: 'broker.login',
          actor: intent.userId ?? 'api',
          payload: {
            broker: 'zerodha',
            via: 'api',
            brokerUserId: session.userId,
            loginAt: new Date(session.loginTimeMs).toISOString(),
            loginAtIst: formatIst(session.loginTimeMs),
            expiresAt: new Date(session.expiresAtMs).toISOString(),
            expiresAtIst: formatIst(session.expiresAtMs),
            keyId: ring.keyId,
          },
        });
        log.info(
          { accountId: intent.accountId, brokerUserId: session.userId, userId: intent.userId },
          'Kite session stored',
        );
        const done = new URLSearchParams({ broker: 'kite', login: 'ok', account: intent.accountId });
        return await reply.header('cache-control', 'no-store').redirect(`/?${done.toString()}`, 302);
      } catch (error) {
        if (error instanceof LoginFailure) return sendFailure(request, reply, error);
        throw error;
      }
    },
  );

  app.get<{ Querystring: BrokerStatusQuery }>(
    BROKER_STATUS_PATH,
    {
      config: { access: 'readonly', account: 'query' },
      schema: { querystring: BrokerStatusQuerySchema, response: { 200: BrokerStatusResponseSchema } },
    },
    async (request, reply) => {
      let accountId: AccountId;
      let loaded;
      try {
        accountId = accountOf(request.query.account ?? ctx.config.trading.account);
        loaded = existingMasterKeyRing(keyOptions());
      } catch (error) {
        if (error instanceof LoginFailure) {
          return reply.status(error.statusCode).send(errorBody(error.code, error.message));
        }
        if (error instanceof CredentialError) {
          return reply
            .status(503)
            .send(errorBody('UNAVAILABLE', `the master key cannot be used: ${error.message}`));
        }
        throw error;
      }
      return readBrokerStatus({
        sql: ctx.store.driver,
        sealer: loaded?.ring ?? null,
        accountId,
        nowMs: ctx.clock.now(),
        ...(options.expiringWithinMs === undefined ? {} : { expiringWithinMs: options.expiringWithinMs }),
      });
    },
  );
}
