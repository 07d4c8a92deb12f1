// Demo mode (issue item 8): `kitepilot ingest --demo` records the simulated market for a while and exits;
// `kitepilot start --demo` runs the whole platform on it. Everything is written in the 'simulated' namespace.
import type { DemoStatus } from '@kitepilot/api-contract';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { formatIst, type Clock, type NseCalendar } from '@kitepilot/core';
import { SystemClock } from '@kitepilot/runtime';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import type { RunningKitePilot } from '../kitepilot-server.ts';
import type { IngestSummary } from './ingest-service.ts';
import { startSimulatedMarket, type SimulatedMarket } from './simulated-market.ts';

/** Demo settings shared by `ingest --demo` and `start --demo`. */
export interface DemoOptions {
  /** Simulated seconds per real second (default 1). */
  readonly speed?: number;
  /** The simulator's market seed (default 1). */
  readonly seed?: number;
  /** The real clock (default SystemClock; tests pass a TestClock). */
  readonly baseClock?: Clock;
  /** The simulated start (default: 09:15 IST of the current or next trading day, or after earlier demo data). */
  readonly startAtMs?: number;
  /** Real ms between simulator ticker frames (default 250 / speed, 20–250). */
  readonly tickIntervalMs?: number;
}

/** What `recordSimulatedMarket` recorded. */
export interface DemoRecording {
  readonly namespace: 'simulated';
  readonly speed: number;
  /** Real duration recorded (ms). */
  readonly durationMs: number;
  /** Simulated start and end (epoch ms) of the recording. */
  readonly simulatedFromMs: number;
  readonly simulatedToMs: number;
  readonly instrumentsSynced: number;
  readonly summary: IngestSummary;
}

/** The `/status` `demo` object (its schema lives in the API contract). */
export type { DemoStatus };

/** A demo running inside a KitePilot server. */
export interface RunningDemo {
  readonly market: SimulatedMarket;
  /** Returns the `/status` `demo` object. */
  status(): DemoStatus;
  /** Stops recording and the simulator (the server's own close stays the caller's). */
  close(): Promise<IngestSummary>;
}

/** The demo's inputs from a loaded configuration and a store. */
export interface DemoContext {
  readonly config: Config;
  readonly store: Store;
  readonly metrics: Registry;
  readonly calendar: NseCalendar;
  readonly logger: PinoLogger;
}

function startMarket(context: DemoContext, options: DemoOptions): Promise<SimulatedMarket> {
  return startSimulatedMarket({
    store: context.store,
    metrics: context.metrics,
    calendar: context.calendar,
    logger: context.logger.child({ demo: true }),
    barIntervals: context.config.marketData.barIntervals,
    emptyBars: context.config.marketData.emptyBars,
    ...options,
  });
}

/**
 * Records the simulated market for `durationMs` of real time (on the base clock; at speed N that is N × durationMs
 * of simulated market), then stops — flushing every tick and bar — and returns what was recorded. `stop` ends it
 * early.
 */
export async function recordSimulatedMarket(
  context: DemoContext,
  options: DemoOptions & { readonly durationMs: number; readonly stop?: AbortSignal },
): Promise<DemoRecording> {
  if (!Number.isSafeInteger(options.durationMs) || options.durationMs <= 0) {
    throw new RangeError(`demo duration ${options.durationMs} ms must be a positive integer`);
  }
  const base = options.baseClock ?? new SystemClock();
  const market = await startMarket(context, { ...options, baseClock: base });
  const startedAt = base.now();
  await new Promise<void>((resolve) => {
    const done = (): void => {
      options.stop?.removeEventListener('abort', done);
      base.cancelTimer('demo-duration');
      resolve();
    };
    if (options.stop?.aborted === true) {
      done();
      return;
    }
    options.stop?.addEventListener('abort', done);
    base.setTimer('demo-duration', startedAt + options.durationMs, done);
  });
  const simulatedToMs = market.clock.now();
  const summary = await market.stop();
  return {
    namespace: 'simulated',
    speed: market.speed,
    durationMs: base.now() - startedAt,
    simulatedFromMs: market.startedAtMs,
    simulatedToMs,
    instrumentsSynced: market.instruments,
    summary,
  };
}

/**
 * Starts the simulated market inside a running KitePilot server (`kitepilot start --demo`): the simulator and the
 * ingest service run in the server process on its store and metrics registry, writing only the 'simulated'
 * namespace. The server's `/status` should add `demo: running.status()`; close the demo before the server.
 */
export async function startDemo(
  running: RunningKitePilot,
  options: DemoOptions & {
    readonly config: Config;
    readonly calendar: NseCalendar;
    readonly logger: PinoLogger;
  },
): Promise<RunningDemo> {
  const market = await startMarket(
    {
      config: options.config,
      store: running.store,
      metrics: running.metrics,
      calendar: options.calendar,
      logger: options.logger,
    },
    options,
  );
  options.logger.warn(
    { simulatedStart: formatIst(market.startedAtMs), speed: market.speed, simulator: market.sim.restUrl },
    'DEMO MODE: recording the SIMULATED market of the Kite simulator into the simulated namespace',
  );
  return {
    market,
    status: () => {
      const now = market.clock.now();
      const s = market.service.summary();
      return {
        simulated: true,
        namespace: 'simulated',
        speed: market.speed,
        simulatedNow: new Date(now).toISOString(),
        simulatedNowIst: formatIst(now),
        startedAtIst: formatIst(market.startedAtMs),
        simulatorRestUrl: market.sim.restUrl,
        simulatorWsUrl: market.sim.wsUrl,
        ticksWritten: s.ticksWritten,
        barsWritten: s.barsWritten,
        ticksQuarantined: s.ticksQuarantined,
      };
    },
    close: () => market.stop(),
  };
}

/** Returns the lines `kitepilot ingest --demo` prints for a recording. */
export function formatDemoRecording(r: DemoRecording): string {
  const s = r.summary;
  const reasons = Object.entries(s.quarantinedByReason)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return [
    'SIMULATED market (Kite simulator, namespace simulated) — not real market data',
    `  simulated time  ${formatIst(r.simulatedFromMs)} → ${formatIst(r.simulatedToMs)} (speed ${r.speed}×, ` +
      `${(r.durationMs / 1000).toFixed(1)} s real)`,
    `  instruments     ${r.instrumentsSynced} synced, ${Object.values(s.subscribed).reduce((a, b) => a + b, 0)} subscribed`,
    `  ticks           ${s.ticksReceived} received, ${s.ticksAccepted} accepted, ${s.ticksWritten} written`,
    `  quarantined     ${s.ticksQuarantined}${reasons === '' ? '' : ` (${reasons})`}`,
    `  bars            ${s.barsWritten} written${s.lateTicks > 0 ? ` (${s.lateTicks} late ticks)` : ''}`,
    ...(s.ticksOverflowed > 0
      ? [`  DROPPED         ${s.ticksOverflowed} ticks (writer behind; window repaired)`]
      : []),
    ...(s.gapsRecorded > 0 ? [`  gaps            ${s.gapsRecorded}`] : []),
    '',
  ].join('\n');
}
