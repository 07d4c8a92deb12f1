import {
  asInstrumentId,
  makeTick,
  paise,
  TestClock,
  type DataNamespace,
  type InstrumentId,
  type InstrumentTick,
  type TickRepository,
} from '@kitepilot/core';
import { describe, expect, it, vi } from 'vitest';
import { storedTickTime } from './tick-page-cursor.ts';
import { TickReplay, type TickReplayHandler } from './tick-replay.ts';

const T0 = Date.UTC(2026, 10, 23, 3, 45); // 09:15 IST
const INFY = asInstrumentId('INFY.NSE');
const TCS = asInstrumentId('TCS.NSE');

/** The TickRepository read contract in memory: [from, to), by time then arrival, at most `limit`; counts reads. */
class MemoryTickRepository implements Pick<TickRepository, 'read'> {
  readonly rows: { namespace: DataNamespace; entry: InstrumentTick; seq: number }[] = [];
  reads = 0;

  add(namespace: DataNamespace, entries: readonly InstrumentTick[]): void {
    for (const entry of entries) this.rows.push({ namespace, entry, seq: this.rows.length });
  }

  read(
    namespace: DataNamespace,
    instrumentId: InstrumentId,
    fromMs: number,
    toMs: number,
    limit = 100_000,
  ): Promise<InstrumentTick[]> {
    this.reads += 1;
    const found = this.rows
      .filter((r) => r.namespace === namespace && r.entry.instrumentId === instrumentId)
      .filter((r) => storedTickTime(r.entry) >= fromMs && storedTickTime(r.entry) < toMs)
      .sort((a, b) => storedTickTime(a.entry) - storedTickTime(b.entry) || a.seq - b.seq)
      .slice(0, limit)
      .map((r) => r.entry);
    return Promise.resolve(found);
  }
}

function aTick(instrumentId: InstrumentId, atMs: number, pricePaise: number, volume = 0): InstrumentTick {
  return {
    instrumentId,
    tick: makeTick({
      token: instrumentId === INFY ? 408065 : 2953217,
      tradable: true,
      mode: 'quote',
      lastPricePaise: paise(pricePaise),
      volume,
      exchangeTs: atMs,
      tsInit: atMs + 7,
    }),
  };
}

function collect(): TickReplayHandler & { ticks: InstrumentTick[]; times: number[] } {
  const ticks: InstrumentTick[] = [];
  const times: number[] = [];
  return { ticks, times, onTick: (e) => ticks.push(e), onTime: (t) => times.push(t) };
}

