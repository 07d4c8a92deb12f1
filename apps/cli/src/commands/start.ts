import { calendarFromConfig, createLogger, loadConfig, startDemo, startKitePilot } from '@kitepilot/server';

/** Flags of `kitepilot start`. */
export interface StartFlags {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  readonly config?: string;
  /** Run the whole platform on the simulated market of the in-process Kite simulator. */
  readonly demo?: boolean;
  /** With `demo`: N times real time. */
  readonly speed?: number;
  /** With `demo`: the synthetic market's seed. */
  readonly seed?: number;
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
  if (flags.demo !== true && (flags.speed !== undefined || flags.seed !== undefined)) {
    throw new Error('--speed and --seed apply only with --demo');
  }
  const running = await startKitePilot({ loaded, logger });
  let demo: Awaited<ReturnType<typeof startDemo>> | null = null;
  if (flags.demo === true) {
    try {
      demo = await startDemo(running, {
        config: loaded.config,
        calendar: calendarFromConfig(loaded.config),
        logger,
        ...(flags.speed !== undefined ? { speed: flags.speed } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      });
    } catch (error) {
      await running.close();
      throw error;
    }
    const status = demo.status;
    running.setDemoStatus(() => status());
    process.stderr.write(
      `DEMO MODE: SIMULATED MARKET DATA (namespace "simulated"), simulated clock ${status().simulatedNowIst}, ` +
        `speed ${status().speed}x\n`,
    );
  }
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
      const closeDemo =
        demo === null ? Promise.resolve() : demo.close().then(() => running.setDemoStatus(null));
      closeDemo
        .then(() => running.close())
        .then(
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
