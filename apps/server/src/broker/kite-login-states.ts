// The one-time `state` of an API-started Kite login. Kite echoes `redirect_params` back to the redirect URL
// (kite-connect.md §1), so the login URL carries `redirect_params=state%3D<state>` and the callback receives
// `state=<state>`: it names the account and the user that started the login, is single use and expires after 10
// minutes. States live in this process only: a restart forgets pending logins (the person starts again).
import { randomBytes } from 'node:crypto';
import type { AccountId, Clock } from '@kitepilot/core';

/** How long a login state stays valid (10 minutes). */
export const KITE_LOGIN_STATE_TTL_MS = 600_000;

/** What a state stands for. */
export interface KiteLoginIntent {
  readonly accountId: AccountId;
  /** The user who started the login, or null when the caller was not signed in (tests, no auth). */
  readonly userId: string | null;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

/** The outcome of taking a state: its intent, or why it is refused. */
export type TakenLoginState =
  | { readonly ok: true; readonly intent: KiteLoginIntent }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' };

/** What the store takes. */
export interface KiteLoginStatesOptions {
  readonly ttlMs?: number;
  /** Pending states kept at most; the oldest goes first (default 1000). */
  readonly maxPending?: number;
}

/** Issues and takes one-time login states. */
export class KiteLoginStates {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxPending: number;
  readonly #pending = new Map<string, KiteLoginIntent>();

  /** Creates an empty store timed by `clock`. */
  constructor(clock: Clock, options: KiteLoginStatesOptions = {}) {
    this.#clock = clock;
    this.#ttlMs = options.ttlMs ?? KITE_LOGIN_STATE_TTL_MS;
    this.#maxPending = options.maxPending ?? 1000;
  }

  /** Returns a new random state (192 bits, base64url) bound to `accountId` and `userId`, and its intent. */
  issue(
    accountId: AccountId,
    userId: string | null,
  ): { readonly state: string; readonly intent: KiteLoginIntent } {
    const now = this.#clock.now();
    for (const [state, intent] of this.#pending) {
      if (intent.expiresAtMs <= now) this.#pending.delete(state);
    }
    while (this.#pending.size >= this.#maxPending) {
      const oldest = this.#pending.keys().next();
      if (oldest.done === true) break;
      this.#pending.delete(oldest.value);
    }
    const state = randomBytes(24).toString('base64url');
    const intent: KiteLoginIntent = { accountId, userId, issuedAtMs: now, expiresAtMs: now + this.#ttlMs };
    this.#pending.set(state, intent);
    return { state, intent };
  }

  /** Takes `state` (it cannot be taken again, whatever the outcome) and returns its intent unless expired. */
  take(state: string): TakenLoginState {
    const intent = this.#pending.get(state);
    if (intent === undefined) return { ok: false, reason: 'unknown' };
    this.#pending.delete(state);
    if (intent.expiresAtMs <= this.#clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, intent };
  }

  /** The number of states issued and not yet taken or purged. */
  get pending(): number {
    return this.#pending.size;
  }
}
