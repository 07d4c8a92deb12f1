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
import { OffsetClock, SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, schemaVersion, SqlAuditRepository, type Store } from '@kitepilot/store';
import { calendarFromConfig } from './calendar-from-config.ts';
import type { LoadedConfig } from './config/load-config.ts';
import { announceSetupToken, createServerAuth } from './auth/server-auth.ts';
import { recordConfigChange } from './audit/config-change.ts';
import { registerAuditMetrics } from './audit/audit-metrics.ts';
import { ROUTE_MODULES } from './http/route-modules.ts';
import { registerBrokerRoutes } from './http/routes/broker.ts';
import { createConfigReloader, registerConfigRoutes } from './http/routes/config.ts';
import { withStoredTradingSettings } from './http/routes/stored-trading-settings.ts';
import {
  brokerTradingStarter,
  registerTradingLifecycleRoutes,
  type TradingStarter,
} from './http/routes/trading-lifecycle.ts';
import { ObservedTradingSlot } from './observability/observed-trading-slot.ts';
import type { TradingSlot } from './trading/trading-slot.ts';
import { startObservability, type Observability } from './observability/observability.ts';
import { buildApp } from './http/build-app.ts';
import { createMetricsRegistry } from './http/metrics.ts';
import type { RouteContext } from './http/route-context.ts';
import { registerTradingMetrics } from './trading/trading-metrics.ts';
import type { DemoOptions } from './market-data/demo.ts';
import {
  KiteSessionUnavailableError,
  loadStoredKiteSession,
  type LoadedKiteSession,
} from './secrets/stored-kite-session.ts';
import { startBrokerTrading } from './trading/broker-trading.ts';
import { startDemoTrading } from './trading/demo-trading.ts';
import { scheduleDailyRetention } from './market-data/retention-schedule.ts';
import { openConfiguredStore, type OpenedStore } from './open-store.ts';
import { VERSION } from './version.ts';

/** What `startKitePilot` takes. */
export interface StartOptions {
  readonly loaded: LoadedConfig;
  readonly logger: PinoLogger;
  readonly clock?: Clock;
  /** Environment of the process (secrets, master key); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Runs the server's clock at wall + this many ms (`kitepilot start --clock-offset-ms`): refused unless the process
   * trades a Kite simulator session, since real trading always runs on the wall clock.
   */
  readonly clockOffsetMs?: number;
  /** Runs paper trading on the simulated market of an in-process Kite simulator (`kitepilot start --demo`). */
  readonly demo?: DemoOptions;
  /** Where trading journals go (default `<storage.dataDir>`; null keeps none). */
  readonly journalDir?: string | null;
}

/** A running KitePilot process: its address and how to stop it. */
export interface RunningKitePilot {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The Prometheus registry served at `/metrics`; components register their metrics here. */
  readonly metrics: Registry;
  /** The trading this process runs, if any (broker trading, or paper trading on the demo market). */
  readonly trading: TradingSlot;
  /** Returns the `/status` demo object while a demo runs, else null. */
  demoStatus(): DemoStatus | null;
  /** Shows a demo (simulated market) in `/status` while `provider` is set; null removes it. */
  setDemoStatus(provider: (() => DemoStatus) | null): void;
  /** Stops serving, closes the store (releasing the data directory) and records the run's end. */
  close(): Promise<void>;
}

/**
 * Starts KitePilot: opens and migrates the configured store, records this run with its config snapshot and hash,
 * and serves the HTTP API. Then trading: with `demo`, paper trading on the simulated market (account acc_demo);
 * otherwise, when `[[trading.strategies]]` is set or `[trading] mode = "live"`, broker trading with the stored Kite
 * session of `[trading] account` — or, without a usable session, a warning and no trading. Any failure (a refused
 * clock offset, trading that cannot start) stops startup with the store closed again.
 */
