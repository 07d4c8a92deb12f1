// The auth dependency of the running server: the AuthService over the process's store, with the master key read only
// when a TOTP secret is first sealed or opened, and the setup-token announcement of a fresh installation.
import { parseAccountId, type Clock } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import { CredentialCipher } from '../secrets/credential-cipher.ts';
import { loadMasterKey } from '../secrets/master-key.ts';
import { AuthService, type AuthOptions } from './auth-service.ts';
import type { AuthDeps } from './register-auth.ts';

/** What createServerAuth takes. */
export interface ServerAuthOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly options?: Partial<AuthOptions>;
}

/** Returns buildApp's `auth` dependency for the server process. */
export function createServerAuth(options: ServerAuthOptions): AuthDeps {
  const { config, env } = options;
  let cipher: CredentialCipher | null = null;
  const service = new AuthService({
    store: options.store,
    clock: options.clock,
    options: options.options ?? {},
    cipher: () => {
      cipher ??= new CredentialCipher(
        loadMasterKey({
          masterKeyFile: env['KITEPILOT_MASTER_KEY_FILE'] ?? config.secrets.masterKeyFile,
          dataDir: config.storage.dataDir,
          env,
        }).key,
      );
      return cipher;
    },
  });
  return { service, defaultAccountId: parseAccountId(config.trading.account) };
}

/**
 * When no user exists, issues the one-time setup token, writes it once to `out` (standard output: never the log)
 * and returns it; returns null when users exist.
 */
export async function announceSetupToken(
  service: AuthService,
  url: string,
  out: NodeJS.WritableStream = process.stdout,
): Promise<string | null> {
  const token = await service.issueSetupToken();
  if (token === null) return null;
  out.write(
    `\nKitePilot has no users yet. Create the first owner with this one-time setup token (valid until it is used ` +
      `or the server stops):\n\n  ${token}\n\nPOST ${url}/api/auth/setup {"setupToken", "email", "password", ` +
      `"displayName"} — or run: kitepilot users create --email you@example.in --role owner\n\n`,
  );
  return token;
}
