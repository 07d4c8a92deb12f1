// The broker side of the instruments-master sync: the Kite contract file streamed as Instruments, and the REST client
// of the Kite session stored by `kitepilot kite login`.
import { formatIst, parseAccountId, type Clock, type Instrument } from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import type { SqlExecutor } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { CredentialCipher } from '../secrets/credential-cipher.ts';
import { KiteSessionStore } from '../secrets/kite-session-store.ts';
import { loadMasterKey } from '../secrets/master-key.ts';

/** A row of the contract file that is not an instrument we model (currency, commodity, …), with the reason. */
export interface SkippedInstrumentRow {
  readonly tradingsymbol: string;
  readonly segment: string;
  readonly reason: string;
}

/** Returns the instruments of the Kite contract file (all exchanges, or one) as they stream in; skipped rows go to `onSkipped`. */
export async function* kiteInstrumentSource(
  rest: KiteRestClient,
  options: { readonly exchange?: string; readonly onSkipped?: (row: SkippedInstrumentRow) => void } = {},
): AsyncGenerator<Instrument> {
  for await (const row of rest.streamInstruments(options.exchange)) {
    if (row.kind === 'instrument') yield row.instrument;
    else options.onSkipped?.({ tradingsymbol: row.tradingsymbol, segment: row.segment, reason: row.reason });
  }
}

/** What openKiteRestClient takes. */
export interface KiteRestClientFromSessionOptions {
  readonly config: Config;
  /** The store holding the encrypted session (`broker_connections`). */
  readonly sql: SqlExecutor;
  readonly clock: Clock;
  /** Default `acc_default`. */
  readonly accountId?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Returns a REST client authenticated with the account's stored Kite session; throws a message that says to run
 * `kitepilot kite login` when there is no session or it has expired.
 */
export async function openKiteRestClient(options: KiteRestClientFromSessionOptions): Promise<KiteRestClient> {
  const { config, clock } = options;
  const env = options.env ?? process.env;
  const accountId = parseAccountId(options.accountId ?? 'acc_default');
  const masterKey = loadMasterKey({
    masterKeyFile: env['KITEPILOT_MASTER_KEY_FILE'] ?? config.secrets.masterKeyFile,
    dataDir: config.storage.dataDir,
    env,
  });
  const session = await new KiteSessionStore(options.sql, new CredentialCipher(masterKey.key)).load(
    accountId,
  );
  if (session === null) {
    throw new Error(`no Kite session is stored for ${accountId}: run \`kitepilot kite login\` first`);
  }
  if (session.expiresAtMs <= clock.now()) {
    throw new Error(
      `the Kite session of ${accountId} (user ${session.userId}) expired at ${formatIst(session.expiresAtMs)}: ` +
        'run `kitepilot kite login` again',
    );
  }
  return new KiteRestClient({
    apiKey: session.apiKey,
    baseUrl: config.kite.restUrl,
    accessToken: session.accessToken,
    clock,
  });
}