export async function startKitePilot(options: StartOptions): Promise<RunningKitePilot> {
  const { loaded, logger } = options;
  const { config } = loaded;
  const baseClock = options.clock ?? new SystemClock();
  const clock =
    options.clockOffsetMs === undefined
      ? baseClock
      : new OffsetClock({ offsetMs: options.clockOffsetMs, base: baseClock });
  const calendar = calendarFromConfig(config);
  const log = logger.child({ component: 'kitepilot' });
  const env = options.env ?? process.env;

  const opened: OpenedStore = await openConfiguredStore(config, 'owner');
  let app: FastifyInstance | undefined;
  let observability: Observability | undefined;
  try {
    const { applied, version } = await migrate(opened.driver);
    log.info(
      { store: opened.kind, location: opened.location, schemaVersion: version, applied },
      'store ready',
    );
    const store = createStore(opened.driver);
    // Broker trading starts with the account's active risk profile and enabled stored strategies.
    const tradingConfig =
      options.demo === undefined ? (await withStoredTradingSettings(config, store)).config : config;
    const wantsBrokerTrading =
      options.demo === undefined &&
      (tradingConfig.trading.strategies.length > 0 || config.trading.mode === 'live');
    // The session is read before serving so that a refused clock offset stops the start with nothing running.
    let session: LoadedKiteSession | KiteSessionUnavailableError | null = null;
    if (wantsBrokerTrading) session = await loadTradingSession(config, store, clock, env);
    if (options.clockOffsetMs !== undefined) refuseClockOffset(options, wantsBrokerTrading, session);
    const startedAt = clock.now();
    await recordConfigChange(new SqlAuditRepository(store.driver), {
      snapshot: loaded.snapshot,
      hash: loaded.hash,
      ts: startedAt,
      actor: 'system',
      source: 'start',
    });
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
    const trading = new ObservedTradingSlot();
    registerTradingMetrics(metrics, trading);
    registerAuditMetrics(metrics, trading);
    observability = startObservability({
      registry: metrics,
      slot: trading,
      sql: store.driver,
      clock,
      logger,
      alerts: config.alerts,
      env,
    });
    const routeContext: RouteContext = { store, config, clock, calendar, logger, metrics, trading };
    const auth = createServerAuth({ store, clock, config, env });
    const reloader = createConfigReloader({ loaded, load: { env }, store, clock, logger });
    const journalDir = options.journalDir === undefined ? config.storage.dataDir : options.journalDir;
    const demoOptions = options.demo;
    const startTrading: TradingStarter =
      demoOptions === undefined
        ? brokerTradingStarter({
            config: () => reloader.inForce(),
            store,
            metrics,
            logger,
            calendar,
            clock,
            env,
            dataDir: journalDir,
            slot: trading,
          })
        : async () => {
            const demo = await startDemoTrading(
              { config, store, metrics, calendar, logger, dataDir: journalDir },
              demoOptions,
            );
            demoStatus = () => demo.status();
            return demo;
          };
    app = buildApp({
      auth,
      routes: [
        ...ROUTE_MODULES.map((register) => (instance: FastifyInstance) => register(instance, routeContext)),
        (instance: FastifyInstance) => registerBrokerRoutes(instance, routeContext, { env }),
        (instance: FastifyInstance) => registerConfigRoutes(instance, reloader),
        (instance: FastifyInstance) => registerTradingLifecycleRoutes(instance, routeContext, startTrading),
      ],
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
    await announceSetupToken(auth.service, url);
    const retention = scheduleDailyRetention({
      clock,
      store,
      logger,
      tickRetentionDays: config.marketData.tickRetentionDays,
      barRetentionMonths: config.marketData.barRetentionMonths,
    });

    try {
      if (options.demo !== undefined) {
        const demo = await startDemoTrading(
          { config, store, metrics, calendar, logger, dataDir: journalDir },
          options.demo,
        );
        trading.current = demo;
        demoStatus = () => demo.status();
      } else if (session instanceof KiteSessionUnavailableError) {
        log.warn(
          { reason: session.message },
          'trading idle: no Kite session — run kitepilot kite login (the server keeps serving)',
        );
      } else if (session !== null) {
        await startBrokerTrading({
          config: tradingConfig,
          store,
          metrics,
          logger,
          calendar,
          clock,
          env,
          dataDir: journalDir,
          slot: trading,
          session,
        });
      }
    } catch (error) {
      retention.stop();
      throw error;
    }

    let closed = false;
    const serving = app;
    return {
      url,
      app: serving,
      store,
      metrics,
      trading,
      demoStatus: () => (demoStatus === null ? null : demoStatus()),
      setDemoStatus: (provider) => {
        demoStatus = provider;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        retention.stop();
        // Trading stops before the store closes: its last reports, fills and the run's end are written.
        try {
          await trading.current?.close();
        } catch (error) {
          log.error({ err: error }, 'stopping trading failed');
        }
        trading.current = null;
        await observability?.close();
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
    await observability?.close();
    await app?.close();
    await opened.close();
    throw error;
  }
}

/**
 * Returns the stored Kite session of `[trading] account` (simulator sessions allowed), or the reason there is no
 * usable one.
 */
async function loadTradingSession(
  config: LoadedConfig['config'],
  store: Store,
  clock: Clock,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedKiteSession | KiteSessionUnavailableError> {
  try {
    return await loadStoredKiteSession({
      config,
      sql: store.driver,
      clock,
      accountId: config.trading.account,
      env,
      allowSimulator: true,
    });
  } catch (error) {
    if (error instanceof KiteSessionUnavailableError) return error;
    throw error;
  }
}

/** Throws unless a clock offset is asked for while trading a Kite simulator session (real trading: wall clock). */
function refuseClockOffset(
  options: StartOptions,
  wantsBrokerTrading: boolean,
  session: LoadedKiteSession | KiteSessionUnavailableError | null,
): void {
  const offset = options.clockOffsetMs;
  const why =
    options.demo !== undefined
      ? 'the demo runs its own simulated clock'
      : !wantsBrokerTrading
        ? 'no trading is configured ([[trading.strategies]] is empty and [trading] mode is not "live")'
        : session instanceof KiteSessionUnavailableError
          ? `there is no usable Kite session (${session.message})`
          : session !== null && !session.simulated
            ? `the stored Kite session (user ${session.userId}) is a real Kite session: real trading always runs on the wall clock`
            : null;
  if (why !== null) {
    throw new Error(
      `--clock-offset-ms ${offset} is refused: it applies only when trading a Kite simulator session; ${why}`,
    );
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
