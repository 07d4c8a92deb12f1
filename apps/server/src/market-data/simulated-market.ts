// The demo market (issue item 8): the Kite simulator in-process on a ScaledClock that opens at 09:15 IST of a trading
// day, its instruments synced into the 'simulated' namespace, and the ingest service recording it there.
import { randomInt } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import {
  SeededRandom,
  TimeRandomIdGenerator,
  type Bar,
  type BarInterval,
  type InstrumentId,
  type Tick,
  type Clock,
  type NseCalendar,
} from '@kitepilot/core';
import type { EmptyBarPolicy } from '@kitepilot/engine';
import { KiteRestClient, KiteTickerClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { bundledFreezeQuantities, GapRepairer, syncInstruments } from '@kitepilot/market-data';
import { ScaledClock, SystemClock } from '@kitepilot/runtime';
import type { Store } from '@kitepilot/store';
import { demoSessionStart } from './demo-session.ts';
import { IngestService, type IngestSummary } from './ingest-service.ts';
import { KiteCandleSource } from './kite-candle-source.ts';
import { kiteInstrumentSource } from './kite-instrument-source.ts';

/** What `startSimulatedMarket` takes. */
export interface SimulatedMarketOptions {
  readonly store: Store;
  readonly metrics: Registry;
  readonly calendar: NseCalendar;
  readonly logger: PinoLogger;
  readonly barIntervals: readonly BarInterval[];
  readonly emptyBars: EmptyBarPolicy;
  /** Simulated seconds per real second (default 1). */
  readonly speed?: number;
  /** The simulator's market seed (default 1). */
  readonly seed?: number;
  /** The real clock the simulated one runs on (default SystemClock; tests pass a TestClock). */
  readonly baseClock?: Clock;
  /** The simulated start (default `demoSessionStart`: 09:15 IST of the current or next trading day). */
  readonly startAtMs?: number;
  /** Real ms between ticker frames (default 250 / speed, between 20 and 250: about 4 frames per simulated second). */
  readonly tickIntervalMs?: number;
  /** Receives every accepted tick (paper trading feeds its kernel from here). */
  readonly onTick?: (instrumentId: InstrumentId, tick: Tick) => void;
  /** Receives every closed bar. */
  readonly onBar?: (bar: Bar) => void;
}

/** A running simulated market being recorded. */
export interface SimulatedMarket {
  readonly sim: KiteSim;
  /** The simulated clock (every timestamp written in demo mode comes from it or from the simulator). */
  readonly clock: ScaledClock;
  readonly service: IngestService;
  /** Simulated time at the start (epoch ms). */
  readonly startedAtMs: number;
  readonly speed: number;
  /** Instruments synced into the 'simulated' master. */
  readonly instruments: number;
  /** Stops recording (flushing ticks and bars) and the simulator; returns what was recorded. */
  stop(): Promise<IngestSummary>;
}

/** Returns the time of the last tick stored in the 'simulated' namespace, or null. */
export async function lastSimulatedTickMs(store: Pick<Store, 'driver'>): Promise<number | null> {
  const result = await store.driver.query<{ last: number | null }>(
    "SELECT max(ts) AS last FROM ticks WHERE namespace = 'simulated'",
  );
  return result.rows[0]?.last ?? null;
}

/**
 * Starts the Kite simulator in-process on a ScaledClock (09:15 IST of the current or next NSE trading day, or after
 * the last simulated tick already stored; `speed`× real time), syncs its instruments into the 'simulated' master,
 * puts every simulated instrument on the 'simulated' watchlist (full mode; entries already there keep their mode)
 * and records it with an IngestService — everything in the 'simulated' namespace (DESIGN.md invariant 9).
 */
export async function startSimulatedMarket(options: SimulatedMarketOptions): Promise<SimulatedMarket> {
  const { store, logger } = options;
  const speed = options.speed ?? 1;
  const base = options.baseClock ?? new SystemClock();
  const startAtMs =
    options.startAtMs ?? demoSessionStart(options.calendar, base.now(), await lastSimulatedTickMs(store));
  const clock = new ScaledClock({ startAtMs, speed, base });
  const sim = await startKiteSim({
    clock,
    seed: options.seed ?? 1,
    tickIntervalMs: options.tickIntervalMs ?? Math.min(250, Math.max(20, Math.round(250 / speed))),
  });
  try {
    const accessToken = sim.createAccessToken();
    // REST rate limits and timeouts are real time (the simulator enforces them on the wall clock).
    const rest = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken,
      clock: new SystemClock(),
    });
    const ids = new TimeRandomIdGenerator(new SystemClock(), new SeededRandom(randomInt(2 ** 31)));
    const synced = await syncInstruments({
      source: kiteInstrumentSource(rest),
      repository: store.instruments,
      clock,
      freezeQuantities: bundledFreezeQuantities(),
      jobRuns: store.jobRuns,
      ids,
      namespace: 'simulated',
    });
    for (const instrument of await store.instruments.listVersion('simulated', synced.version)) {
      await store.watchlist.addIfMissing('simulated', {
        instrumentId: instrument.id,
        mode: 'full',
        addedAt: clock.now(),
      });
    }
    const ticker = new KiteTickerClient({ wsUrl: sim.wsUrl, apiKey: sim.apiKey, accessToken, clock });
    const service = await IngestService.start({
      namespace: 'simulated',
      store,
      clock,
      metrics: options.metrics,
      ticker,
      barIntervals: options.barIntervals,
      emptyBars: options.emptyBars,
      // Real delivery delay is stretched by the speed on the simulated clock (50 ms at 100× is 5 s simulated).
      closeDelayMs: Math.max(2000, Math.round(speed * 100)),
      logger,
      ...(options.onTick === undefined ? {} : { onTick: options.onTick }),
      ...(options.onBar === undefined ? {} : { onBar: options.onBar }),
      gapRepairer: new GapRepairer({
        source: new KiteCandleSource(rest),
        bars: store.bars,
        jobRuns: store.jobRuns,
        clock,
        ids,
        namespace: 'simulated',
      }),
    });
    let stopped: Promise<IngestSummary> | null = null;
    return {
      sim,
      clock,
      service,
      startedAtMs: startAtMs,
      speed,
      instruments: synced.count,
      stop: () => {
        stopped ??= (async () => {
          try {
            return await service.stop();
          } finally {
            await sim.close();
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}
