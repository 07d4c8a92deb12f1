// Broker trading against the Kite simulator in-process, on one clock shared by the simulator and the server pieces
// (wall clock shifted to 09:59:40 IST of a trading day). Each "process" gets its own view of that clock whose timers
// die with it, so a crash can be simulated: its timers stop, its feeds stop and its execution reports go nowhere,
// without closing anything — then a second process starts on the same store and simulator.
// What it shows: live trading places the strategies' orders at the simulator and books the simulator's trades;
// after a crash with a placement in flight, the restart reconciles — one order per tag at the simulator, each
// simulator trade once in our fills, the in-flight order adopted with its venue id, no position mismatch; an
// unreachable broker sends new orders to paper with a critical alert; paper mode with a simulator session never
// reaches the simulator and writes only the 'simulated' namespace.
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  istDate,
  istToEpochMs,
  type Clock,
  type Fill,
  type Order,
  type TimerCallback,
} from '@kitepilot/core';
import { KiteRestClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { OffsetClock, SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { calendarFromConfig } from '../calendar-from-config.ts';
import type { Config } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import type { LoadedKiteSession } from '../secrets/stored-kite-session.ts';
import { DEMO_ACCOUNT_ID } from './paper-demo.ts';
import { startBrokerTrading, type BrokerTrading } from './broker-trading.ts';
import type { TradingSlot } from './trading-slot.ts';

const DAY = '2026-11-23';
// A simulator session trades the simulated account (invariant 9), whichever account's session it is.
const ACCOUNT = DEMO_ACCOUNT_ID;

/** A process's view of the shared clock: its timers are its own, and die with it. */
class ProcessClock implements Clock {
  readonly #base: Clock;
  readonly #prefix: string;
  readonly #names = new Set<string>();
  #dead = false;

  constructor(base: Clock, prefix: string) {
    this.#base = base;
    this.#prefix = prefix;
  }

  now(): number {
    return this.#base.now();
  }

  setTimer(name: string, atMs: number, callback: TimerCallback): void {
    if (this.#dead) return;
    this.#names.add(name);
    this.#base.setTimer(`${this.#prefix}:${name}`, atMs, () => {
      this.#names.delete(name);
      if (!this.#dead) callback();
    });
  }

  cancelTimer(name: string): void {
    this.#names.delete(name);
    this.#base.cancelTimer(`${this.#prefix}:${name}`);
  }

  /** Cancels every timer and ignores later ones. */
  kill(): void {
    this.#dead = true;
    for (const name of this.#names) this.#base.cancelTimer(`${this.#prefix}:${name}`);
    this.#names.clear();
  }
}

interface World {
  readonly clock: OffsetClock;
  readonly sim: KiteSim;
  readonly store: Store;
  readonly config: Config;
  readonly session: LoadedKiteSession;
  /** The test's own view of the simulator's books. */
  readonly rest: KiteRestClient;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(mode: 'paper' | 'live', startIst = '09:59:40'): Promise<World> {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  const store = createStore(driver);
  cleanups.push(() => store.close());
  // The clock starts after the slow store setup, about twenty seconds before the 10:00 entry: start-up under load
  // can take several seconds, and time-window does not enter once its buyTime has passed.
  const wall = new SystemClock({ keepAlive: true });
  const clock = new OffsetClock({ offsetMs: istToEpochMs(DAY, startIst) - wall.now(), base: wall });
  const sim = await startKiteSim({ clock, enforceRateLimits: false, seed: 7 });
  cleanups.push(() => sim.close());
  const base = loadConfig({ env: {}, cwd: '/' }).config;
  const config: Config = {
    ...base,
    kite: {
      ...base.kite,
      apiKey: sim.apiKey,
      apiSecret: sim.apiSecret,
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
    },
    marketData: { ...base.marketData, watchlist: ['NSE:SIMINFY'], barIntervals: ['1m'] },
    trading: {
      ...base.trading,
      mode,
      manualAcknowledgement: false,
      strategies: [
        {
          name: 'time-window',
          params: { symbol: 'NSE:SIMINFY', qty: 1, buyTime: '10:00', sellTime: '15:00' },
        },
      ],
    },
  };
  const session: LoadedKiteSession = {
    apiKey: sim.apiKey,
    userId: 'SIM001',
    userName: 'Simulated trader',
    accessToken: sim.createAccessToken(),
    publicToken: 'public',
    loginTimeMs: clock.now(),
    expiresAtMs: clock.now() + 6 * 3_600_000,
    simulated: true,
  };
  const rest = new KiteRestClient({
    apiKey: sim.apiKey,
    baseUrl: sim.restUrl,
    accessToken: session.accessToken,
    clock: wall,
  });
  return { clock, sim, store, config, session, rest };
}

async function start(w: World, clock: Clock, pollIntervalMs: number): Promise<BrokerTrading> {
  const slot: TradingSlot = { current: null };
  const trading = await startBrokerTrading({
    config: w.config,
    store: w.store,
    metrics: new Registry(),
    logger: pino({ level: process.env['KP_TEST_LOG'] ?? 'silent' }),
    calendar: calendarFromConfig(w.config),
    clock,
    env: {},
    dataDir: null,
    slot,
    session: w.session,
    pollIntervalMs,
  });
  expect(slot.current).toBe(trading);
  return trading;
}

/** Stops a process as a crash would: its timers, feeds and reports end; nothing is closed or finished. */
async function crash(trading: BrokerTrading, clock: ProcessClock): Promise<void> {
  clock.kill();
  trading.kite?.stopPolling();
  trading.degrading?.setHandler(() => undefined);
  await trading.ingest.stop();
}

async function ourOrders(store: Store): Promise<Order[]> {
  const from = istToEpochMs(DAY, '00:00:00');
  return store.orders.listBetween(ACCOUNT, from, from + 86_400_000);
}

async function ourFills(store: Store): Promise<Fill[]> {
  const from = istToEpochMs(DAY, '00:00:00');
  return store.fills.listBetween(ACCOUNT, from, from + 86_400_000);
}

describe('startBrokerTrading on a Kite simulator session', () => {
  it('trades live: the strategy’s order goes to the simulator and its trades become our fills', async () => {
    const w = await world('live');
    const clock = new ProcessClock(w.clock, 'p1');
    const trading = await start(w, clock, 1000);
    cleanups.push(() => trading.close());
    expect(trading).toMatchObject({ mode: 'live', simulated: true, namespace: 'simulated' });
    expect(trading.env.simulated).toBe(true);
    expect(trading.onPostback).toBeTypeOf('function');

    await vi.waitFor(async () => expect(await ourFills(w.store)).toHaveLength(1), {
      timeout: 40_000,
      interval: 200,
    });
    const brokerOrders = (await w.rest.getOrders()).filter((o) => o.tag?.startsWith('KP') === true);
    expect(brokerOrders).toHaveLength(1);
    const [order] = await ourOrders(w.store);
    await vi.waitFor(async () => expect((await ourOrders(w.store))[0]?.status).toBe('FILLED'));
    expect(order?.venueOrderId).toBe(brokerOrders[0]?.orderId);
    const trades = await w.rest.getTrades();
    expect((await ourFills(w.store)).map((f) => f.venueTradeId).sort()).toEqual(
      trades.map((t) => t.tradeId).sort(),
    );
    // Simulated data stays in its namespace (invariant 9).
    expect(await w.store.instruments.latestVersion('real')).toBeNull();
    expect(await w.store.instruments.latestVersion('simulated')).toBe(istDate(w.clock.now()));
    expect(await w.store.watchlist.list('real')).toEqual([]);
  }, 75_000);

  it('reconciles after a crash with a placement in flight: no duplicate, every trade once, the order adopted', async () => {
    const w = await world('live');
    const c1 = new ProcessClock(w.clock, 'p1');
    const p1 = await start(w, c1, 60_000);
    // The placement takes effect at the simulator at once, its reply comes 3 s later: the crash lands in between.
    w.sim.faults.delayNextResponses(1, 3000, '/orders/regular');
    await vi.waitFor(
      async () =>
        expect((await w.rest.getOrders()).filter((o) => o.tag?.startsWith('KP') === true)).not.toEqual([]),
      { timeout: 40_000, interval: 50 },
    );
    await crash(p1, c1);
    const before = await ourOrders(w.store);
    expect(before).toHaveLength(1);
    expect(before[0]?.venueOrderId).toBeNull();
    expect(await ourFills(w.store)).toEqual([]);

    const c2 = new ProcessClock(w.clock, 'p2');
    const p2 = await start(w, c2, 500);
    cleanups.push(() => p2.close());
    expect(p2.reconciliation?.reports.length).toBeGreaterThan(0);
    expect(p2.reconciliation).toMatchObject({
      notPlaced: [],
      flagged: [],
      external: [],
      positionMismatches: [],
    });

    await vi.waitFor(async () => expect((await ourOrders(w.store))[0]?.status).toBe('FILLED'), {
      timeout: 10_000,
    });
    // Let the crashed process's delayed reply arrive: it must change nothing.
    await vi.waitFor(() => expect(w.clock.now()).toBeGreaterThan(istToEpochMs(DAY, '10:00:05')), {
      timeout: 15_000,
      interval: 200,
    });
    const brokerOrders = (await w.rest.getOrders()).filter((o) => o.tag?.startsWith('KP') === true);
    const tags = brokerOrders.map((o) => o.tag);
    expect(new Set(tags).size).toBe(tags.length);
    expect(brokerOrders).toHaveLength(1);
    const orders = await ourOrders(w.store);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.venueOrderId).toBe(brokerOrders[0]?.orderId);
    const tradeIds = (await w.rest.getTrades()).map((t) => t.tradeId).sort();
    const fillIds = (await ourFills(w.store)).map((f) => f.venueTradeId).sort();
    expect(fillIds).toEqual(tradeIds);
    expect(new Set(fillIds).size).toBe(fillIds.length);
  }, 90_000);

  it('sends new orders to paper with a critical alert while the simulator refuses order requests', async () => {
    const w = await world('live');
    const clock = new ProcessClock(w.clock, 'p1');
    const trading = await start(w, clock, 60_000);
    cleanups.push(() => trading.close());
    w.sim.faults.failNextRequests(1000, 503, '/orders');
    await trading.kite?.poll();
    expect(trading.degrading?.degradedReason).toMatch(/503|NetworkException|unavailable|5\d\d/i);

    await vi.waitFor(async () => expect((await ourOrders(w.store))[0]?.status).toBe('FILLED'), {
      timeout: 40_000,
      interval: 200,
    });
    const [order] = await ourOrders(w.store);
    expect(order === undefined ? null : trading.degrading?.venueOf(order.clientOrderId)).toBe('paper');
    expect(trading.kite?.stats().submitted).toBe(0);
    const audit = await w.store.audit.readByAccount(ACCOUNT, 0, 1000);
    expect(audit.map((a) => a.kind)).toContain('trading.alert.degraded-to-paper');
  }, 75_000);

  it('paper-trades a simulator session without sending anything to the simulator', async () => {
    const w = await world('paper');
    const clock = new ProcessClock(w.clock, 'p1');
    const trading = await start(w, clock, 1000);
    cleanups.push(() => trading.close());
    expect(trading).toMatchObject({ mode: 'paper', simulated: true, kite: null, degrading: null });
    expect(trading.onPostback).toBeUndefined();
    await vi.waitFor(async () => expect((await ourOrders(w.store))[0]?.status).toBe('FILLED'), {
      timeout: 40_000,
      interval: 200,
    });
    expect(await w.rest.getOrders()).toEqual([]);
    const ticks = await w.store.driver.query<{ namespace: string }>('SELECT DISTINCT namespace FROM ticks');
    expect(ticks.rows.map((r) => r.namespace)).toEqual(['simulated']);
  }, 75_000);
});
