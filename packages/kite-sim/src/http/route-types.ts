// The shapes shared by the simulator's REST routes.
import type { Clock } from '@kitepilot/core';
import type { SyntheticMarket } from '../market/synthetic-market.ts';
import type { OrderBook } from '../matching/order-book.ts';
import type { Portfolio } from '../matching/portfolio.ts';
import type { GttStore } from './gtt-store.ts';
import type { RateClass } from './rate-limiter.ts';
import type { SessionStore, SimSession } from './session-store.ts';

/** Everything a route handler can reach. */
export interface SimContext {
  readonly clock: Clock;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly userId: string;
  readonly cashPaise: number;
  readonly redirectUrl: string;
  readonly market: SyntheticMarket;
  readonly book: OrderBook;
  readonly portfolio: Portfolio;
  readonly sessions: SessionStore;
  readonly gtt: GttStore;
}

/** A parsed request as routes see it. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Form-encoded body fields (last value wins), merged over nothing: path echoes are ignored by handlers. */
  readonly form: Readonly<Record<string, string>>;
  /** The parsed JSON body, or undefined. */
  readonly json: unknown;
  /** Path captures of the route pattern. */
  readonly params: readonly string[];
  /** The authenticated session (null on routes that need none). */
  readonly session: SimSession | null;
}

/** A response other than the JSON success envelope. */
export interface RawResponse {
  readonly raw: true;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a route returns: the envelope's `data`, or a raw response. */
export type RouteResult = { readonly raw?: false; readonly data: unknown } | RawResponse;

/** One REST route. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: RegExp;
  readonly rateClass: RateClass | null;
  /** `token`: needs `Authorization: token api_key:access_token`; `none`: public. */
  readonly auth: 'token' | 'none';
  readonly handle: (ctx: SimContext, req: RouteRequest) => RouteResult;
}

/** Returns a success result. */
export function ok(data: unknown): RouteResult {
  return { data };
}
