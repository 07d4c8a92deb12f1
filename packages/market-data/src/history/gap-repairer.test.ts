import { PGlite } from '@electric-sql/pglite';
import {
  anInstrument,
  istToEpochMs,
  makeBar,
  SequentialIdGenerator,
  TestClock,
  type Bar,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeCandleSource } from './fake-candle-source.ts';
import type { GapMetrics, GapRepairMeasure } from './gap-metrics.ts';
import { GapRepairer, type GapRepairerOptions } from './gap-repairer.ts';

const INFY = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065 });
const TCS = anInstrument({ tradingSymbol: 'TCS', name: 'TCS', token: 2953217 });
const M = 60_000;
const T0 = istToEpochMs('2026-01-05', '10:00');

let store: Store;
let clock: TestClock;
let source: FakeCandleSource;
let measures: GapRepairMeasure[];
let detected: number[];

beforeAll(async () => {
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  store = createStore(driver);
});

afterAll(async () => {
  await store.close();
});

beforeEach(async () => {
  await store.driver.query('DELETE FROM bars');
  await store.driver.query('DELETE FROM job_runs');
  clock = new TestClock(T0 + 3 * M + 20_000);
  source = new FakeCandleSource(() => clock.now());
  measures = [];
  detected = [];
});

function repairer(overrides: Partial<GapRepairerOptions> = {}): GapRepairer {
  const metrics: GapMetrics = {
    gapDetected: (ms) => detected.push(ms),
    gapRepaired: (m) => measures.push(m),
  };
  return new GapRepairer({
    source,
    bars: store.bars,
    jobRuns: store.jobRuns,
    clock,
    ids: new SequentialIdGenerator(),
    namespace: 'simulated',
    metrics,
    settleMs: 5000,
    retry: { maxRetries: 2, delayMs: 0 },
    ...overrides,
  });
}

/** A partial live bar: the candle with a lower high (ticks missed) and less volume. */
function partialLive(bar: Bar): Bar {
  return makeBar({
    ...bar,
    highPaise: Math.max(bar.openPaise, bar.closePaise) as Bar['highPaise'],
    volume: Math.floor(bar.volume / 2),
    origin: 'live',
  });
}

describe('GapRepairer', () => {
  it('fetches the minutes the gap touches once the last has ended and stores them with origin repaired', async () => {
    // Gap: last message 10:01:15, reconnected 10:03:20 → minutes 10:01, 10:02, 10:03 are incomplete.
    const gap = { fromMs: T0 + M + 15_000, toMs: T0 + 3 * M + 20_000 };
    const before = [T0, T0 + M].map((s) => source.candle(INFY, '1m', s));
    await store.bars.upsert('simulated', [{ ...before[0]!, origin: 'live' }, partialLive(before[1]!)]);
    const r = repairer();
    const done = r.repair(gap, [INFY, TCS]);
    await vi.waitFor(() => expect(r.pending).toBe(1));
    expect(source.requests).toHaveLength(0);
    expect(detected).toEqual([gap.toMs - gap.fromMs]);

    clock.advanceTo(T0 + 4 * M + 4999);
    expect(source.requests).toHaveLength(0);
    clock.advanceTo(T0 + 4 * M + 5000);
    const result = await done;

    expect(source.requests.map((q) => [q.instrumentId, q.interval, q.fromMs, q.toMs])).toEqual([
      [INFY.id, '1m', T0 + M, T0 + 3 * M],
      [TCS.id, '1m', T0 + M, T0 + 3 * M],
    ]);
    expect(result).toMatchObject({
      fromMs: T0 + M,
      lastMinuteMs: T0 + 3 * M,
      bars: 6,
      replacedLive: 1,
      failed: [],
    });
    for (const inst of [INFY, TCS]) {
      const bars = await store.bars.read('simulated', inst.id, '1m', T0 + M, T0 + 4 * M);
      expect(bars).toEqual(
        [1, 2, 3].map((k) => ({ ...source.candle(inst, '1m', T0 + k * M), origin: 'repaired' })),
      );
    }
    // The complete live minute before the gap is untouched.
    expect(await store.bars.read('simulated', INFY.id, '1m', T0, T0 + M)).toEqual([
      { ...before[0], origin: 'live' },
    ]);
    const phases = await store.jobRuns.listByRun(result.jobRunId);
    expect(phases).toHaveLength(1);
    expect(phases[0]).toMatchObject({ job: 'gap-repair', phase: 'repair', isError: false, retries: 0 });
    expect(JSON.parse(phases[0]?.message ?? '')).toMatchObject({ bars: 6, replacedLive: 1, instruments: 2 });
    expect(measures).toEqual([
      { gapMs: gap.toMs - gap.fromMs, instruments: 2, bars: 6, replacedLive: 1, failedInstruments: 0 },
    ]);
  });

  it('records the job as soon as the gap is reported, before the repair runs', async () => {
    const r = repairer();
    const done = r.repair({ fromMs: T0 + M, toMs: T0 + 3 * M + 20_000 }, [INFY]);
    await vi.waitFor(() => expect(r.pending).toBe(1));
    const [phase] = await store.jobRuns.listRecent('gap-repair', 10);
    expect(phase).toMatchObject({ phase: 'repair', finishedAt: null });
    expect(phase?.message).toContain('of 1 instruments');
    clock.advanceBy(10 * M);
    await done;
  });

  it('records an instrument that keeps failing as an error and still repairs the others', async () => {
    source.failNext(3, () => new Error('HTTP 503'), 1);
    // The gap's last minute ended more than settleMs ago: the repair runs at once.
    const result = await repairer().repair({ fromMs: T0 + M, toMs: T0 + 2 * M }, [INFY, TCS]);
    expect(result.failed).toEqual([{ instrumentId: INFY.id, message: 'HTTP 503' }]);
    expect(result.retries).toBe(2);
    expect(await store.bars.read('simulated', TCS.id, '1m', T0, T0 + 10 * M)).toHaveLength(2);
    expect(await store.bars.read('simulated', INFY.id, '1m', T0, T0 + 10 * M)).toHaveLength(0);
    const [phase] = await store.jobRuns.listByRun(result.jobRunId);
    expect(phase).toMatchObject({ isError: true, retries: 2 });
    expect(measures[0]?.failedInstruments).toBe(1);
  });

  it('writes nothing when the same gap is repaired twice', async () => {
    const gap = { fromMs: T0 + M, toMs: T0 + 2 * M };
    const r = repairer();
    expect((await r.repair(gap, [INFY])).bars).toBe(2);
    const second = await r.repair(gap, [INFY]);
    expect(second.bars).toBe(0);
  });

  it('rejects its scheduled repairs when closed', async () => {
    const r = repairer();
    const done = r.repair({ fromMs: T0 + M, toMs: T0 + 3 * M }, [INFY]);
    await vi.waitFor(() => expect(r.pending).toBe(1));
    r.close();
    await expect(done).rejects.toThrow('the repairer was closed');
    expect(r.pending).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
  });
});
