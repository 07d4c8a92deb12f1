// Property tests of BarAggregator. Invariants, for random multi-instrument tick streams spanning IST days:
// 1. Bars equal a naive reference built by grouping the ticks by bar (open = first, high = max, low = min,
//    close = last, volume = Σ increases of the cumulative day volume after the day's baseline, OI = last non-null);
//    hence low ≤ open, close ≤ high and volume ≥ 0 on every bar.
// 2. Volume is conserved: per instrument and interval, Σ bar volumes = Σ over IST days (last cumulative − baseline);
//    per IST day for 1m and 1d bars.
// 3. The same ticks give the same bars (per instrument and interval, in start order, no overlap) however onTime
//    calls are interleaved with them, as long as no tick arrives for a closed bar — for both empty-bar policies.
// 4. Coarser bars equal the aggregation of the finer ones they contain (O first, H max, L min, C last, V sum,
//    OI last non-null).
// 5. Out-of-order ticks inside one 1s bar give the same bars as the same ticks in time order.
import {
  alignBarStart,
  BAR_INTERVALS,
  intervalMs,
  type Bar,
  type BarInterval,
  type InstrumentId,
  type Tick,
} from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EmptyBarPolicy } from './bar-aggregator.ts';
import { aTick, INFY, ist, recordingAggregator, TCS } from './bar-test-support.ts';
import { DailySessionSchedule, istDayNumber, istDayStartMs } from './session-schedule.ts';

const SESSIONS = new DailySessionSchedule();
/** 09:16 IST: a day's first tick before it counts its whole cumulative volume (DailySessionSchedule opens 09:15). */
const FIRST_MINUTE_END_MS = 33_360_000;
const IDS: readonly InstrumentId[] = [INFY, TCS];

interface Feed {
  readonly id: InstrumentId;
  readonly tick: Tick;
}

/** Generates time-ordered ticks of up to two instruments from 09:14 IST over up to ~3 IST days. */
const feedArb: fc.Arbitrary<Feed[]> = fc
  .array(
    fc.record({
      instrument: fc.integer({ min: 0, max: IDS.length - 1 }),
      dtMs: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000 }) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 150_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 * 3_600_000 }) },
      ),
      pricePaise: fc.integer({ min: 10_000, max: 10_020 }),
      volumeStep: fc.integer({ min: 0, max: 50 }),
      dayStartVolume: fc.integer({ min: 0, max: 10_000 }),
      oi: fc.option(fc.integer({ min: 0, max: 1_000 })),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((rows) => {
    let t = ist('2026-11-23', '09:14');
    const cum = new Map<InstrumentId, { day: number; volume: number }>();
    return rows.map((r) => {
      t += r.dtMs;
      const id = IDS[r.instrument] as InstrumentId;
      const day = istDayNumber(t);
      const prev = cum.get(id);
      const volume = prev === undefined || prev.day !== day ? r.dayStartVolume : prev.volume + r.volumeStep;
      cum.set(id, { day, volume });
      return { id, tick: aTick(t, r.pricePaise, volume, r.oi) };
    });
  });

function timeOf(tick: Tick): number {
  return tick.exchangeTs ?? tick.tsInit;
}

function key(b: Pick<Bar, 'instrumentId' | 'interval'>): string {
  return `${b.instrumentId} ${b.interval}`;
}

/** Returns the bars grouped by instrument and interval, each group in emission order. */
function streams(bars: readonly Bar[]): Map<string, Bar[]> {
  const m = new Map<string, Bar[]>();
  for (const b of bars) {
    const list = m.get(key(b)) ?? [];
    list.push(b);
    m.set(key(b), list);
  }
  return m;
}

/** Returns the per-tick volume deltas of a time-ordered feed, by the baseline rule of BarAggregator. */
function volumeDeltas(feed: readonly Feed[]): number[] {
  const state = new Map<InstrumentId, { day: number; max: number }>();
  return feed.map(({ id, tick }) => {
    const t = timeOf(tick);
    const v = tick.volume ?? 0;
    const day = istDayNumber(t);
    const s = state.get(id);
    if (s === undefined || day > s.day) {
      state.set(id, { day, max: v });
      return t < istDayStartMs(day) + FIRST_MINUTE_END_MS ? v : 0;
    }
    const delta = Math.max(0, v - s.max);
    s.max = Math.max(s.max, v);
    return delta;
  });
}

