import { createLogger, loadConfig, startKitePilot } from '@kitepilot/server';

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
  /** The server clock runs at wall clock + this many ms (only when trading a Kite simulator session). */
  readonly clockOffsetMs?: number;
}

/**
 * `kitepilot start`: runs KitePilot until SIGTERM or SIGINT, then shuts down gracefully (trading first, then the
 * server and the store). With `--demo` it paper-trades the configured strategies on the simulated market; otherwise
 * it trades on Kite when `[[trading.strategies]]` is set or `[trading] mode = "live"` and a session is stored.
 */
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
  const running = await startKitePilot({
    loaded,
    logger,
    ...(flags.clockOffsetMs === undefined ? {} : { clockOffsetMs: flags.clockOffsetMs }),
    ...(flags.demo === true
      ? {
          demo: {
            ...(flags.speed !== undefined ? { speed: flags.speed } : {}),
            ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          },
        }
      : {}),
  });
  const demo = running.demoStatus();
  if (demo !== null) {
    process.stderr.write(
      `DEMO MODE: SIMULATED MARKET DATA (namespace "simulated"), simulated clock ${demo.simulatedNowIst}, ` +
        `speed ${demo.speed}x; paper trading on account acc_demo\n`,
    );
  }
  const trading = running.trading.current;
  if (trading !== null) {
    const env = trading.env;
    process.stderr.write(
      `${env.simulated ? 'SIMULATED ' : ''}${env.mode === 'live' ? 'LIVE' : 'paper'} trading: run ${env.runId}, ` +
        `account ${env.accountId}, ${env.strategies.length} strateg${env.strategies.length === 1 ? 'y' : 'ies'}\n`,
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
