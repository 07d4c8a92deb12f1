import { createLogger, loadConfig, startKitePilot } from '@kitepilot/server';

/** Flags of `kitepilot start`. */
export interface StartFlags {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  readonly config?: string;
}

/** `kitepilot start`: runs KitePilot until SIGTERM or SIGINT, then shuts down gracefully. */
export async function runStart(flags: StartFlags): Promise<void> {
  const loaded = loadConfig({
    file: flags.config,
    overrides: {
      server: { port: flags.port, host: flags.host },
      storage: { dataDir: flags.dataDir },
    },
  });
  const logger = createLogger({ level: loaded.config.log.level });
  const running = await startKitePilot({ loaded, logger });
  process.stderr.write(
    `KitePilot ${running.url} (config hash ${loaded.hash.slice(0, 12)}); Ctrl-C stops it\n`,
  );

  await new Promise<void>((resolveStopped) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting for shutdown');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      running.close().then(
        () => resolveStopped(),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
          resolveStopped();
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
