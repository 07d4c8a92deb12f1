// The broker side of the instruments-master sync: the Kite contract file streamed as Instruments, and the REST client
// of the Kite session stored by `kitepilot kite login`.
import type { Clock, Instrument } from '@kitepilot/core';
import type { KiteRestClient } from '@kitepilot/kite';
import type { SqlExecutor } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { kiteRestClientFor, loadStoredKiteSession } from '../secrets/stored-kite-session.ts';

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
  const session = await loadStoredKiteSession(options);
  return kiteRestClientFor(session, options.config, options.clock);
}
