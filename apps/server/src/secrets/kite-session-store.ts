// The Kite session of an account, stored only encrypted in `broker_connections` (DESIGN.md §5). The associated data
// binds each ciphertext to its account and to the purpose `kite-session`.
import type { SqlExecutor } from '@kitepilot/store';
import { CredentialError, type CredentialContext, type CredentialSealer } from './credential-cipher.ts';

/** The purpose string of a stored Kite session. */
export const KITE_SESSION_PURPOSE = 'kite-session';

/** A Kite session as stored (decrypted form); holds secrets: never log it. */
export interface StoredKiteSession {
  readonly apiKey: string;
  readonly userId: string;
  readonly userName: string;
  readonly accessToken: string;
  readonly publicToken: string;
  /** Login time in epoch ms. */
  readonly loginTimeMs: number;
  /** Expiry (the next 06:00 IST after login) in epoch ms. */
  readonly expiresAtMs: number;
}

/** One stored Kite connection of an account: its session, or why it does not open. */
export interface KiteConnection {
  /** The Kite user id (stored in clear beside the ciphertext). */
  readonly userId: string;
  /** The id of the master key that sealed it. */
  readonly keyId: string;
  /** The expiry stored in clear, epoch ms (null on rows written without one). */
  readonly expiresAtMs: number | null;
  /** The decrypted session, or null when it does not open. */
  readonly session: StoredKiteSession | null;
  /** Why the session does not open (no secret in it), or null. */
  readonly problem: string | null;
}

interface Row {
  readonly broker_user_id: string;
  readonly credentials_ciphertext: Uint8Array;
  readonly credentials_nonce: Uint8Array;
  readonly credentials_key_id: string;
}

function context(accountId: string): CredentialContext {
  return { accountId, purpose: KITE_SESSION_PURPOSE };
}

function isSession(v: unknown): v is StoredKiteSession {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    ['apiKey', 'userId', 'userName', 'accessToken', 'publicToken'].every((k) => typeof o[k] === 'string') &&
    Number.isSafeInteger(o['loginTimeMs']) &&
    Number.isSafeInteger(o['expiresAtMs'])
  );
}

/** Saves and loads the encrypted Kite session of each account. */
export class KiteSessionStore {
  readonly #sql: SqlExecutor;
  readonly #cipher: CredentialSealer;

  /** Creates a store over `sql` (a migrated schema) encrypting with `cipher` (one key, or a key ring). */
  constructor(sql: SqlExecutor, cipher: CredentialSealer) {
    this.#sql = sql;
    this.#cipher = cipher;
  }

  /** Creates the account row when it does not exist (the first login of an installation). */
  async ensureAccount(accountId: string, name: string): Promise<void> {
    await this.#sql.query('INSERT INTO accounts (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      accountId,
      name,
    ]);
  }

  /** Stores `session` for `accountId`, replacing any earlier session of the same Kite user. */
  async save(accountId: string, session: StoredKiteSession): Promise<void> {
    const sealed = this.#cipher.encrypt(JSON.stringify(session), context(accountId));
    await this.#sql.query(
      `INSERT INTO broker_connections
         (account_id, broker, broker_user_id, credentials_ciphertext, credentials_nonce, credentials_key_id, session_expires_at)
       VALUES ($1, 'zerodha', $2, $3, $4, $5, to_timestamp($6::double precision / 1000))
       ON CONFLICT (account_id, broker, broker_user_id) DO UPDATE SET
         credentials_ciphertext = EXCLUDED.credentials_ciphertext,
         credentials_nonce = EXCLUDED.credentials_nonce,
         credentials_key_id = EXCLUDED.credentials_key_id,
         session_expires_at = EXCLUDED.session_expires_at,
         updated_at = now()`,
      [accountId, session.userId, sealed.ciphertext, sealed.nonce, sealed.keyId, session.expiresAtMs],
    );
  }

  /** Returns the most recently saved Kite session of `accountId`, or null; throws CredentialError if it won't decrypt. */
  async load(accountId: string): Promise<StoredKiteSession | null> {
    const result = await this.#sql.query<Row>(
      `SELECT broker_user_id, credentials_ciphertext, credentials_nonce, credentials_key_id
         FROM broker_connections WHERE account_id = $1 AND broker = 'zerodha'
        ORDER BY updated_at DESC, id DESC LIMIT 1`,
      [accountId],
    );
    const row = result.rows[0];
    return row === undefined ? null : this.#open(accountId, row);
  }

  /**
   * Returns every Kite connection of `accountId`, most recently saved first, each with its session or, when it does
   * not open (another master key, tampered, malformed), the reason instead; never throws for one bad row.
   */
  async list(accountId: string): Promise<KiteConnection[]> {
    const result = await this.#sql.query<Row & { session_expires_at: number | null }>(
      `SELECT broker_user_id, credentials_ciphertext, credentials_nonce, credentials_key_id, session_expires_at
         FROM broker_connections WHERE account_id = $1 AND broker = 'zerodha'
        ORDER BY updated_at DESC, id DESC`,
      [accountId],
    );
    return result.rows.map((row) => {
      const base = {
        userId: row.broker_user_id,
        keyId: row.credentials_key_id,
        expiresAtMs: row.session_expires_at,
      };
      try {
        return { ...base, session: this.#open(accountId, row), problem: null };
      } catch (error) {
        if (!(error instanceof CredentialError)) throw error;
        return { ...base, session: null, problem: error.message };
      }
    });
  }

  #open(accountId: string, row: Row): StoredKiteSession {
    const text = this.#cipher.decryptText(
      { ciphertext: row.credentials_ciphertext, nonce: row.credentials_nonce, keyId: row.credentials_key_id },
      context(accountId),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch (error) {
      throw new CredentialError(`the stored Kite session of ${accountId} is not JSON`, { cause: error });
    }
    if (!isSession(parsed) || parsed.userId !== row.broker_user_id) {
      throw new CredentialError(
        `the stored Kite session of ${accountId} (user ${row.broker_user_id}) is malformed`,
      );
    }
    return parsed;
  }
}
