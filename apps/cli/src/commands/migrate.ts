import { loadConfig, openConfiguredStore } from '@kitepilot/server';
import { migrate, schemaVersion } from '@kitepilot/store';

/** Flags of `kitepilot migrate`. */
export interface MigrateFlags {
  readonly dataDir?: string;
  readonly config?: string;
  readonly json?: boolean;
}

/** `kitepilot migrate`: applies pending migrations, through the running server when it owns the data directory. */
export async function runMigrate(flags: MigrateFlags): Promise<void> {
  const { config } = loadConfig({ file: flags.config, overrides: { storage: { dataDir: flags.dataDir } } });
  const store = await openConfiguredStore(config, 'client');
  try {
    const { applied, version } = await migrate(store.driver);
    const current = await schemaVersion(store.driver);
    const via = store.driver.kind === 'pglite-socket' ? 'the running server' : store.kind;
    if (flags.json === true) {
      process.stdout.write(
        `${JSON.stringify({ store: store.kind, location: store.location, via, applied, schemaVersion: version, latest: current.latest })}\n`,
      );
    } else {
      const what =
        applied.length === 0 ? 'no pending migrations' : `applied migrations ${applied.join(', ')}`;
      process.stdout.write(`${store.location} (through ${via}): ${what}; schema version ${version}\n`);
    }
  } finally {
    await store.close();
  }
}
