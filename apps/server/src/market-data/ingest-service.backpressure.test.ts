// Backpressure of the ingest service without a network: a fake ticker emits frames, the tick store's appends wait on
// a gate. While the tick writer is full, frames wait whole in a bounded backlog; past the bound they are counted as
// overflowed and their window goes to gap repair; once the writer drains, the backlog is ingested in order.
import { PGlite } from '@electric-sql/pglite';
import {
  istToEpochMs,
  makeInstrument,
  makeTick,
  paise,
  TestClock,
  type InstrumentTick,
  type Tick,
  type TickRepository,
} from '@kitepilot/core';
import type { KiteTickerClient } from '@kitepilot/kite';
import type { GapRepairer, GapWindow } from '@kitepilot/market-data';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestService } from './ingest-service.ts';

const NOW = istToEpochMs('2026-11-23', '10:00');
const INFY = makeInstrument({
  exchange: 'NSE',
  type: 'EQ',
  tradingSymbol: 'INFY',
  name: 'INFOSYS',
  token: 408065,
  exchangeToken: 1594,
  tickSizePaise: paise(10),
  lotSize: 1,
  freezeQty: null,
  expiry: null,
  strikePaise: null,
  underlying: null,
});

/** The ticker events the service listens to, emitted by hand. */
class FakeTicker {
  readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  subscribed: number[] = [];
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
  subscribe(tokens: readonly number[]): void {
    this.subscribed.push(...tokens);
  }
  connect(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
  connectionStates(): string[] {
    return ['open'];
  }
}

/** The store's tick repository, with appends held until `release()`. */
class GatedTicks implements TickRepository {
  readonly #inner: TickRepository;
  #gate: Promise<void>;
  #open: () => void = () => {};
  appended = 0;
  constructor(inner: TickRepository) {
    this.#inner = inner;
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  release(): void {
    this.#open();
  }
  async append(namespace: 'real' | 'simulated', ticks: readonly InstrumentTick[]): Promise<number> {
    await this.#gate;
    this.appended += ticks.length;
    return this.#inner.append(namespace, ticks);
  }
  read: TickRepository['read'] = (...args) => this.#inner.read(...args);
  ensureDayPartition: TickRepository['ensureDayPartition'] = (day) => this.#inner.ensureDayPartition(day);
}

let store: Store;
let volume = 0;

function frame(count: number, atMs: number): Tick[] {
  return Array.from({ length: count }, (_, k) =>
    makeTick({
      token: INFY.token,
      tradable: true,
      mode: 'full',
      lastPricePaise: paise(150_000 + 10 * k),
      volume: (volume += 10),
      exchangeTs: atMs,
      tsInit: atMs + 100,
    }),
  );
}

beforeEach(async () => {
  store = createStore(new PgliteDriver(await PGlite.create()));
  await migrate(store.driver);
  await store.instruments.saveVersion('simulated', '2026-11-23', [INFY]);
  await store.watchlist.put('simulated', { instrumentId: INFY.id, mode: 'full', addedAt: NOW });
});

afterEach(async () => {
  await store.close();
});

describe('IngestService under backpressure', () => {
  it('holds frames while the writer is full, counts and repairs what passes the backlog bound, then drains in order', async () => {
    const clock = new TestClock(NOW);
    const ticker = new FakeTicker();
    const ticks = new GatedTicks(store.ticks);
    const gaps: GapWindow[] = [];
    const repairer = {
      repair: (gap: GapWindow) => {
        gaps.push(gap);
        return Promise.resolve({});
      },
      close: () => {},
    };
    const metrics = new Registry();
    const service = await IngestService.start({
      namespace: 'simulated',
      store: { ...store, ticks },
      clock,
      metrics,
      ticker: ticker as unknown as KiteTickerClient,
      barIntervals: ['1m'],
      emptyBars: 'skip',
      logger: pino({ level: 'silent' }),
      gapRepairer: repairer as unknown as GapRepairer,
      writer: { maxBatch: 10, maxPending: 20, flushIntervalMs: 100 },
      maxBacklogTicks: 30,
    });
    expect(ticker.subscribed).toEqual([INFY.token]);

    ticker.emit('ticks', frame(25, NOW - 3000), 0); // ingested; the writer is now over its bound of 20
    ticker.emit('ticks', frame(10, NOW - 2000), 0); // held whole in the backlog
    ticker.emit('ticks', frame(25, NOW - 1000), 0); // 10 + 25 > 30: overflowed
    expect(service.summary()).toMatchObject({ ticksReceived: 60, ticksAccepted: 25, ticksOverflowed: 25 });
    expect(await metrics.metrics()).toContain('kitepilot_ingest_ticks_pending{namespace="simulated"} 35');
    expect(gaps).toEqual([]);

    ticks.release();
    await expect.poll(() => service.summary().ticksAccepted).toBe(35);
    // The overflowed frame's window goes to gap repair once the backlog has drained.
    await expect.poll(() => gaps).toEqual([{ fromMs: NOW - 1000, toMs: NOW - 1000 }]);
    ticker.emit('ticks', frame(3, NOW), 0); // the writer takes frames directly again
    expect(service.summary().ticksAccepted).toBe(38);

    const summary = await service.stop();
    expect(summary).toMatchObject({
      ticksWritten: 38,
      ticksOverflowed: 25,
      gapsRecorded: 1,
      ticksQuarantined: 0,
    });
    const stored = await store.ticks.read('simulated', INFY.id, NOW - 10_000, NOW + 1000);
    expect(stored.map((e) => e.tick.volume)).toEqual([
      ...Array.from({ length: 35 }, (_, k) => 10 * (k + 1)),
      ...Array.from({ length: 3 }, (_, k) => 610 + 10 * k),
    ]);
  });
});
