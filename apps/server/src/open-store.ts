import { resolve } from 'node:path';
import { openEmbeddedStore, openPostgres, type SqlDriver } from '@kitepilot/store';
import type { Config } from './config/config-schema.ts';
import { maskUrlPassword } from './config/load-config.ts';
import { VERSION } from './version.ts';

/** A store opened from the configuration. */
export interface OpenedStore {
  readonly driver: SqlDriver;
  readonly kind: 'embedded' | 'postgres';
  /** The data directory, or the PostgreSQL URL without its password. */
  readonly location: string;
  readonly durable: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured store. PostgreSQL when `storage.url` is set (an unreachable server is an error: there is no
 * silent fallback to embedded storage); otherwise the embedded data directory, as its owner (the server) or as a
 * client (the CLI, which goes through the running server's local socket when a server owns the directory).
 */
export async function openConfiguredStore(config: Config, role: 'owner' | 'client'): Promise<OpenedStore> {
  if (config.storage.url !== undefined) {
    const driver = await openPostgres(config.storage.url);
    return {
      driver,
      kind: 'postgres',
      location: maskUrlPassword(config.storage.url),
      durable: true,
      close: () => driver.close(),
    };
  }
  const dataDir = resolve(config.storage.dataDir);
  const embedded = await openEmbeddedStore({
    dataDir,
    durable: config.storage.durable,
    role,
    version: VERSION,
  });
  return {
    driver: embedded.driver,
    kind: 'embedded',
    location: dataDir,
    durable: config.storage.durable,
    close: () => embedded.close(),
  };
}