/** The naive reference: every (instrument, interval, bar start) group of a time-ordered feed, in start order. */
function referenceBars(feed: readonly Feed[], intervals: readonly BarInterval[]): Map<string, Bar[]> {
  const deltas = volumeDeltas(feed);
  const groups = new Map<string, Bar>();
  feed.forEach(({ id, tick }, n) => {
    for (const interval of intervals) {
      const start = alignBarStart(timeOf(tick), interval);
      const k = `${id} ${interval} ${start}`;
      const p = tick.lastPricePaise;
      const b = groups.get(k);
      groups.set(k, {
        instrumentId: id,
        interval,
        start,
        openPaise: b?.openPaise ?? p,
        highPaise: b === undefined || p > b.highPaise ? p : b.highPaise,
        lowPaise: b === undefined || p < b.lowPaise ? p : b.lowPaise,
        closePaise: p,
        volume: (b?.volume ?? 0) + (deltas[n] as number),
        oi: tick.oi ?? b?.oi ?? null,
        origin: 'live',
      });
    }
  });
  const sorted = [...groups.values()].sort((a, b) => a.start - b.start);
  return streams(sorted);
}

/** Runs a feed through an aggregator, calling onTime at the given feed positions, then onTime(end) and flush. */
function run(
  feed: readonly Feed[],
  intervals: readonly BarInterval[],
  policy: EmptyBarPolicy,
  clockAt: ReadonlyMap<number, number> = new Map(),
): { bars: Bar[]; lateTicks: number } {
  const { agg, bars } = recordingAggregator(intervals, policy, { sessions: SESSIONS });
  feed.forEach(({ id, tick }, n) => {
    const now = clockAt.get(n);
    if (now !== undefined) agg.onTime(now);
    agg.onTick(id, tick);
  });
  const last = feed[feed.length - 1];
  if (last !== undefined) agg.onTime(timeOf(last.tick) + 1);
  agg.flush();
  return { bars, lateTicks: agg.stats.lateTicks };
}

/** Picks onTime instants between consecutive ticks: never past the next tick, so no tick becomes late. */
function clockArb(feed: readonly Feed[]): fc.Arbitrary<Map<number, number>> {
  return fc
    .array(fc.tuple(fc.nat(Math.max(0, feed.length - 1)), fc.double({ min: 0, max: 1, noNaN: true })), {
      maxLength: 20,
    })
    .map((picks) => {
      const m = new Map<number, number>();
      for (const [n, frac] of picks) {
        const next = timeOf((feed[n] as Feed).tick);
        const prev = n === 0 ? next - 120_000 : timeOf((feed[n - 1] as Feed).tick);
        m.set(n, Math.max(prev, Math.min(next, Math.floor(prev + (next - prev) * frac))));
      }
      return m;
    });
}

