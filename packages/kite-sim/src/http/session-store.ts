// Login state: single-use request tokens (~5 min) and access tokens valid until the next 06:00 IST
// (kite-connect.md §1, §8.9), all timed by the injected clock.
import { randomBytes } from 'node:crypto';
import { IST_OFFSET_MS } from '@kitepilot/core';
import { KiteApiError } from '../kite-api-error.ts';

/** Request-token lifetime. */
export const REQUEST_TOKEN_TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const SIX_AM_MS = 6 * 3_600_000;

/** An issued access token. */
export interface SimSession {
  readonly userId: string;
  readonly accessToken: string;
  readonly publicToken: string;
  readonly loginTimeMs: number;
  readonly expiresAtMs: number;
}

/** Returns the first 06:00 IST strictly after an instant. */
export function nextSixAmIst(epochMs: number): number {
  const local = epochMs + IST_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const sixToday = dayStart + SIX_AM_MS;
  return (local < sixToday ? sixToday : sixToday + DAY_MS) - IST_OFFSET_MS;
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Issues and checks request and access tokens. */
export class SessionStore {
  readonly #requestTokens = new Map<string, { userId: string; expiresAtMs: number }>();
  readonly #sessions = new Map<string, SimSession>();

  /** Issues a request token for `userId` (as if the person approved the login). */
  issueRequestToken(userId: string, nowMs: number): string {
    const value = token(16);
    this.#requestTokens.set(value, { userId, expiresAtMs: nowMs + REQUEST_TOKEN_TTL_MS });
    return value;
  }

  /** Consumes a request token and returns a new session; throws a TokenException for an unknown, used or expired token. */
  exchange(requestToken: string, nowMs: number): SimSession {
    const entry = this.#requestTokens.get(requestToken);
    this.#requestTokens.delete(requestToken);
    if (entry === undefined || nowMs >= entry.expiresAtMs) {
      throw new KiteApiError(403, 'TokenException', 'Token is invalid or has expired.');
    }
    const session: SimSession = {
      userId: entry.userId,
      accessToken: token(16),
      publicToken: token(16),
      loginTimeMs: nowMs,
      expiresAtMs: nextSixAmIst(nowMs),
    };
    this.#sessions.set(session.accessToken, session);
    return session;
  }

  /** Returns the live session of an access token, or null when it is unknown, invalidated or expired. */
  validate(accessToken: string, nowMs: number): SimSession | null {
    const session = this.#sessions.get(accessToken);
    if (session === undefined || nowMs >= session.expiresAtMs) return null;
    return session;
  }

  /** Invalidates an access token (logout); returns false when it was not live. */
  invalidate(accessToken: string): boolean {
    return this.#sessions.delete(accessToken);
  }

  /** Expires every access token issued so far (fault injection). */
  expireAll(): void {
    this.#sessions.clear();
  }
}
