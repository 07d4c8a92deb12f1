// The Kite request-token exchange (kite-connect.md §1), shared by `kitepilot kite login` and the API's login callback:
// POST /session/token with checksum = SHA-256(api_key + request_token + api_secret); the session expires at the
// next 06:00 IST after its login time.
import type { Clock } from '@kitepilot/core';
import { accessTokenExpiry, KiteRestClient } from '@kitepilot/kite';
import type { Config } from '../config/config-schema.ts';
import { ConfigError, envNameOf } from '../config/load-config.ts';
import type { StoredKiteSession } from '../secrets/kite-session-store.ts';

/** The Kite Connect app's credentials; the secret must never be logged. */
export interface KiteAppCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** Returns `[kite] apiKey` and `apiSecret`; throws ConfigError naming each missing one and its variable. */
export function kiteAppCredentials(config: Config): KiteAppCredentials {
  const { apiKey, apiSecret } = config.kite;
  const missing = (
    [
      ['apiKey', apiKey],
      ['apiSecret', apiSecret],
    ] as const
  )
    .filter(([, value]) => value === undefined)
    .map(
      ([key]) =>
        `kite.${key} is not set: add ${key} under [kite] in the config file or set ${envNameOf('kite', key)}`,
    );
  if (apiKey === undefined || apiSecret === undefined) throw new ConfigError(missing);
  return { apiKey, apiSecret };
}

/** What `exchangeKiteRequestToken` takes. */
export interface KiteExchangeOptions {
  readonly app: KiteAppCredentials;
  /** The REST root (`[kite] restUrl`). */
  readonly restUrl: string;
  /** The clock of the REST client's timers (rate limits, backoff). */
  readonly clock: Clock;
  readonly requestToken: string;
}

/**
 * Exchanges a request token for a session and returns it in its stored form, with the login time Kite reports (the
 * clock's time when it reports none) and the 06:00 IST expiry. Throws the Kite client's typed error on refusal.
 */
export async function exchangeKiteRequestToken(options: KiteExchangeOptions): Promise<StoredKiteSession> {
  const { app, clock } = options;
  const client = new KiteRestClient({ apiKey: app.apiKey, baseUrl: options.restUrl, clock });
  const session = await client.generateSession(options.requestToken, app.apiSecret);
  const loginTimeMs = session.loginTimeMs ?? clock.now();
  return {
    apiKey: app.apiKey,
    userId: session.userId,
    userName: session.userName,
    accessToken: session.accessToken,
    publicToken: session.publicToken,
    loginTimeMs,
    expiresAtMs: accessTokenExpiry(loginTimeMs),
  };
}
