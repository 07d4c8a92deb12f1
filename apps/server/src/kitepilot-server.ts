import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { DemoStatus, Status } from '@kitepilot/api-contract';
import {
  CalendarRangeError,
  formatIst,
  istDate,
  type Clock,
  type JsonValue,
  type NseCalendar,
} from '@kitepilot/core';
import { SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, schemaVersion, type Store } from '@kitepilot/store';
import { calendarFromConfig } from './calendar-from-config.ts';
import type { LoadedConfig } from './config/load-config.ts';
import { buildApp } from './http/build-app.ts';
import { createMetricsRegistry } from './http/metrics.ts';
import type { RouteContext } from './http/route-context.ts';
import type { TradingSlot } from './trading/trading-slot.ts';
import { registerBackfillRoutes } from './http/routes/backfill.ts';
import { registerMarketDataRoutes } from './http/routes/market-data.ts';
import { registerWatchlistRoutes } from './http/routes/watchlist.ts';
import { scheduleDailyRetention } from './market-data/retention-schedule.ts';
import { openConfiguredStore, type OpenedStore } from './open-store.ts';
import { VERSION } from './version.ts';

/** What `startKitePilot` takes. */
export interface StartOptions {
  readonly loaded: LoadedConfig;
  readonly logger: PinoLogger;
  readonly clock?: Clock;
}

/** A running KitePilot process: its address and how to stop it. */
export interface RunningKitePilot {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The Prometheus registry served at `/metrics`; components register their metrics here. */
  readonly metrics: Registry;
  /** Shows a demo (simulated market) in `/status` while `provider` is set; null removes it. */
  setDemoStatus(provider: (() => DemoStatus) | null): void;
  /** Stops serving, closes the store (releasing the data directory) and records the run's end. */
  close(): Promise<void>;
}

/**
 * Starts KitePilot: opens and migrates the configured store, records this run with its config snapshot and hash,
 * and serves the HTTP API. Any failure stops startup with the store closed again.
 */
export async function startKitePilot(options: StartOptions): Promise<RunningKitePilot> {
  const { loaded, logger } = options;
  const { config } = loaded;
  const clock = options.clock ?? new SystemClock();
  const calendar = calendarFromConfig(config);
  const log = logger.child({ component: 'kitepilot' });

  const opened: OpenedStore = await openConfiguredStore(config, 'owner');
  let app: FastifyInstance | undefined;
  try {
    const { applied, version } = await migrate(opened.driver);
    log.info(
      { store: opened.kind, location: opened.location, schemaVersion: version, applied },
      'store ready',
    );
    const store = createStore(opened.driver);
    const startedAt = clock.now();
    // Each start is recorded in the audit log with the configuration snapshot (secrets masked) and its hash.
    await store.audit.append({
      accountId: null,
      ts: startedAt,
      kind: 'system.started',
      actor: 'system',
      payload: {
        version: VERSION,
        configHash: loaded.hash,
        config: toJson(loaded.snapshot),
        store: { kind: opened.kind, location: opened.location, schemaVersion: version },
      },
    });

    const metrics = createMetricsRegistry();
    let demoStatus: (() => DemoStatus) | null = null;
    const trading: TradingSlot = { current: null };
    const routeContext: RouteContext = { store, config, clock, calendar, logger, metrics, trading };
    app = buildApp({
      routes: [registerMarketDataRoutes, registerWatchlistRoutes, registerBackfillRoutes].map(
        (register) => (instance: FastifyInstance) => register(instance, routeContext),
      ),
      logger,
      metrics,
      statusSource: {
        status: async (): Promise<Status> => {
          const now = clock.now();
          return {
            version: VERSION,
            startedAt: new Date(startedAt).toISOString(),
            startedAtIst: formatIst(startedAt),
            uptimeSeconds: Math.floor((now - startedAt) / 1000),
            configHash: loaded.hash,
            demo: demoStatus === null ? null : demoStatus(),
            store: {
              kind: opened.kind,
              location: opened.location,
              schemaVersion: (await schemaVersion(opened.driver)).version,
              durable: opened.durable,
            },
            market: marketNow(calendar, now),
          };
        },
      },
    });

    try {
      await app.listen({ host: config.server.host, port: config.server.port });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'the port is already in use' : (cause as Error).message;
      throw new Error(`cannot listen on ${config.server.host}:${config.server.port}: ${why}`, { cause });
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
    const url = `http://${host}:${port}`;
    log.info({ url, configHash: loaded.hash }, 'KitePilot is serving');
    const retention = scheduleDailyRetention({
      clock,
      store,
      logger,
      tickRetentionDays: config.marketData.tickRetentionDays,
      barRetentionMonths: config.marketData.barRetentionMonths,
    });

    let closed = false;
    const serving = app;
    return {
      url,
      app: serving,
      store,
      metrics,
      setDemoStatus: (provider) => {
        demoStatus = provider;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        retention.stop();
        await serving.close();
        await store.audit.append({
          accountId: null,
          ts: clock.now(),
          kind: 'system.stopped',
          actor: 'system',
          payload: { version: VERSION, configHash: loaded.hash },
        });
        await opened.close();
        log.info('KitePilot stopped');
      },
    };
  } catch (error) {
    await app?.close();
    await opened.close();
    throw error;
  }
}

/** The market part of `/status`: the IST date, whether it trades, and the phase of each segment now. */
export function marketNow(calendar: NseCalendar, now: number): Status['market'] {
  const base = { now: new Date(now).toISOString(), nowIst: formatIst(now), date: istDate(now) };
  try {
    const day = calendar.dayInfo(base.date);
    return {
      ...base,
      tradingDay: day.tradingDay,
      holiday: day.holiday,
      phase: { equity: calendar.phaseAt(now, 'equity').phase, fno: calendar.phaseAt(now, 'fno').phase },
      calendarNote: null,
    };
  } catch (error) {
    // A year the shipped calendar does not cover yet: say so instead of guessing whether the market is open.
    if (!(error instanceof CalendarRangeError)) throw error;
    return {
      ...base,
      tradingDay: null,
      holiday: null,
      phase: { equity: 'unknown', fno: 'unknown' },
      calendarNote: `${error.message}; add the year's NSE holidays to the calendar data or [calendar] overrides`,
    };
  }
}

/** Returns a plain JSON value (the config snapshot is plain data: strings, numbers, booleans, arrays, objects). */
function toJson(value: object): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