describe('BarAggregator properties', () => {
  it('builds the bars of a naive group-by reference, with low ≤ open, close ≤ high', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const { bars, lateTicks } = run(feed, BAR_INTERVALS, 'skip');
        expect(lateTicks).toBe(0);
        for (const b of bars) {
          expect(b.lowPaise).toBeLessThanOrEqual(Math.min(b.openPaise, b.closePaise));
          expect(b.highPaise).toBeGreaterThanOrEqual(Math.max(b.openPaise, b.closePaise));
          expect(b.volume).toBeGreaterThanOrEqual(0);
        }
        expect(streams(bars)).toEqual(referenceBars(feed, BAR_INTERVALS));
      }),
      { numRuns: 150 },
    );
  });

  it('conserves volume: Σ bar volumes = Σ per IST day of last cumulative − baseline', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const { bars } = run(feed, BAR_INTERVALS, 'skip');
        // Per instrument and IST day: the last cumulative volume and the day's baseline.
        const days = new Map<string, { baseline: number; last: number }>();
        for (const { id, tick } of feed) {
          const t = timeOf(tick);
          const day = istDayNumber(t);
          const k = `${id} ${day}`;
          const v = tick.volume ?? 0;
          const d = days.get(k);
          if (d === undefined) {
            days.set(k, { baseline: t < istDayStartMs(day) + FIRST_MINUTE_END_MS ? 0 : v, last: v });
          } else d.last = v;
        }
        for (const id of IDS) {
          const expected = [...days]
            .filter(([k]) => k.startsWith(`${id} `))
            .reduce((sum, [, d]) => sum + d.last - d.baseline, 0);
          for (const interval of BAR_INTERVALS) {
            const total = bars
              .filter((b) => b.instrumentId === id && b.interval === interval)
              .reduce((sum, b) => sum + b.volume, 0);
            expect(total).toBe(expected);
          }
          for (const [k, d] of days) {
            if (!k.startsWith(`${id} `)) continue;
            const day = Number(k.slice(id.length + 1));
            for (const interval of ['1m', '1d'] as const) {
              const total = bars
                .filter((b) => b.instrumentId === id && b.interval === interval)
                .filter((b) => istDayNumber(b.start) === day)
                .reduce((sum, b) => sum + b.volume, 0);
              expect(total).toBe(d.last - d.baseline);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same bars however onTime calls are interleaved with the ticks (skip and flat)', () => {
    const flatIntervals: readonly BarInterval[] = ['1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d'];
    fc.assert(
      fc.property(
        feedArb.chain((feed) => fc.tuple(fc.constant(feed), clockArb(feed))),
        fc.constantFrom<EmptyBarPolicy>('skip', 'flat'),
        ([feed, clockAt], policy) => {
          const intervals = policy === 'flat' ? flatIntervals : BAR_INTERVALS;
          const plain = run(feed, intervals, policy);
          const clocked = run(feed, intervals, policy, clockAt);
          expect(clocked.lateTicks).toBe(0);
          const a = streams(plain.bars);
          expect(streams(clocked.bars)).toEqual(a);
          for (const list of a.values()) {
            for (let n = 1; n < list.length; n++) {
              const prev = list[n - 1] as Bar;
              const cur = list[n] as Bar;
              expect(cur.start).toBeGreaterThanOrEqual(prev.start + intervalMs(prev.interval));
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('builds coarser bars equal to the aggregation of the finer bars inside them', () => {
    const pairs: readonly [BarInterval, BarInterval][] = [
      ['1s', '1m'],
      ['1m', '3m'],
      ['1m', '5m'],
      ['5m', '10m'],
      ['5m', '15m'],
      ['3m', '15m'],
      ['15m', '30m'],
      ['30m', '60m'],
      ['1m', '1d'],
    ];
    fc.assert(
      fc.property(feedArb, (feed) => {
        const { bars } = run(feed, BAR_INTERVALS, 'skip');
        for (const [fine, coarse] of pairs) {
          for (const c of bars.filter((b) => b.interval === coarse)) {
            const end = c.start + intervalMs(coarse);
            const parts = bars.filter(
              (b) =>
                b.interval === fine &&
                b.instrumentId === c.instrumentId &&
                b.start >= c.start &&
                b.start < end,
            );
            expect(parts.length).toBeGreaterThan(0);
            const withOi = parts.filter((p) => p.oi !== null);
            expect({
              openPaise: parts[0]?.openPaise,
              highPaise: Math.max(...parts.map((p) => p.highPaise)),
              lowPaise: Math.min(...parts.map((p) => p.lowPaise)),
              closePaise: parts[parts.length - 1]?.closePaise,
              volume: parts.reduce((s, p) => s + p.volume, 0),
              oi: withOi[withOi.length - 1]?.oi ?? null,
            }).toEqual({
              openPaise: c.openPaise,
              highPaise: c.highPaise,
              lowPaise: c.lowPaise,
              closePaise: c.closePaise,
              volume: c.volume,
              oi: c.oi,
            });
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same bars when ticks inside one 1s bar arrive out of order', () => {
    const strictFeed = feedArb.map((feed) =>
      // Distinct times (equal times resolve open/close by arrival, so only distinct ones may be reordered).
      feed.map((f, n) => ({ id: f.id, tick: { ...f.tick, exchangeTs: timeOf(f.tick) + n } })),
    );
    fc.assert(
      fc.property(
        strictFeed.chain((feed) =>
          fc.tuple(fc.constant(feed), fc.array(fc.nat(), { minLength: feed.length })),
        ),
        ([feed, keys]) => {
          // Shuffles ticks only within the same 1s bucket, so each still arrives while its bars are open. An
          // instrument's first tick of an IST day stays first: the first tick to arrive sets the day's baseline.
          const seen = new Set<string>();
          const shuffled = feed
            .map((f, n) => {
              const dayKey = `${f.id} ${istDayNumber(timeOf(f.tick))}`;
              const first = !seen.has(dayKey);
              seen.add(dayKey);
              return {
                f,
                bucket: alignBarStart(timeOf(f.tick), '1s'),
                first: first ? 0 : 1,
                k: keys[n] ?? 0,
                n,
              };
            })
            .sort((a, b) => a.bucket - b.bucket || a.first - b.first || a.k - b.k || a.n - b.n)
            .map((x) => x.f);
          const ordered = run(feed, BAR_INTERVALS, 'skip');
          const reordered = run(shuffled, BAR_INTERVALS, 'skip');
          expect(reordered.lateTicks).toBe(0);
          expect(streams(reordered.bars)).toEqual(streams(ordered.bars));
        },
      ),
      { numRuns: 100 },
    );
  });
});
