// Login and session routes (kite-connect.md §1): the auto-approved login redirect, the checksummed token
// exchange and logout.
import { createHash } from 'node:crypto';
import { inputError, KiteApiError } from '../kite-api-error.ts';
import { kiteTimestamp } from '../ist-format.ts';
import { ok, type Route, type SimContext } from './route-types.ts';
import type { SimSession } from './session-store.ts';

/** Returns hex SHA-256 of the concatenated parts (Kite's checksum rule, §1 and §6). */
export function sha256Hex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('')).digest('hex');
}

/** Returns the `/session/token` response data of a session. */
export function sessionJson(ctx: SimContext, session: SimSession): Record<string, unknown> {
  return {
    user_id: session.userId,
    user_name: 'SIM Trader',
    user_shortname: 'SIM',
    email: 'sim.trader@kitepilot.invalid',
    user_type: 'individual',
    broker: 'ZERODHA',
    exchanges: ['NSE', 'NFO'],
    products: ['CNC', 'NRML', 'MIS', 'CO'],
    order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
    avatar_url: null,
    api_key: ctx.apiKey,
    access_token: session.accessToken,
    public_token: session.publicToken,
    refresh_token: '',
    enctoken: '',
    silo: 'sim',
    login_time: kiteTimestamp(session.loginTimeMs),
    meta: { demat_consent: 'consent' },
  };
}

function checkApiKey(ctx: SimContext, apiKey: string | undefined | null): void {
  if (apiKey !== ctx.apiKey) throw new KiteApiError(403, 'TokenException', 'Invalid `api_key`.');
}

/** The login and session routes. */
export const SESSION_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/connect\/login\/?$/,
    rateClass: null,
    auth: 'none',
    handle: (ctx, req) => {
      if (req.query.get('api_key') !== ctx.apiKey) throw inputError('Invalid `api_key`.');
      if (req.query.get('v') !== '3') throw inputError('Invalid or missing `v`: the login flow needs v=3.');
      const requestToken = ctx.sessions.issueRequestToken(ctx.userId, ctx.clock.now());
      const url = new URL(ctx.redirectUrl);
      url.searchParams.set('request_token', requestToken);
      url.searchParams.set('action', 'login');
      url.searchParams.set('type', 'login');
      url.searchParams.set('status', 'success');
      const echo = req.query.get('redirect_params');
      if (echo !== null) for (const [k, v] of new URLSearchParams(echo)) url.searchParams.append(k, v);
      return { raw: true, status: 302, contentType: null, body: '', headers: { Location: url.toString() } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/session\/token$/,
    rateClass: 'other',
    auth: 'none',
    handle: (ctx, req) => {
      checkApiKey(ctx, req.form['api_key']);
      const requestToken = req.form['request_token'] ?? '';
      const checksum = req.form['checksum'] ?? '';
      if (requestToken === '' || checksum === '') throw inputError('Missing `request_token` or `checksum`.');
      if (checksum !== sha256Hex(ctx.apiKey, requestToken, ctx.apiSecret)) {
        throw new KiteApiError(403, 'TokenException', 'Invalid session credentials');
      }
      return ok(sessionJson(ctx, ctx.sessions.exchange(requestToken, ctx.clock.now())));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/session\/token$/,
    rateClass: 'other',
    auth: 'none',
    handle: (ctx, req) => {
      checkApiKey(ctx, req.query.get('api_key'));
      const accessToken = req.query.get('access_token');
      if (accessToken === null) throw inputError('Missing `access_token`.');
      if (!ctx.sessions.invalidate(accessToken)) {
        throw new KiteApiError(403, 'TokenException', 'Incorrect `api_key` or `access_token`.');
      }
      return ok(true);
    },
  },
];
