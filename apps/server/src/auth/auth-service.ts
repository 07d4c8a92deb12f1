// Signs callers in and recognises them: password (+ TOTP) sign-in creating a session, the session cookie, API
// tokens, and the one-time setup token that creates the first owner. Decisions in docs/decisions/0009-auth.md.
import type { Clock, JsonValue, UserId, UserRecord } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import type { Principal } from '../http/access.ts';
import type { CredentialCipher } from '../secrets/credential-cipher.ts';
import { AuthError } from './auth-error.ts';
import { IpRateLimiter } from './ip-rate-limiter.ts';
import { verifyDecoy, verifyPassword } from './passwords.ts';
import { principalOf } from './principal.ts';
import {
  csrfTokenOf,
  hashesEqual,
  looksLikeApiToken,
  looksLikeSessionSecret,
  randomSecret,
  sha256Hex,
} from './secret-tokens.ts';
import { matchTotpStep } from './totp.ts';

/** Limits and lifetimes; every field has a default (see DEFAULT_AUTH_OPTIONS). */
export interface AuthOptions {
  /** A session unused this long ends (default 12 h). */
  readonly sessionIdleMs: number;
  /** A session ends this long after sign-in, however active (default 7 d). */
  readonly sessionAbsoluteMs: number;
  /** Failed sign-ins in a row that lock a user (default 5). */
  readonly maxFailedLogins: number;
  /** How long a locked user stays locked (default 15 min). */
  readonly lockoutMs: number;
  /** Sign-in and setup attempts allowed per client address per window (default 20 per 5 min). */
  readonly ipMaxAttempts: number;
  readonly ipWindowMs: number;
  /** Last-use times of tokens and sessions are written at most this often (default 60 s). */
  readonly touchThrottleMs: number;
}

/** The defaults of AuthOptions. */
export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  sessionIdleMs: 12 * 3_600_000,
  sessionAbsoluteMs: 7 * 86_400_000,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  ipMaxAttempts: 20,
  ipWindowMs: 5 * 60_000,
  touchThrottleMs: 60_000,
};

/** What AuthService takes. */
export interface AuthServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Returns the cipher of TOTP secrets (the master key is read only when TOTP is used). */
  readonly cipher: () => CredentialCipher;
  readonly options?: Partial<AuthOptions>;
}

/** Where a request came from, for the per-address limit and the session record. */
export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
}

/** A recognised caller; `sessionSecret` is set when they came with the session cookie. */
export interface Authenticated {
  readonly principal: Principal;
  readonly user: UserRecord;
  readonly sessionSecret: string | null;
}

/** A new session: the cookie secret (set as kp_session) and its CSRF token. */
export interface SignedIn extends Authenticated {
  readonly sessionSecret: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/** Returns the context under which a user's TOTP secret is encrypted. */
export function totpContext(userId: UserId): { accountId: string; purpose: string } {
  return { accountId: userId, purpose: 'totp' };
}

/** Authentication: sign-in, sessions, API tokens and the setup token. */
export class AuthService {
  readonly store: Store;
  readonly clock: Clock;
  readonly options: AuthOptions;
  readonly cipher: () => CredentialCipher;
  readonly #limiter: IpRateLimiter;
  #setupTokenHash: string | null = null;