describe('TickReplay', () => {
  it('delivers the ticks of several instruments in time order across them', async () => {
    const repo = new MemoryTickRepository();
    repo.add('real', [aTick(INFY, T0 + 1000, 150_000), aTick(INFY, T0 + 3000, 150_010)]);
    repo.add('real', [
      aTick(TCS, T0 + 500, 400_000),
      aTick(TCS, T0 + 2000, 400_100),
      aTick(TCS, T0 + 3000, 1),
    ]);
    repo.add('simulated', [aTick(INFY, T0 + 1500, 999)]);
    const handler = collect();
    const result = await new TickReplay({
      repository: repo,
      namespace: 'real',
      instrumentIds: [INFY, TCS],
      fromMs: T0,
      toMs: T0 + 60_000,
      speed: 'max',
      clock: new TestClock(T0),
    }).run(handler);
    expect(handler.ticks.map((e) => [e.instrumentId, storedTickTime(e)])).toEqual([
      [TCS, T0 + 500],
      [INFY, T0 + 1000],
      [TCS, T0 + 2000],
      [INFY, T0 + 3000],
      [TCS, T0 + 3000],
    ]);
    expect(handler.times).toEqual([T0 + 500, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 60_000]);
    expect(result).toMatchObject({ ticks: 5, firstTickMs: T0 + 500, lastTickMs: T0 + 3000, aborted: false });
  });

  it('neither drops nor repeats a tick at page boundaries, even when a page ends inside a run of equal times', async () => {
    const repo = new MemoryTickRepository();
    const stored: InstrumentTick[] = [];
    // Runs of 1..7 ticks at the same millisecond straddle every page boundary of pages of 3.
    let price = 100_000;
    for (let i = 0; i < 40; i++) {
      for (let k = 0; k < (i % 7) + 1; k++) stored.push(aTick(INFY, T0 + i * 10, (price += 5)));
    }
    repo.add('real', stored);
    for (const pageSize of [1, 2, 3, 5, 1000]) {
      const handler = collect();
      const result = await new TickReplay({
        repository: repo,
        namespace: 'real',
        instrumentIds: [INFY],
        fromMs: T0,
        toMs: T0 + 400,
        speed: 'max',
        clock: new TestClock(T0),
        pageSize,
      }).run(handler);
      expect(handler.ticks.map((e) => e.tick.lastPricePaise)).toEqual(
        stored.map((e) => e.tick.lastPricePaise),
      );
      expect(result.ticks).toBe(stored.length);
      expect(result.pagesRead).toBeGreaterThanOrEqual(Math.ceil(stored.length / pageSize));
    }
  });

  it('keeps the range half-open: a tick at the end time is left out', async () => {
    const repo = new MemoryTickRepository();
    repo.add('real', [
      aTick(INFY, T0, 100_000),
      aTick(INFY, T0 + 999, 100_005),
      aTick(INFY, T0 + 1000, 100_010),
    ]);
    const handler = collect();
    await new TickReplay({
      repository: repo,
      namespace: 'real',
      instrumentIds: [INFY],
      fromMs: T0,
      toMs: T0 + 1000,
      speed: 'max',
      clock: new TestClock(T0),
      pageSize: 1,
    }).run(handler);
    expect(handler.ticks.map(storedTickTime)).toEqual([T0, T0 + 999]);
  });

  it('at speed 2 schedules each tick at half its recorded gap from the first on the clock', async () => {
    const repo = new MemoryTickRepository();
    repo.add('real', [
      aTick(INFY, T0 + 10_000, 100_000),
      aTick(TCS, T0 + 11_000, 400_000),
      aTick(INFY, T0 + 13_000, 100_005),
      aTick(TCS, T0 + 13_000, 400_005),
      aTick(INFY, T0 + 20_001, 100_010),
    ]);
    const clock = new TestClock(T0 + 1_000_000);
    const start = clock.now();
    const handler = collect();
    const delivered: number[] = [];
    const running = new TickReplay({
      repository: repo,
      namespace: 'real',
      instrumentIds: [INFY, TCS],
      fromMs: T0,
      toMs: T0 + 60_000,
      speed: 2,
      clock,
    }).run({ onTick: (e) => (handler.onTick(e), delivered.push(clock.now())) });

    await vi.waitFor(() => expect(clock.pendingTimers()).toHaveLength(1));
    expect(delivered).toEqual([start]);
    for (const dueAt of [start + 500, start + 1500, start + 5001]) {
      await vi.waitFor(() => expect(clock.pendingTimers().map((t) => t.atMs)).toEqual([dueAt]));
      clock.advanceTo(dueAt - 1);
      expect(delivered.at(-1)).toBeLessThan(dueAt);
      clock.advanceTo(dueAt);
    }
    const result = await running;
    expect(delivered).toEqual([start, start + 500, start + 1500, start + 1500, start + 5001]);
    expect(result.ticks).toBe(5);
  });

  it('stops after the current tick when aborted, also while waiting for the clock', async () => {
    const repo = new MemoryTickRepository();
    repo.add('real', [aTick(INFY, T0, 100_000), aTick(INFY, T0 + 60_000, 100_005)]);
    const clock = new TestClock(T0);
    const abort = new AbortController();
    const handler = collect();
    const running = new TickReplay({
      repository: repo,
      namespace: 'real',
      instrumentIds: [INFY],
      fromMs: T0,
      toMs: T0 + 120_000,
      speed: 1,
      clock,
      signal: abort.signal,
    }).run(handler);
    await vi.waitFor(() => expect(clock.pendingTimers()).toHaveLength(1));
    abort.abort();
    const result = await running;
    expect(result).toMatchObject({ ticks: 1, aborted: true });
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('rejects a speed that is not positive and a range that ends before it starts', () => {
    const base = {
      repository: new MemoryTickRepository(),
      namespace: 'real' as const,
      instrumentIds: [INFY],
      clock: new TestClock(T0),
    };
    expect(() => new TickReplay({ ...base, fromMs: T0, toMs: T0 + 1, speed: 0 })).toThrow(/speed 0/);
    expect(() => new TickReplay({ ...base, fromMs: T0 + 1, toMs: T0, speed: 'max' })).toThrow(/ends/);
  });
});
