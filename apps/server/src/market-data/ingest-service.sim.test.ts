// End to end against the Kite simulator on loopback: the ingest service subscribes the 'simulated' watchlist in its
// modes, stores ticks and bars in the 'simulated' namespace only, exposes its metrics, and hands a dropped socket's
// gap to the GapRepairer. The test clock moves one second at a time and waits for every watched instrument's tick
// of that second, so the live minute bars see each minute's open, extremes and close and must equal the simulator's
// candles (kite-sim README, market model); the first tick (10:00:59) is only the volume baseline (decision 0004),
// so the compared window starts at 10:01.
import { PGlite } from '@electric-sql/pglite';
import { istToEpochMs, SequentialIdGenerator, TestClock, type Bar, type Instrument } from '@kitepilot/core';
import { KiteRestClient, KiteTickerClient } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { bundledFreezeQuantities, GapRepairer, syncInstruments } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestService } from './ingest-service.ts';
import { KiteCandleSource } from './kite-candle-source.ts';
import { kiteInstrumentSource } from './kite-instrument-source.ts';

const M = 60_000;
const DAY = '2026-11-23'; // a Monday and an NSE trading day
const START = istToEpochMs(DAY, '10:00:59');
const WINDOW_FROM = istToEpochMs(DAY, '10:01');
const DROP_AT = istToEpochMs(DAY, '10:02:20');
const GAP_MS = 95_000;
const END = istToEpochMs(DAY, '10:06');

let sim: KiteSim;
let store: Store;
let service: IngestService | null = null;

beforeEach(async () => {
  store = createStore(new PgliteDriver(await PGlite.create()));
  await migrate(store.driver);
});

afterEach(async () => {
  await service?.stop();
  service = null;
  await sim.close();
  await store.close();
});

function ohlcv(b: Bar): [number, number, number, number, number, number] {
  return [b.start, b.openPaise, b.highPaise, b.lowPaise, b.closePaise, b.volume];
}

describe('IngestService with the Kite simulator', () => {
  it('records the watchlist into the simulated namespace: ticks, bars equal to the broker candles, metrics, gap repair', async () => {
    const clock = new TestClock(START);
    sim = await startKiteSim({
      clock,
      seed: 5,
      tickIntervalMs: 5,
      heartbeatIntervalMs: 50,
      enforceRateLimits: false,
    });
    const accessToken = sim.createAccessToken();
    const rest = new KiteRestClient({
      apiKey: sim.apiKey,
      baseUrl: sim.restUrl,
      accessToken,
      clock: new SystemClock(),
    });
    const ids = new SequentialIdGenerator();
    await syncInstruments({
      source: kiteInstrumentSource(rest),
      repository: store.instruments,
      clock,
      freezeQuantities: bundledFreezeQuantities(),
      jobRuns: store.jobRuns,
      ids,
      namespace: 'simulated',
    });
    const all = await store.instruments.listVersion('simulated', DAY);
    const picked: Instrument[] = [
      ...all.filter((i) => i.type === 'EQ').slice(0, 2),
      ...all.filter((i) => i.type === 'FUT').slice(0, 1),
    ];
    const index = all.find((i) => i.type === 'INDEX');
    expect(picked).toHaveLength(3);
    expect(index).toBeDefined();
    for (const i of picked)
      await store.watchlist.put('simulated', { instrumentId: i.id, mode: 'full', addedAt: START });
    await store.watchlist.put('simulated', { instrumentId: index!.id, mode: 'quote', addedAt: START });

    const ticker = new KiteTickerClient({
      wsUrl: sim.wsUrl,
      apiKey: sim.apiKey,
      accessToken,
      clock,
      watchdogTimeoutMs: 2000,
      backoff: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    // The socket is down while the market moves on: the clock jumps over the gap before the reconnect.
    ticker.on('disconnected', () => clock.advanceBy(GAP_MS));
    const metrics = new Registry();
    service = await IngestService.start({
      namespace: 'simulated',
      store,
      clock,
      metrics,
      ticker,
      barIntervals: ['1s', '1m'],
      emptyBars: 'skip',
      logger: pino({ level: 'silent' }),
      gapRepairer: new GapRepairer({
        source: new KiteCandleSource(rest),
        bars: store.bars,
        jobRuns: store.jobRuns,
        clock,
        ids,
        namespace: 'simulated',
        settleMs: 2000,
        retry: { maxRetries: 1, delayMs: 0 },
      }),
    });
    const running = service;
    expect(new Map(ticker.subscriptions())).toEqual(
      new Map([...picked.map((i) => [i.token, 'full'] as const), [index!.token, 'quote'] as const]),
    );

    const seenAt = (t: number): boolean =>
      picked.every((i) => {
        const last = running.lastTick(i.id);
        return last !== undefined && (last.tick.exchangeTs ?? last.tick.tsInit) >= t;
      });
    let dropped = false;
    while (clock.now() < END) {
      await expect.poll(() => seenAt(clock.now()), { timeout: 5000, interval: 2 }).toBe(true);
      if (!dropped && clock.now() >= DROP_AT) {
        dropped = true;
        const before = clock.now();
        sim.faults.dropSockets();
        await expect.poll(() => clock.now() > before && ticker.connectionStates()[0] === 'open').toBe(true);
        continue;
      }
      clock.advanceBy(1000);
    }
    const scraped = await metrics.metrics();
    const summary = await running.stop();
    service = null;

    expect(summary.subscribed).toEqual({ full: 3, quote: 1 });
    expect(summary.ticksQuarantined).toBe(0);
    expect(summary.ticksWritten).toBe(summary.ticksAccepted);
    expect(summary.ticksAccepted).toBe(summary.ticksReceived);
    expect(summary.gapsRecorded).toBe(1);
    expect(scraped).toMatch(/kitepilot_ingest_ticks_accepted_total\{namespace="simulated"\} [1-9]\d*/);
    expect(scraped).toMatch(/kitepilot_ingest_ticker_connections\{namespace="simulated",state="open"\} 1/);
    expect(scraped).toMatch(/kitepilot_ingest_last_tick_lag_seconds\{namespace="simulated"\} /);

    let storedTicks = 0;
    for (const i of [...picked, index!]) {
      const ticks = await store.ticks.read('simulated', i.id, START, END + M);
      expect(ticks.length, i.id).toBeGreaterThan(50);
      storedTicks += ticks.length;
      expect(await store.ticks.read('real', i.id, START, END + M)).toEqual([]);
    }
    expect(storedTicks).toBe(summary.ticksWritten);

    for (const instrument of picked) {
      const candles = await rest.getHistoricalData({
        instrumentToken: instrument.token,
        interval: 'minute',
        fromMs: WINDOW_FROM,
        toMs: END - M,
      });
      const stored = await store.bars.read('simulated', instrument.id, '1m', WINDOW_FROM, END);
      expect(stored.map(ohlcv), instrument.id).toEqual(
        candles.map((c) => [c.tsMs, c.openPaise, c.highPaise, c.lowPaise, c.closePaise, c.volume]),
      );
      expect(stored.map((b) => b.origin)).toEqual(['live', 'repaired', 'repaired', 'live', 'live']);
      expect(await store.bars.read('real', instrument.id, '1m', START, END)).toEqual([]);
      const seconds = await store.bars.read('simulated', instrument.id, '1s', WINDOW_FROM, WINDOW_FROM + M);
      expect(seconds.length).toBe(60);
    }
    const repairs = await store.jobRuns.listRecent('gap-repair', 10);
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatchObject({ isError: false });
  });
});