  constructor(deps: AuthServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.cipher = deps.cipher;
    this.options = { ...DEFAULT_AUTH_OPTIONS, ...deps.options };
    this.#limiter = new IpRateLimiter({
      maxAttempts: this.options.ipMaxAttempts,
      windowMs: this.options.ipWindowMs,
    });
  }

  /** Appends an `auth.*` audit record (never with a secret in the payload). */
  async audit(kind: string, actor: string, payload: JsonValue): Promise<void> {
    await this.store.audit.append({
      accountId: null,
      ts: this.clock.now(),
      kind: `auth.${kind}`,
      actor,
      payload,
    });
  }

  /** Throws RATE_LIMITED when `ip` made too many sign-in or setup attempts in the window. */
  limitAttempt(ip: string): void {
    const decision = this.#limiter.attempt(ip, this.clock.now());
    if (!decision.allowed) {
      throw new AuthError('RATE_LIMITED', `too many sign-in attempts from ${ip}; retry later`, {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
  }

  /**
   * Returns a new one-time setup token when no user exists (keeping only its hash), else null. The server start
   * path prints it once; `POST /api/auth/setup` burns it.
   */
  async issueSetupToken(): Promise<string | null> {
    if ((await this.store.auth.countUsers()) > 0) return null;
    const token = randomSecret();
    this.#setupTokenHash = sha256Hex(token);
    return token;
  }

  /** Burns the setup token when it matches (single use); throws UNAUTHENTICATED otherwise. */
  burnSetupToken(token: string): () => void {
    const expected = this.#setupTokenHash;
    if (expected === null || !hashesEqual(expected, sha256Hex(token))) {
      throw new AuthError('UNAUTHENTICATED', 'the setup token is wrong or was already used');
    }
    this.#setupTokenHash = null;
    // Returned so that a setup failing for a reason of the server's can give the token back.
    return () => {
      this.#setupTokenHash = expected;
    };
  }

  /** Signs a user in with email, password and (when enabled) a TOTP code, creating a session. */
  async login(
    input: { readonly email: string; readonly password: string; readonly totp?: string | undefined },
    client: ClientInfo,
  ): Promise<SignedIn> {
    this.limitAttempt(client.ip);
    const now = this.clock.now();
    const user = await this.store.auth.findUserByEmail(input.email);
    if (user === null || user.passwordHash === null) {
      await verifyDecoy(input.password);
      await this.audit('login_failed', 'anonymous', {
        email: input.email,
        ip: client.ip,
        reason: 'unknown user',
      });
      throw new AuthError('UNAUTHENTICATED', 'the email or the password is wrong');
    }
    if (user.lockedUntil !== null && user.lockedUntil > now) {
      await this.audit('login_refused', user.id, { ip: client.ip, reason: 'locked' });
      throw this.#locked(user.lockedUntil, now);
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      return this.#fail(user, client, 'wrong password', 'the email or the password is wrong');
    }
    if (user.disabledAt !== null) {
      await this.audit('login_refused', user.id, { ip: client.ip, reason: 'disabled' });
      throw new AuthError('UNAUTHENTICATED', 'this user is disabled');
    }
    if (user.totpEnabled && user.totpSecret !== null) {
      if (input.totp === undefined) {
        throw new AuthError('UNAUTHENTICATED', 'a TOTP code is required', {
          details: { totpRequired: true },
        });
      }
      const secret = this.cipher().decryptText(user.totpSecret, totpContext(user.id));
      const step = matchTotpStep(secret, input.totp, now);
      if (step === null) return this.#fail(user, client, 'wrong TOTP code', 'the TOTP code is wrong');
      if (!(await this.store.auth.useTotpStep(user.id, step, false))) {
        return this.#fail(
          user,
          client,
          'replayed TOTP code',
          'the TOTP code was already used; wait for the next',
        );
      }
    }
    await this.store.auth.clearLoginFailures(user.id);
    const sessionSecret = randomSecret();
    const expiresAt = now + this.options.sessionAbsoluteMs;
    await this.store.auth.createSession({
      id: sha256Hex(sessionSecret),
      userId: user.id,
      createdAt: now,
      expiresAt,
      lastSeenAt: now,
      revokedAt: null,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    });
    await this.audit('login', user.id, { ip: client.ip, totp: user.totpEnabled });
    const principal = await principalOf(this.store.accounts, user, null);
    return { principal, user, sessionSecret, csrfToken: csrfTokenOf(sessionSecret), expiresAt };
  }

  async #fail(user: UserRecord, client: ClientInfo, reason: string, message: string): Promise<never> {
    const now = this.clock.now();
    const { maxFailedLogins, lockoutMs } = this.options;
    const outcome = await this.store.auth.recordLoginFailure(user.id, maxFailedLogins, now + lockoutMs);
    await this.audit('login_failed', user.id, { ip: client.ip, reason, failedLogins: outcome.failedLogins });
    if (outcome.lockedUntil !== null && outcome.lockedUntil > now) {
      await this.audit('lockout', user.id, {
        ip: client.ip,
        failedLogins: outcome.failedLogins,
        lockedUntil: new Date(outcome.lockedUntil).toISOString(),
      });
      throw this.#locked(outcome.lockedUntil, now);
    }
    throw new AuthError('UNAUTHENTICATED', message);
  }

  #locked(until: number, now: number): AuthError {
    const seconds = Math.max(1, Math.ceil((until - now) / 1000));
    return new AuthError('RATE_LIMITED', `too many failed sign-ins: this user is locked for ${seconds} s`, {
      retryAfterSeconds: seconds,
    });
  }

  /** Ends the session of `sessionSecret`. */
  async logout(sessionSecret: string, userId: string): Promise<void> {
    await this.store.auth.revokeSession(sha256Hex(sessionSecret), this.clock.now());
    await this.audit('logout', userId, {});
  }

  /**
   * Returns the caller of a request from its Authorization header (Bearer API token, preferred) or session cookie,
   * null when it brings neither; throws UNAUTHENTICATED for credentials that are malformed, unknown or ended.
   */
  async authenticate(
    authorization: string | undefined,
    cookie: string | undefined,
  ): Promise<Authenticated | null> {
    if (authorization !== undefined) {
      const match = /^Bearer (\S+)$/i.exec(authorization.trim());
      if (match?.[1] === undefined || !looksLikeApiToken(match[1])) {
        throw new AuthError('UNAUTHENTICATED', 'the Authorization header is not "Bearer kp_…"');
      }
      return this.#byToken(match[1]);
    }
    if (cookie !== undefined && cookie !== '') return this.#bySession(cookie);
    return null;
  }

  async #byToken(token: string): Promise<Authenticated> {
    const now = this.clock.now();
    const record = await this.store.auth.findTokenByHash(sha256Hex(token));
    if (record === null) throw new AuthError('UNAUTHENTICATED', 'the API token is not known');
    if (record.revokedAt !== null)
      throw new AuthError('UNAUTHENTICATED', `API token ${record.id} was revoked`);
    if (record.expiresAt !== null && record.expiresAt <= now) {
      throw new AuthError('UNAUTHENTICATED', `API token ${record.id} has expired`);
    }
    const user = await this.#activeUser(record.userId);
    // A write only when the stored last use is older than the throttle: most requests only read.
    if (record.lastUsedAt === null || now - record.lastUsedAt >= this.options.touchThrottleMs) {
      await this.store.auth.touchToken(record.id, now, this.options.touchThrottleMs);
    }
    return { principal: await principalOf(this.store.accounts, user, record), user, sessionSecret: null };
  }

  async #bySession(secret: string): Promise<Authenticated> {
    const now = this.clock.now();
    const session = looksLikeSessionSecret(secret)
      ? await this.store.auth.getSession(sha256Hex(secret))
      : null;
    if (session === null || session.revokedAt !== null) {
      throw new AuthError('UNAUTHENTICATED', 'the session has ended; sign in again');
    }
    if (session.expiresAt <= now || now - session.lastSeenAt >= this.options.sessionIdleMs) {
      throw new AuthError('UNAUTHENTICATED', 'the session has expired; sign in again');
    }
    const user = await this.#activeUser(session.userId);
    if (now - session.lastSeenAt >= this.options.touchThrottleMs)
      await this.store.auth.touchSession(session.id, now);
    return { principal: await principalOf(this.store.accounts, user, null), user, sessionSecret: secret };
  }

  async #activeUser(id: UserId): Promise<UserRecord> {
    const user = await this.store.auth.getUser(id);
    if (user === null || user.disabledAt !== null) {
      throw new AuthError('UNAUTHENTICATED', 'the user of these credentials is disabled or gone');
    }
    return user;
  }
}
