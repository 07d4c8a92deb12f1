// `kitepilot ingest`: records market data — the real market with the stored Kite session and the configured
// watchlist, or (`--demo`) the simulated market of the in-process Kite simulator into the 'simulated' namespace.
import { SystemClock } from '@kitepilot/runtime';
import {
  calendarFromConfig,
  createLogger,
  formatDemoRecording,
  loadConfig,
  openConfiguredStore,
  recordSimulatedMarket,
  startLiveIngest,
  type DemoRecording,
  type IngestSummary,
} from '@kitepilot/server';
import { createStore, migrate } from '@kitepilot/store';
import { Registry } from 'prom-client';
import type { Clock } from '@kitepilot/core';

/** Flags of `kitepilot ingest`. */
export interface IngestFlags {
  /** Record the simulated market instead of the real one. */
  readonly demo?: boolean;
  /** Real time to record: `60s`, `5m`, `1h` or seconds (default 60s with --demo; without it, until Ctrl-C). */
  readonly duration?: string;
  /** Demo only: simulated seconds per real second (default 1). */
  readonly speed?: string;
  /** Demo only: the simulator's market seed (default 1). */
  readonly seed?: number;
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly config?: string;
  /** The account whose Kite session is used (default acc_default). */
  readonly account?: string;
}

/** Plumbing for tests: output, an early stop, the real clock. */
export interface IngestIo {
  readonly write?: (text: string) => void;
  readonly stop?: AbortSignal;
  readonly baseClock?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where log lines go (default standard error, so that standard output holds only the report). */
  readonly log?: NodeJS.WritableStream;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Returns the milliseconds of a duration `90`, `90s`, `5m`, `1h` or `500ms`; throws naming the text otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m === null ? Number.NaN : Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? Number.NaN);
  if (!Number.isFinite(ms) || ms < 1) {
    throw new Error(
      `--duration ${JSON.stringify(text)} is not a duration such as 60s, 5m, 1h or 90 (seconds)`,
    );
  }
  return Math.round(ms);
}

/** Returns the `--speed` factor: a finite number > 0 (`10` or `10x`). */
export function parseSpeed(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text.replace(/x$/i, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--speed ${JSON.stringify(text)} is not a number > 0`);
  return n;
}

/** `kitepilot ingest [--demo]`: records market data, then prints what it recorded. */
export async function runIngest(
  flags: IngestFlags,
  io: IngestIo = {},
): Promise<DemoRecording | IngestSummary> {
  const write = io.write ?? ((text: string) => process.stdout.write(text));
  const loaded = loadConfig({
    file: flags.config,
    overrides: { storage: { dataDir: flags.dataDir } },
    ...(io.env !== undefined ? { env: io.env } : {}),
  });
  const { config } = loaded;
  if (flags.demo !== true && flags.speed !== undefined) throw new Error('--speed applies to --demo only');
  const durationMs =
    flags.duration !== undefined ? parseDuration(flags.duration) : flags.demo === true ? 60_000 : null;
  const speed = parseSpeed(flags.speed);
  const logger = createLogger({ level: config.log.level, destination: io.log ?? process.stderr });
  const opened = await openConfiguredStore(config, 'client');
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.stop?.addEventListener('abort', onSignal);
  try {
    await migrate(opened.driver);
    const store = createStore(opened.driver);
    if (flags.demo === true) {
      const recording = await recordSimulatedMarket(
        { config, store, metrics: new Registry(), calendar: calendarFromConfig(config), logger },
        {
          durationMs: durationMs ?? 60_000,
          speed,
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          baseClock: io.baseClock ?? new SystemClock({ keepAlive: true }),
          stop: abort.signal,
        },
      );
      write(flags.json === true ? `${JSON.stringify(recording)}\n` : formatDemoRecording(recording));
      return recording;
    }
    // keepAlive: while the ticker waits to reconnect, the duration timer may be all that holds the process.
    const clock = io.baseClock ?? new SystemClock({ keepAlive: true });
    const service = await startLiveIngest({
      config,
      store,
      metrics: new Registry(),
      logger,
      clock,
      ...(flags.account !== undefined ? { accountId: flags.account } : {}),
      ...(io.env !== undefined ? { env: io.env } : {}),
    });
    await new Promise<void>((resolve) => {
      const done = (): void => {
        abort.signal.removeEventListener('abort', done);
        clock.cancelTimer('ingest-duration');
        resolve();
      };
      if (abort.signal.aborted) return done();
      abort.signal.addEventListener('abort', done);
      if (durationMs !== null) clock.setTimer('ingest-duration', clock.now() + durationMs, done);
    });
    const summary = await service.stop();
    write(
      flags.json === true
        ? `${JSON.stringify(summary)}\n`
        : `recorded ${summary.ticksWritten} ticks (${summary.ticksQuarantined} quarantined) and ` +
            `${summary.barsWritten} bars into the real namespace\n`,
    );
    return summary;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.stop?.removeEventListener('abort', onSignal);
    await opened.close();
  }
}
