// End to end: simulator ticker → KiteTickerClient → BarAggregator → bar store; a socket drop; GapRepairer over
// KiteCandleSource. The 1-minute bars over the whole window must equal the simulator's own candles.
//
// What is compared, and why it can be exact: the test clock moves one second at a time and waits for every
// instrument's tick of that second, so live bars see the open (second 0), both extremes (whole seconds 1–58) and the
// close (second 59) of each minute (kite-sim README, market model). Volume is the change of the cumulative day
// volume: the first tick (10:00:59) is only the baseline (BarAggregator rule for a first tick after 09:16), so the
// 10:00 bar is partial and the window starts at 10:01, whose volume is cum(10:01:59) − cum(10:00:59), exactly the
// candle's. The two minutes the gap touches hold partial live data (and 10:03's live volume absorbs the whole gap);
// the repair replaces them with the broker's candles (replacedLive = 6 shows that all six differed before). Open
// interest is compared for the future, whose candles are fetched with oi=1 on both sides.
import { PGlite } from '@electric-sql/pglite';
import { istToEpochMs, SequentialIdGenerator, TestClock, type Bar, type Instrument } from '@kitepilot/core';
import { BarAggregator } from '@kitepilot/engine';
import { gapStartMs, KiteRestClient, KiteTickerClient, type TickerConnectedEvent } from '@kitepilot/kite';
import { startKiteSim, type KiteSim } from '@kitepilot/kite-sim';
import { GapRepairer, type GapRepairResult } from '@kitepilot/market-data';
import { SystemClock } from '@kitepilot/runtime';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KiteCandleSource } from './kite-candle-source.ts';

const M = 60_000;
const START = istToEpochMs('2025-11-20', '10:00:59');
const WINDOW_FROM = istToEpochMs('2025-11-20', '10:01');
const END = istToEpochMs('2025-11-20', '10:06');
const DROP_AT = istToEpochMs('2025-11-20', '10:02:20');
const GAP_MS = 95_000;

let sim: KiteSim;
let store: Store;
let ticker: KiteTickerClient | null = null;

beforeEach(async () => {
  store = createStore(new PgliteDriver(await PGlite.create()));
  await migrate(store.driver);
});

afterEach(async () => {
  await ticker?.close();
  ticker = null;
  await sim.close();
  await store.close();
});

function ohlcv(b: Bar): [number, number, number, number, number, number] {
  return [b.start, b.openPaise, b.highPaise, b.lowPaise, b.closePaise, b.volume];
}

describe('GapRepairer with the Kite simulator', () => {
  it('leaves 1-minute bars equal to the simulator’s candles over a window with a dropped socket', async () => {
    const clock = new TestClock(START);
    sim = await startKiteSim({
      clock,
      seed: 11,
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
    const all = [
      ...(await rest.getInstruments('NSE')).instruments,
      ...(await rest.getInstruments('NFO')).instruments,
    ];
    const picked: Instrument[] = [
      ...all.filter((i) => i.type === 'EQ').slice(0, 2),
      ...all.filter((i) => i.type === 'FUT').slice(0, 1),
    ];
    expect(picked).toHaveLength(3);
    const byToken = new Map(picked.map((i) => [i.token, i]));

    let writes: Promise<unknown> = Promise.resolve();
    const aggregator = new BarAggregator({
      intervals: ['1m'],
      emptyBars: 'skip',
      onBar: (bar) => {
        writes = writes.then(() => store.bars.upsert('simulated', [bar]));
      },
    });
    const repairer = new GapRepairer({
      source: new KiteCandleSource(rest),
      bars: store.bars,
      jobRuns: store.jobRuns,
      clock,
      ids: new SequentialIdGenerator(),
      namespace: 'simulated',
      settleMs: 2000,
      retry: { maxRetries: 1, delayMs: 0 },
    });
    const repairs: Promise<GapRepairResult>[] = [];

    // Resolves when every picked instrument has sent a tick of time `t`.
    const seen = new Map<number, number>();
    let waiting: { t: number; resolve: () => void } | null = null;
    const allAt = (t: number): boolean => picked.every((i) => (seen.get(i.token) ?? 0) >= t);
    const tickAt = (t: number): Promise<void> =>
      allAt(t) ? Promise.resolve() : new Promise((resolve) => (waiting = { t, resolve }));

    const connected: TickerConnectedEvent[] = [];
    ticker = new KiteTickerClient({
      wsUrl: sim.wsUrl,
      apiKey: sim.apiKey,
      accessToken,
      clock,
      watchdogTimeoutMs: 2000,
      backoff: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    ticker
      .on('ticks', (ticks) => {
        for (const tick of ticks) {
          const instrument = byToken.get(tick.token);
          if (instrument === undefined) continue;
          aggregator.onTick(instrument.id, tick);
          seen.set(tick.token, Math.max(seen.get(tick.token) ?? 0, tick.exchangeTs ?? tick.tsInit));
        }
        if (waiting !== null && allAt(waiting.t)) {
          const w = waiting;
          waiting = null;
          w.resolve();
        }
      })
      // The socket is down while the market moves on: the clock jumps over the gap before the reconnect.
      .on('disconnected', () => clock.advanceBy(GAP_MS))
      .on('connected', (e) => {
        connected.push(e);
        if (e.gap === null || e.gap.reconnectedAt === null) return;
        repairs.push(repairer.repair({ fromMs: gapStartMs(e.gap), toMs: e.gap.reconnectedAt }, picked));
      });
    ticker.subscribe(
      picked.map((i) => i.token),
      'full',
    );
    ticker.connect();

    let dropped = false;
    while (clock.now() < END) {
      await tickAt(clock.now());
      if (!dropped && clock.now() >= DROP_AT) {
        dropped = true;
        const before = clock.now();
        sim.faults.dropSockets();
        // The disconnected listener moves the clock; after the reconnect the ticks are those of the new time.
        await new Promise<void>((resolve) => {
          const check = (): void => {
            if (clock.now() > before && connected.length === 2) resolve();
            else setTimeout(check, 5);
          };
          check();
        });
        continue;
      }
      await writes;
      clock.advanceBy(1000);
      aggregator.onTime(clock.now());
    }
    await writes;
    expect(repairs).toHaveLength(1);
    const repaired = await repairs[0];
    await writes;

    const gapStartMinute = istToEpochMs('2025-11-20', '10:02');
    expect(repaired).toMatchObject({
      fromMs: gapStartMinute,
      lastMinuteMs: gapStartMinute + M,
      instruments: 3,
      bars: 6,
      failed: [],
    });
    expect(repaired?.replacedLive).toBe(6);

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
      if (instrument.type === 'FUT') {
        const withOi = await rest.getHistoricalData({
          instrumentToken: instrument.token,
          interval: 'minute',
          fromMs: WINDOW_FROM,
          toMs: END - M,
          oi: true,
        });
        expect(stored.map((b) => b.oi)).toEqual(withOi.map((c) => c.oi));
      }
    }
    const [phase] = await store.jobRuns.listByRun(repaired!.jobRunId);
    expect(phase).toMatchObject({ job: 'gap-repair', isError: false });
  });
});
