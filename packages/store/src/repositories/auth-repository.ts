import type {
  AccountId,
  ApiTokenRecord,
  AuthRepository,
  AuthSession,
  EncryptedSecret,
  LoginFailure,
  NewUser,
  UserId,
  UserRecord,
  UserRole,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { intParam, num, numOrNull, tsParam, tsParamOrNull } from './sql-params.ts';

interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly display_name: string;
  readonly role: string;
  readonly password_hash: string | null;
  readonly totp_ciphertext: Uint8Array | null;
  readonly totp_nonce: Uint8Array | null;
  readonly totp_key_id: string | null;
  readonly totp_enabled: boolean;
  readonly totp_last_step: number | null;
  readonly failed_logins: number;
  readonly locked_until: number | null;
  readonly disabled_at: number | null;
  readonly created_at: number;
  readonly account_ids: string[];
}

interface SessionRow {
  readonly id: string;
  readonly user_id: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly last_seen_at: number;
  readonly revoked_at: number | null;
  readonly ip: string | null;
  readonly user_agent: string | null;
}

interface TokenRow {
  readonly id: string;
  readonly user_id: string;
  readonly name: string;
  readonly role: string;
  readonly account_ids: string[] | null;
  readonly token_hash: string;
  readonly prefix: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly last_used_at: number | null;
  readonly revoked_at: number | null;
}

const ROLES: readonly UserRole[] = ['readonly', 'operator', 'owner'];

function role(value: string, column: string): UserRole {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new StoreValueError(`column ${column} is '${value}', not one of ${ROLES.join(', ')}`);
  }
  return value as UserRole;
}

// Grants in the order they were made: the first is the user's default account.
const USER_COLUMNS = `u.id, u.email, u.display_name, u.role, u.password_hash, u.totp_ciphertext, u.totp_nonce,
  u.totp_key_id, u.totp_enabled, u.totp_last_step, u.failed_logins, u.locked_until, u.disabled_at, u.created_at,
  COALESCE((SELECT jsonb_agg(ua.account_id ORDER BY ua.granted_at, ua.account_id) FROM user_accounts ua
            WHERE ua.user_id = u.id), '[]'::jsonb) AS account_ids`;

const TOKEN_COLUMNS = `id, user_id, name, role, to_jsonb(account_ids) AS account_ids, token_hash, prefix, created_at,
  expires_at, last_used_at, revoked_at`;

function toUser(row: UserRow): UserRecord {
  const secret: EncryptedSecret | null =
    row.totp_ciphertext === null || row.totp_nonce === null || row.totp_key_id === null
      ? null
      : { ciphertext: row.totp_ciphertext, nonce: row.totp_nonce, keyId: row.totp_key_id };
  return {
    id: row.id as UserId,
    email: row.email,
    displayName: row.display_name,
    role: role(row.role, 'users.role'),
    passwordHash: row.password_hash,
    totpSecret: secret,
    totpEnabled: row.totp_enabled,
    totpLastStep: numOrNull(row.totp_last_step, 'users.totp_last_step'),
    failedLogins: num(row.failed_logins, 'users.failed_logins'),
    lockedUntil: numOrNull(row.locked_until, 'users.locked_until'),
    disabledAt: numOrNull(row.disabled_at, 'users.disabled_at'),
    createdAt: num(row.created_at, 'users.created_at'),
    accountIds: row.account_ids as AccountId[],
  };
}

function toSession(row: SessionRow): AuthSession {
  return {
    id: row.id,
    userId: row.user_id as UserId,
    createdAt: num(row.created_at, 'auth_sessions.created_at'),
    expiresAt: num(row.expires_at, 'auth_sessions.expires_at'),
    lastSeenAt: num(row.last_seen_at, 'auth_sessions.last_seen_at'),
    revokedAt: numOrNull(row.revoked_at, 'auth_sessions.revoked_at'),
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

function toToken(row: TokenRow): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id as UserId,
    name: row.name,
    role: role(row.role, 'api_tokens.role'),
    accountIds: row.account_ids as AccountId[] | null,
    tokenHash: row.token_hash,
    prefix: row.prefix,
    createdAt: num(row.created_at, 'api_tokens.created_at'),
    expiresAt: numOrNull(row.expires_at, 'api_tokens.expires_at'),
    lastUsedAt: numOrNull(row.last_used_at, 'api_tokens.last_used_at'),
    revokedAt: numOrNull(row.revoked_at, 'api_tokens.revoked_at'),
  };
}

