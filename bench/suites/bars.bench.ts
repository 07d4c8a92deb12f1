// `npm run bench -- bars`: BarAggregator throughput — ticks per second through all 9 intervals (1s … 1d) for
// 1000 instruments, 10 ticks/s each (10k ticks/s of market time, the upper end of Kite's per-key ceiling),
// with onTime every 1000 ticks as a live loop would call it. Each round builds a fresh aggregator and feeds
// 200k pre-built ticks (20 s of market time from 09:15 IST), so instrument set-up and bar closing are included.
import {
  BAR_INTERVALS,
  instrumentId,
  istToEpochMs,
  makeTick,
  paise,
  type InstrumentId,
  type Tick,
} from '@kitepilot/core';
import { BarAggregator, type EmptyBarPolicy } from '@kitepilot/engine';
import type { BenchResult, BenchSuite } from '../bench-types.ts';
import { measureOps } from '../measure.ts';

const INSTRUMENTS = 1000;
const TICKS = 200_000;
const TICKS_PER_SECOND = 10_000;
const ON_TIME_EVERY = 1000;

interface Feed {
  readonly ids: InstrumentId[];
  readonly ticks: Tick[];
}

/** Returns a deterministic feed: round-robin over the instruments, random-walk prices, rising cumulative volume. */
function buildFeed(): Feed {
  let s = 12_345;
  const next = (mod: number): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % mod;
  };
  const start = istToEpochMs('2026-11-23', '09:15');
  const instrumentIds = Array.from({ length: INSTRUMENTS }, (_, i) => instrumentId(`SIM${i}`, 'NSE'));
  const price = Array.from({ length: INSTRUMENTS }, () => 100_000 + next(100_000));
  const volume = new Array<number>(INSTRUMENTS).fill(0);
  const ids: InstrumentId[] = [];
  const ticks: Tick[] = [];
  for (let n = 0; n < TICKS; n++) {
    const i = n % INSTRUMENTS;
    price[i] = Math.max(100, (price[i] as number) + (next(21) - 10) * 5);
    volume[i] = (volume[i] as number) + next(500);
    const ts = start + Math.floor((n * 1000) / TICKS_PER_SECOND);
    ids.push(instrumentIds[i] as InstrumentId);
    ticks.push(
      makeTick({
        token: 100_000 + i,
        tradable: true,
        mode: 'full',
        lastPricePaise: paise(price[i] as number),
        volume: volume[i] as number,
        oi: null,
        exchangeTs: ts,
        tsInit: ts + 3,
      }),
    );
  }
  return { ids, ticks };
}

function measure(feed: Feed, emptyBars: EmptyBarPolicy): BenchResult {
  let bars = 0;
  const { ids, ticks } = feed;
  const m = measureOps(
    () => {
      bars = 0;
      const agg = new BarAggregator({ intervals: BAR_INTERVALS, emptyBars, onBar: () => void bars++ });
      for (let n = 0; n < ticks.length; n++) {
        const tick = ticks[n] as Tick;
        agg.onTick(ids[n] as InstrumentId, tick);
        if (n % ON_TIME_EVERY === ON_TIME_EVERY - 1) agg.onTime(tick.exchangeTs as number);
      }
      agg.flush();
      if (agg.stats.lateTicks !== 0) throw new Error(`${agg.stats.lateTicks} late ticks in an ordered feed`);
    },
    ticks.length,
    { warmupMs: 500, minTimeMs: 3000 },
  );
  return {
    name: `ticks through 9 intervals, 1000 instruments (${emptyBars})`,
    value: m.opsPerSec,
    unit: 'ticks/s',
    nsPerTick: m.nsPerOp,
    nsPerTickInterval: m.nsPerOp / BAR_INTERVALS.length,
    barsPerRound: bars,
  };
}

/** Benchmarks of the BarAggregator of `@kitepilot/engine`. */
export const barsSuite: BenchSuite = {
  name: 'bars',
  description: 'BarAggregator: ticks/s through 1s…1d bars for 1000 instruments (single core)',
  run() {
    const feed = buildFeed();
    return Promise.resolve([measure(feed, 'skip'), measure(feed, 'flat')]);
  },
};
