import { existsSync } from 'node:fs';
import { formatIst, parseAccountId, type Clock } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { SIM_USER_ID } from '@kitepilot/kite-sim';
import type { SqlExecutor } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { KiteSessionStore, type StoredKiteSession } from './kite-session-store.ts';
import { loadMasterKeyRing } from './master-key-ring.ts';
import { MASTER_KEY_ENV, masterKeyPath } from './master-key.ts';

/** There is no usable Kite session: none stored, no master key to read one, or it has expired. */
export class KiteSessionUnavailableError extends Error {
  override name = 'KiteSessionUnavailableError';
}

/** What `loadStoredKiteSession` needs. */
export interface StoredKiteSessionOptions {
  readonly config: Config;
  /** The store holding the encrypted session (`broker_connections`). */
  readonly sql: SqlExecutor;
  readonly clock: Clock;
  /** Default `acc_default`. */
  readonly accountId?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Accept the Kite simulator's session (user SIM001) and flag it `simulated` instead of refusing it: only for a
   * caller that keeps everything it does in the 'simulated' namespace (DESIGN.md invariant 9). Default false.
   */
  readonly allowSimulator?: boolean;
}

/** A loaded Kite session; `simulated` is true when it is the Kite simulator's (only with `allowSimulator`). */
export interface LoadedKiteSession extends StoredKiteSession {
  readonly simulated: boolean;
}

/**
 * Returns the account's stored Kite session, decrypted, when it is still valid and not the simulator's (unless
 * `allowSimulator`, which returns it flagged `simulated`); otherwise throws `KiteSessionUnavailableError` with a
 * message that says what to do. It never creates a master key (a missing key means no session can have been
 * stored). Callers without `allowSimulator` record real market data.
 */
export async function loadStoredKiteSession(options: StoredKiteSessionOptions): Promise<LoadedKiteSession> {
  const { config, clock } = options;
  const env = options.env ?? process.env;
  const accountId = parseAccountId(options.accountId ?? 'acc_default');
  const keyOptions = {
    masterKeyFile: env['KITEPILOT_MASTER_KEY_FILE'] ?? config.secrets.masterKeyFile,
    dataDir: config.storage.dataDir,
    env,
  };
  if ((env[MASTER_KEY_ENV] ?? '') === '' && !existsSync(masterKeyPath(keyOptions))) {
    throw new KiteSessionUnavailableError(
      `no Kite session is stored for ${accountId} (no master key at ${masterKeyPath(keyOptions)}): ` +
        'run `kitepilot kite login` first',
    );
  }
  // The ring also opens a session sealed by the other key of an unfinished key rotation.
  const { ring } = loadMasterKeyRing(keyOptions);
  const session = await new KiteSessionStore(options.sql, ring).load(accountId);
  if (session === null) {
    throw new KiteSessionUnavailableError(
      `no Kite session is stored for ${accountId}: run \`kitepilot kite login\` first`,
    );
  }
  // Invariant 9: simulated data never mixes with real data. A session from the Kite simulator (`kitepilot kite login`
  // against `kitepilot kite-sim`) must not feed the real namespace; the demo has its own in-process path.
  const simulated = session.userId === SIM_USER_ID;
  if (simulated && options.allowSimulator !== true) {
    throw new KiteSessionUnavailableError(
      `the Kite session of ${accountId} belongs to the Kite simulator (user ${SIM_USER_ID}): it cannot feed real ` +
        'market data; use `kitepilot ingest --demo` or `kitepilot start --demo`, or log in to Kite',
    );
  }
  if (session.expiresAtMs <= clock.now()) {
    throw new KiteSessionUnavailableError(
      `the Kite session of ${accountId} (user ${session.userId}) expired at ${formatIst(session.expiresAtMs)}: ` +
        'run `kitepilot kite login` again',
    );
  }
  return { ...session, simulated };
}

/** Returns a REST client authenticated with a stored session, on the configured REST root. */
export function kiteRestClientFor(session: StoredKiteSession, config: Config, clock: Clock): KiteRestClient {
  return new KiteRestClient({
    apiKey: session.apiKey,
    baseUrl: config.kite.restUrl,
    accessToken: session.accessToken,
    clock,
  });
}
