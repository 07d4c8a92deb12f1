// The programmatic API of the simulator (the contract shared with the Kite adapter's tests).
import type { Clock } from '@kitepilot/core';
import type { SimInstrument } from './market/sim-instrument.ts';

/** Options of startKiteSim. */
export interface KiteSimOptions {
  /** 0 (default) = any free port; binds 127.0.0.1 only. */
  port?: number;
  /** Default 'kpsim_key'. */
  apiKey?: string;
  /** Default 'kpsim_secret'. */
  apiSecret?: string;
  /** Default 1; same seed → same market. */
  seed?: number;
  /** Where /connect/login redirects with request_token (default: the simulator's own `/sim/login-complete`). */
  redirectUrl?: string;
  /** Where order postbacks are POSTed (null: none). */
  postbackUrl?: string | null;
  /** Drives market time, token expiry and order timestamps; default the wall clock. */
  clock?: Clock;
  /** How often the ticker streams a frame for subscribed tokens (default 250). */
  tickIntervalMs?: number;
  /** Default 1000 (must stay < 5000: the official client drops after 5 s of silence). */
  heartbeatIntervalMs?: number;
  /** Account cash in paise (default ₹10,00,000 = 100_000_000 paise); margins are checked against it. */
  cashPaise?: number;
  /** Server-side rate limits of kite-connect.md §4 (default true). */
  enforceRateLimits?: boolean;
}

/** Fault injection. */
export interface KiteSimFaults {
  /** Closes every ticker socket abruptly (no close frame). */
  dropSockets(): void;
  /** Stops sending ticks AND heartbeats for ms. */
  stallSockets(ms: number): void;
  /** Answers the next n requests (under pathPrefix) with a 5xx error envelope. */
  failNextRequests(n: number, status: 500 | 502 | 503 | 504, pathPrefix?: string): void;
  /** Answers the next n requests (under pathPrefix) with 429 and the plain-text body. */
  rateLimitNextRequests(n: number, pathPrefix?: string): void;
  /** Sends the next n responses after ms; the request still takes effect (an "uncertain" placement). */
  delayNextResponses(n: number, ms: number, pathPrefix?: string): void;
  /** Every access token issued so far now fails with 403 TokenException. */
  expireTokens(): void;
  /** Delays every later postback by ms. */
  delayPostbacks(ms: number): void;
  /** Drops the next n postbacks. */
  losePostbacks(n: number): void;
}

/** A running simulator. */
export interface KiteSim {
  /** 'http://127.0.0.1:<port>' — root for REST and for /connect/login. */
  readonly restUrl: string;
  /** 'ws://127.0.0.1:<port>' — ticker root; clients connect with ?api_key=&access_token=. */
  readonly wsUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Runs the login flow in-process (as if a person approved it) and returns a valid request_token. */
  createRequestToken(userId?: string): string;
  /** Convenience: a valid access_token for tests (exchanges a request token internally). */
  createAccessToken(userId?: string): string;
  /** The simulated universe (tokens, symbols, lot/tick/freeze). */
  readonly instruments: readonly SimInstrument[];
  /** Fault injection. */
  readonly faults: KiteSimFaults;
  /** Resolves when every postback queued so far has been attempted. */
  flushPostbacks(): Promise<void>;
  /** Returns postback delivery counters and failure messages. */
  postbackStats(): { readonly sent: number; readonly lost: number; readonly failures: readonly string[] };
  /** Returns the errors handlers threw unexpectedly (answered as 500); empty in a healthy run. */
  internalErrors(): readonly unknown[];
  close(): Promise<void>;
}
