// Session, profile and funds responses (kite-connect.md §1, §2.3) in our units: paise and epoch ms.
import type { Paise } from '@kitepilot/core';
import { readIstField } from './kite-time.ts';
import { amountPaise, bool, obj, optStr, str, strs, type KiteJson } from './kite-values.ts';

/** The user's profile (GET /user/profile). */
export interface KiteProfile {
  readonly userId: string;
  readonly userName: string;
  readonly userShortname: string;
  readonly userType: string;
  readonly email: string;
  readonly broker: string;
  readonly exchanges: readonly string[];
  readonly products: readonly string[];
  readonly orderTypes: readonly string[];
  readonly avatarUrl: string | null;
}

/** A session from the token exchange (POST /session/token); holds secrets: never log it. */
export interface KiteSession extends KiteProfile {
  readonly apiKey: string;
  readonly accessToken: string;
  readonly publicToken: string;
  readonly refreshToken: string;
  /** `login_time` (IST) in epoch ms, or null when absent. */
  readonly loginTimeMs: number | null;
}

/** Returns the profile in `data`. */
export function parseProfile(data: unknown): KiteProfile {
  const o = obj(data, 'profile');
  return {
    userId: str(o, 'user_id'),
    userName: str(o, 'user_name'),
    userShortname: str(o, 'user_shortname'),
    userType: str(o, 'user_type'),
    email: str(o, 'email'),
    broker: str(o, 'broker'),
    exchanges: strs(o, 'exchanges'),
    products: strs(o, 'products'),
    orderTypes: strs(o, 'order_types'),
    avatarUrl: optStr(o, 'avatar_url'),
  };
}

/** Returns the session in `data`; throws when it has no access token. */
export function parseSession(data: unknown): KiteSession {
  const o = obj(data, 'session');
  const accessToken = str(o, 'access_token');
  if (accessToken === '') throw new RangeError('Kite session response has no access_token');
  return {
    ...parseProfile(o),
    apiKey: str(o, 'api_key'),
    accessToken,
    publicToken: str(o, 'public_token'),
    refreshToken: str(o, 'refresh_token'),
    loginTimeMs: readIstField(o['login_time']),
  };
}

/** The funds of one segment (GET /user/margins/{segment}); every amount in paise. */
export interface KiteSegmentMargins {
  readonly enabled: boolean;
  readonly netPaise: Paise;
  /** `available.*` (cash, collateral, live_balance, opening_balance, intraday_payin, adhoc_margin, …). */
  readonly available: Readonly<Record<string, Paise>>;
  /** `utilised.*` (debits, exposure, span, option_premium, m2m_realised, …). */
  readonly utilised: Readonly<Record<string, Paise>>;
}

/** Both segments' funds (GET /user/margins). */
export interface KiteMargins {
  readonly equity: KiteSegmentMargins | null;
  readonly commodity: KiteSegmentMargins | null;
}

function amounts(v: unknown, what: string): Record<string, Paise> {
  if (v === undefined || v === null) return {};
  const o = obj(v, what);
  const out: Record<string, Paise> = {};
  for (const key of Object.keys(o)) if (typeof o[key] === 'number') out[key] = amountPaise(o, key);
  return out;
}

/** Returns one segment's funds. */
export function parseSegmentMargins(data: unknown): KiteSegmentMargins {
  const o: KiteJson = obj(data, 'segment margins');
  return {
    enabled: bool(o, 'enabled'),
    netPaise: amountPaise(o, 'net'),
    available: amounts(o['available'], 'available'),
    utilised: amounts(o['utilised'], 'utilised'),
  };
}

/** Returns both segments' funds. */
export function parseMargins(data: unknown): KiteMargins {
  const o = obj(data, 'margins');
  return {
    equity: o['equity'] === undefined || o['equity'] === null ? null : parseSegmentMargins(o['equity']),
    commodity:
      o['commodity'] === undefined || o['commodity'] === null ? null : parseSegmentMargins(o['commodity']),
  };
}
