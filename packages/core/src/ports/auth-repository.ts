import type { AccountId, UserId } from '../model/ids.ts';

/** The installation role of a user or an API token, lowest first: readonly < operator < owner. */
export type UserRole = 'readonly' | 'operator' | 'owner';

/** A secret encrypted at rest (AES-256-GCM): ciphertext with its tag, the nonce, and the id of the key used. */
export interface EncryptedSecret {
  readonly ciphertext: Uint8Array;
  readonly nonce: Uint8Array;
  readonly keyId: string;
}

/** A user as stored, with the material needed to check credentials (never leaves the server). */
export interface UserRecord {
  readonly id: UserId;
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  /** An argon2id PHC string, or null for a user who cannot sign in with a password. */
  readonly passwordHash: string | null;
  /** The TOTP secret, encrypted; present but not enabled while an enrolment awaits its first code. */
  readonly totpSecret: EncryptedSecret | null;
  readonly totpEnabled: boolean;
  /** The last 30-second step whose code was accepted. */
  readonly totpLastStep: number | null;
  readonly failedLogins: number;
  /** Epoch ms until which password sign-in is refused, or null. */
  readonly lockedUntil: number | null;
  readonly disabledAt: number | null;
  readonly createdAt: number;
  /** The accounts granted to the user, by id. */
  readonly accountIds: readonly AccountId[];
}

/** What creates a user. */
export interface NewUser {
  readonly id: UserId;
  readonly email: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly passwordHash: string | null;
  readonly createdAt: number;
  /** Accounts granted at creation (the first is the user's default). */
  readonly accountIds: readonly AccountId[];
}

/** A browser session; `id` is the SHA-256 (hex) of the cookie secret. */
export interface AuthSession {
  readonly id: string;
  readonly userId: UserId;
  readonly createdAt: number;
  /** Absolute end: the session is refused from then on, however active it is. */
  readonly expiresAt: number;
  readonly lastSeenAt: number;
  readonly revokedAt: number | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** An API token as stored: its hash, never the token. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly name: string;
  readonly role: UserRole;
  /** The accounts the token may act on; null = every account of its user. */
  readonly accountIds: readonly AccountId[] | null;
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  /** The first characters of the token, to tell tokens apart in lists. */
  readonly prefix: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

/** The outcome of counting one failed sign-in. */
export interface LoginFailure {
  readonly failedLogins: number;
  readonly lockedUntil: number | null;
}

/** Stores users, their accounts, sessions and API tokens (table comments in migration 0007). */
export interface AuthRepository {
  /** Returns how many users exist. */
  countUsers(): Promise<number>;
  /** Creates a user with its account grants; throws a store UNIQUE_VIOLATION when the email is taken. */
  createUser(user: NewUser): Promise<UserRecord>;
  /** Returns a user by id, or null. */
  getUser(id: UserId): Promise<UserRecord | null>;
  /** Returns a user by email (case-insensitive), or null. */
  findUserByEmail(email: string): Promise<UserRecord | null>;
  /** Returns every user, by email. */
  listUsers(): Promise<UserRecord[]>;
  /** Sets a user's role; returns false when there is no such user. */
  setRole(id: UserId, role: UserRole): Promise<boolean>;
  /** Disables a user at `at`, or enables them again with null; returns false when there is no such user. */
  setDisabled(id: UserId, at: number | null): Promise<boolean>;
  /** Sets a user's password hash and clears the lockout; returns false when there is no such user. */
  setPasswordHash(id: UserId, passwordHash: string): Promise<boolean>;
  /** Grants an account to a user (no-op when already granted). */
  grantAccount(id: UserId, accountId: AccountId, at: number): Promise<void>;
  /** Revokes an account from a user; returns false when it was not granted. */
  revokeAccount(id: UserId, accountId: AccountId): Promise<boolean>;
  /** Counts a failed sign-in; at `maxFailures` failures the user is locked until `lockUntil`. */
  recordLoginFailure(id: UserId, maxFailures: number, lockUntil: number): Promise<LoginFailure>;
  /** Clears the failed sign-in counter and the lock. */
  clearLoginFailures(id: UserId): Promise<void>;
  /** Stores a pending TOTP secret (not enabled), or removes TOTP with null. */
  setTotpSecret(id: UserId, secret: EncryptedSecret | null): Promise<void>;
  /**
   * Records that a code of `step` was accepted, only when no code of this or a later step was accepted before;
   * returns false for a replay. With `enable`, TOTP becomes enabled in the same statement.
   */
  useTotpStep(id: UserId, step: number, enable: boolean): Promise<boolean>;
  /** Stores a new session. */
  createSession(session: AuthSession): Promise<void>;
  /** Returns a session by id (hash), or null. */
  getSession(id: string): Promise<AuthSession | null>;
  /** Sets a session's last activity. */
  touchSession(id: string, at: number): Promise<void>;
  /** Revokes a session; returns false when there is no live session with that id. */
  revokeSession(id: string, at: number): Promise<boolean>;
  /** Revokes every live session of a user; returns how many. */
  revokeUserSessions(userId: UserId, at: number): Promise<number>;
  /** Stores a new API token. */
  createToken(token: ApiTokenRecord): Promise<void>;
  /** Returns the token with this hash, or null. */
  findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** Returns a user's tokens, newest first. */
  listTokens(userId: UserId): Promise<ApiTokenRecord[]>;
  /** Revokes a user's token; returns false when the user has no live token with that id. */
  revokeToken(userId: UserId, id: string, at: number): Promise<boolean>;
  /** Sets a token's last use to `at` unless it was set less than `throttleMs` before; returns true when written. */
  touchToken(id: string, at: number, throttleMs: number): Promise<boolean>;
}
