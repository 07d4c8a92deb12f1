// The state of an account's broker connections, for the UI's token-expiry banner and re-login path. A connection is
// `expiring` within `expiringWithinMs` of its expiry (Kite: 06:00 IST after login), `expired` after it, and `missing`
// when there is none or the stored session does not open with the master keys (then `problem` says why).
import type { BrokerConnectionStatus, BrokerStatusResponse } from '@kitepilot/api-contract';
import { formatIst, type AccountId } from '@kitepilot/core';
import { SIM_USER_ID } from '@kitepilot/kite-sim';
import type { SqlExecutor } from '@kitepilot/store';
import type { CredentialSealer } from '../secrets/credential-cipher.ts';
import { KiteSessionStore, type KiteConnection } from '../secrets/kite-session-store.ts';

/** Sessions closer than this to their expiry are `expiring` (1 hour). */
export const DEFAULT_EXPIRING_WITHIN_MS = 3_600_000;

/** The API path that starts a Kite login for `accountId`. */
export function kiteLoginPath(accountId: AccountId): string {
  return `/api/broker/kite/login?account=${encodeURIComponent(accountId)}`;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ist = (ms: number | null): string | null => (ms === null ? null : formatIst(ms));

function connectionStatus(
  c: KiteConnection,
  current: boolean,
  accountId: AccountId,
  nowMs: number,
  expiringWithinMs: number,
): BrokerConnectionStatus {
  const expiresAtMs = c.session?.expiresAtMs ?? c.expiresAtMs;
  const loginAtMs = c.session?.loginTimeMs ?? null;
  let state: BrokerConnectionStatus['state'];
  if (c.session === null || expiresAtMs === null) state = 'missing';
  else if (expiresAtMs <= nowMs) state = 'expired';
  else if (expiresAtMs - nowMs <= expiringWithinMs) state = 'expiring';
  else state = 'connected';
  return {
    broker: 'zerodha',
    state,
    current,
    userId: c.userId,
    userName: c.session?.userName ?? null,
    loginAt: iso(loginAtMs),
    loginAtIst: ist(loginAtMs),
    expiresAt: iso(expiresAtMs),
    expiresAtIst: ist(expiresAtMs),
    expiresInSeconds: expiresAtMs === null ? null : Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000)),
    simulated: c.userId === SIM_USER_ID,
    problem: c.problem,
    loginPath: kiteLoginPath(accountId),
  };
}

/** What `readBrokerStatus` takes. */
export interface BrokerStatusOptions {
  readonly sql: SqlExecutor;
  /** The master keys, or null when none exists (then every stored session is `missing`). */
  readonly sealer: CredentialSealer | null;
  readonly accountId: AccountId;
  readonly nowMs: number;
  readonly expiringWithinMs?: number;
}

/** Returns the broker connections of an account with their states; a `missing` entry when it has none. */
export async function readBrokerStatus(options: BrokerStatusOptions): Promise<BrokerStatusResponse> {
  const { accountId, nowMs } = options;
  const expiringWithinMs = options.expiringWithinMs ?? DEFAULT_EXPIRING_WITHIN_MS;
  let connections: BrokerConnectionStatus[];
  if (options.sealer === null) {
    const rows = await options.sql.query<{ broker_user_id: string; session_expires_at: number | null }>(
      `SELECT broker_user_id, session_expires_at FROM broker_connections
        WHERE account_id = $1 AND broker = 'zerodha' ORDER BY updated_at DESC, id DESC`,
      [accountId],
    );
    connections = rows.rows.map((r, i) =>
      connectionStatus(
        {
          userId: r.broker_user_id,
          keyId: '',
          expiresAtMs: r.session_expires_at,
          session: null,
          problem: 'no master key exists (KITEPILOT_MASTER_KEY or the key file) to open the stored session',
        },
        i === 0,
        accountId,
        nowMs,
        expiringWithinMs,
      ),
    );
  } else {
    const stored = await new KiteSessionStore(options.sql, options.sealer).list(accountId);
    connections = stored.map((c, i) => connectionStatus(c, i === 0, accountId, nowMs, expiringWithinMs));
  }
  if (connections.length === 0) {
    connections = [
      {
        broker: 'zerodha',
        state: 'missing',
        current: true,
        userId: null,
        userName: null,
        loginAt: null,
        loginAtIst: null,
        expiresAt: null,
        expiresAtIst: null,
        expiresInSeconds: null,
        simulated: false,
        problem: null,
        loginPath: kiteLoginPath(accountId),
      },
    ];
  }
  return {
    accountId,
    checkedAt: new Date(nowMs).toISOString(),
    checkedAtIst: formatIst(nowMs),
    expiringWithinSeconds: Math.floor(expiringWithinMs / 1000),
    connections,
  };
}