/** Stores users, account grants, sessions and API tokens in SQL (migration 0007). */
export class SqlAuthRepository implements AuthRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async countUsers(): Promise<number> {
    const result = await this.#sql.query<{ n: number }>('SELECT count(*) AS n FROM users');
    return num(result.rows[0]?.n, 'count(users)');
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    // One statement inserts the user and its grants (all or nothing). Grant times one millisecond apart keep the
    // order given: the first account is the default.
    await this.#sql.query(
      `WITH new_user AS (
         INSERT INTO users (id, account_id, email, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) RETURNING id
       )
       INSERT INTO user_accounts (user_id, account_id, granted_at)
       SELECT new_user.id, a.account_id, $7::timestamptz + (a.n - 1) * interval '1 millisecond'
       FROM new_user, jsonb_array_elements_text($8::jsonb) WITH ORDINALITY AS a(account_id, n)`,
      [
        user.id,
        user.accountIds[0] ?? null,
        user.email,
        user.displayName,
        role(user.role, 'role'),
        user.passwordHash,
        tsParam(user.createdAt),
        JSON.stringify(user.accountIds),
      ],
    );
    const created = await this.getUser(user.id);
    if (created === null) throw new StoreValueError(`user ${user.id} vanished right after it was created`);
    return created;
  }

  async getUser(id: UserId): Promise<UserRecord | null> {
    const result = await this.#sql.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [
      id,
    ]);
    const row = result.rows[0];
    return row === undefined ? null : toUser(row);
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const result = await this.#sql.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`,
      [email],
    );
    const row = result.rows[0];
    return row === undefined ? null : toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const result = await this.#sql.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u ORDER BY lower(u.email)`,
    );
    return result.rows.map(toUser);
  }

  async setRole(id: UserId, value: UserRole): Promise<boolean> {
    const result = await this.#sql.query('UPDATE users SET role = $2 WHERE id = $1', [
      id,
      role(value, 'role'),
    ]);
    return result.affectedRows === 1;
  }

  async setDisabled(id: UserId, at: number | null): Promise<boolean> {
    const result = await this.#sql.query('UPDATE users SET disabled_at = $2::timestamptz WHERE id = $1', [
      id,
      tsParamOrNull(at),
    ]);
    return result.affectedRows === 1;
  }

  async setPasswordHash(id: UserId, passwordHash: string): Promise<boolean> {
    const result = await this.#sql.query(
      'UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1',
      [id, passwordHash],
    );
    return result.affectedRows === 1;
  }

  async grantAccount(id: UserId, accountId: AccountId, at: number): Promise<void> {
    await this.#sql.query(
      `INSERT INTO user_accounts (user_id, account_id, granted_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (user_id, account_id) DO NOTHING`,
      [id, accountId, tsParam(at)],
    );
  }

  async revokeAccount(id: UserId, accountId: AccountId): Promise<boolean> {
    const result = await this.#sql.query('DELETE FROM user_accounts WHERE user_id = $1 AND account_id = $2', [
      id,
      accountId,
    ]);
    return result.affectedRows === 1;
  }

  async recordLoginFailure(id: UserId, maxFailures: number, lockUntil: number): Promise<LoginFailure> {
    // One statement, so that concurrent failures all count and the one reaching the limit sets the lock.
    const result = await this.#sql.query<{ failed_logins: number; locked_until: number | null }>(
      `UPDATE users SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
       WHERE id = $1 RETURNING failed_logins, locked_until`,
      [id, intParam(maxFailures, 'maxFailures'), tsParam(lockUntil)],
    );
    const row = result.rows[0];
    if (row === undefined) throw new StoreValueError(`no user ${id} to count a failed sign-in for`);
    return {
      failedLogins: num(row.failed_logins, 'users.failed_logins'),
      lockedUntil: numOrNull(row.locked_until, 'users.locked_until'),
    };
  }

  async clearLoginFailures(id: UserId): Promise<void> {
    await this.#sql.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
  }

  async setTotpSecret(id: UserId, secret: EncryptedSecret | null): Promise<void> {
    await this.#sql.query(
      `UPDATE users SET totp_ciphertext = $2, totp_nonce = $3, totp_key_id = $4, totp_enabled = false,
         totp_last_step = NULL WHERE id = $1`,
      [id, secret?.ciphertext ?? null, secret?.nonce ?? null, secret?.keyId ?? null],
    );
  }

  async useTotpStep(id: UserId, step: number, enable: boolean): Promise<boolean> {
    const result = await this.#sql.query(
      `UPDATE users SET totp_last_step = $2, totp_enabled = totp_enabled OR $3
       WHERE id = $1 AND totp_ciphertext IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [id, intParam(step, 'totp step'), enable],
    );
    return result.affectedRows === 1;
  }

  async createSession(session: AuthSession): Promise<void> {
    await this.#sql.query(
      `INSERT INTO auth_sessions (id, user_id, created_at, expires_at, last_seen_at, revoked_at, ip, user_agent)
       VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7, $8)`,
      [
        session.id,
        session.userId,
        tsParam(session.createdAt),
        tsParam(session.expiresAt),
        tsParam(session.lastSeenAt),
        tsParamOrNull(session.revokedAt),
        session.ip,
        session.userAgent,
      ],
    );
  }

  async getSession(id: string): Promise<AuthSession | null> {
    const result = await this.#sql.query<SessionRow>(
      `SELECT id, user_id, created_at, expires_at, last_seen_at, revoked_at, ip, user_agent
       FROM auth_sessions WHERE id = $1`,
      [id],
    );
    const row = result.rows[0];
    return row === undefined ? null : toSession(row);
  }

  async touchSession(id: string, at: number): Promise<void> {
    await this.#sql.query('UPDATE auth_sessions SET last_seen_at = $2::timestamptz WHERE id = $1', [
      id,
      tsParam(at),
    ]);
  }

  async revokeSession(id: string, at: number): Promise<boolean> {
    const result = await this.#sql.query(
      'UPDATE auth_sessions SET revoked_at = $2::timestamptz WHERE id = $1 AND revoked_at IS NULL',
      [id, tsParam(at)],
    );
    return result.affectedRows === 1;
  }

  async revokeUserSessions(userId: UserId, at: number): Promise<number> {
    const result = await this.#sql.query(
      'UPDATE auth_sessions SET revoked_at = $2::timestamptz WHERE user_id = $1 AND revoked_at IS NULL',
      [userId, tsParam(at)],
    );
    return result.affectedRows;
  }

  async createToken(token: ApiTokenRecord): Promise<void> {
    await this.#sql.query(
      `INSERT INTO api_tokens (id, user_id, name, role, account_ids, token_hash, prefix, created_at, expires_at,
         last_used_at, revoked_at)
       VALUES ($1, $2, $3, $4,
         CASE WHEN $5::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text($5::jsonb)) END,
         $6, $7, $8::timestamptz, $9::timestamptz, $10::timestamptz, $11::timestamptz)`,
      [
        token.id,
        token.userId,
        token.name,
        role(token.role, 'role'),
        token.accountIds === null ? null : JSON.stringify(token.accountIds),
        token.tokenHash,
        token.prefix,
        tsParam(token.createdAt),
        tsParamOrNull(token.expiresAt),
        tsParamOrNull(token.lastUsedAt),
        tsParamOrNull(token.revokedAt),
      ],
    );
  }

  async findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const result = await this.#sql.query<TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    const row = result.rows[0];
    return row === undefined ? null : toToken(row);
  }

  async listTokens(userId: UserId): Promise<ApiTokenRecord[]> {
    const result = await this.#sql.query<TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
      [userId],
    );
    return result.rows.map(toToken);
  }

  async revokeToken(userId: UserId, id: string, at: number): Promise<boolean> {
    const result = await this.#sql.query(
      `UPDATE api_tokens SET revoked_at = $3::timestamptz
       WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [userId, id, tsParam(at)],
    );
    return result.affectedRows === 1;
  }

  async touchToken(id: string, at: number, throttleMs: number): Promise<boolean> {
    const result = await this.#sql.query(
      `UPDATE api_tokens SET last_used_at = $2::timestamptz
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - make_interval(secs => $3))`,
      [id, tsParam(at), throttleMs / 1000],
    );
    return result.affectedRows === 1;
  }
}
