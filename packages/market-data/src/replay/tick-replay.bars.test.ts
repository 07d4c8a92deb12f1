// Replaying stored ticks rebuilds the bars live aggregation built from the same ticks. Ticks are stored in the real
// tick store (PGlite, migrated schema) and replayed at max speed in small pages; the live side feeds the same
// ticks, in arrival order, to a BarAggregator whose clock ticks every second as a live process's would.
import { PGlite } from '@electric-sql/pglite';
import {
  asInstrumentId,
  makeTick,
  paise,
  SeededRandom,
  TestClock,
  type Bar,
  type InstrumentTick,
} from '@kitepilot/core';
import { BarAggregator, type EmptyBarPolicy } from '@kitepilot/engine';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TickReplay } from './tick-replay.ts';

const OPEN = Date.UTC(2026, 10, 23, 3, 45); // Mon 2026-11-23 09:15 IST, a trading day
const IDS = [asInstrumentId('INFY.NSE'), asInstrumentId('TCS.NSE'), asInstrumentId('SBIN.NSE')];
const END = OPEN + 10 * 60_000;
const INTERVALS = ['1s', '1m', '5m'] as const;

/** Seeded ticks over 7 minutes, in time order, some sharing a millisecond, with gaps of up to 20 s. */
function recordedTicks(seed: number): InstrumentTick[] {
  const random = new SeededRandom(seed);
  const ticks: InstrumentTick[] = [];
  const state = IDS.map((_, k) => ({ price: 100_000 * (k + 1), volume: 1000 * k }));
  let t = OPEN + 200;
  while (t < OPEN + 7 * 60_000) {
    const k = random.nextInt(IDS.length);
    const s = state[k] as { price: number; volume: number };
    s.price += (random.nextInt(11) - 5) * 5;
    s.volume += random.nextInt(500);
    const id = IDS[k] as (typeof IDS)[number];
    ticks.push({
      instrumentId: id,
      tick: makeTick({
        token: 1000 + k,
        tradable: true,
        mode: 'full',
        lastPricePaise: paise(s.price),
        volume: s.volume,
        oi: null,
        exchangeTs: t,
        tsInit: t + 3,
      }),
    });
    // One tick in five shares the previous millisecond; a few gaps leave whole seconds and minutes empty.
    const r = random.nextInt(100);
    t += r < 20 ? 0 : r < 97 ? random.nextInt(900) + 1 : 20_000;
  }
  return ticks;
}

function liveBars(ticks: readonly InstrumentTick[], emptyBars: EmptyBarPolicy): Bar[] {
  const bars: Bar[] = [];
  const aggregator = new BarAggregator({ intervals: INTERVALS, emptyBars, onBar: (b) => bars.push(b) });
  let nextSecond = OPEN + 1000;
  for (const { instrumentId, tick } of ticks) {
    const t = tick.exchangeTs ?? tick.tsInit;
    while (nextSecond <= t) {
      aggregator.onTime(nextSecond);
      nextSecond += 1000;
    }
    aggregator.onTick(instrumentId, tick);
  }
  // The live clock runs on to the end of the replayed range.
  for (; nextSecond <= END; nextSecond += 1000) aggregator.onTime(nextSecond);
  aggregator.flush();
  return bars;
}

function byKey(bars: readonly Bar[]): Bar[] {
  return [...bars].sort(
    (a, b) =>
      a.instrumentId.localeCompare(b.instrumentId) ||
      a.interval.localeCompare(b.interval) ||
      a.start - b.start,
  );
}

describe('TickReplay into a BarAggregator', () => {
  let store: Store;
  const ticks = recordedTicks(7);

  beforeAll(async () => {
    const driver = new PgliteDriver(await PGlite.create());
    await migrate(driver);
    store = createStore(driver);
    await store.ticks.ensureDayPartition('2026-11-23');
    expect(await store.ticks.append('simulated', ticks)).toBe(ticks.length);
  });

  afterAll(async () => {
    await store.close();
  });

  for (const emptyBars of ['skip', 'flat'] as const) {
    it(`rebuilds at max speed the bars live aggregation built (emptyBars ${emptyBars})`, async () => {
      const rebuilt: Bar[] = [];
      const aggregator = new BarAggregator({
        intervals: INTERVALS,
        emptyBars,
        onBar: (b) => rebuilt.push(b),
      });
      const result = await new TickReplay({
        repository: store.ticks,
        namespace: 'simulated',
        instrumentIds: IDS,
        fromMs: OPEN,
        toMs: END,
        speed: 'max',
        clock: new TestClock(OPEN),
        pageSize: 37,
      }).run({
        onTick: (e) => aggregator.onTick(e.instrumentId, e.tick),
        onTime: (t) => aggregator.onTime(t),
      });
      aggregator.flush();
      expect(result.ticks).toBe(ticks.length);
      const live = liveBars(ticks, emptyBars);
      expect(live.length).toBeGreaterThan(100);
      expect(byKey(rebuilt)).toEqual(byKey(live));
      expect(aggregator.stats.lateTicks).toBe(0);
    });
  }
});
