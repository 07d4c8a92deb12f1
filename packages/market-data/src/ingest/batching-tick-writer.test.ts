import {
  instrumentId,
  makeTick,
  paise,
  TestClock,
  type DataNamespace,
  type InstrumentId,
  type InstrumentTick,
  type TickRepository,
} from '@kitepilot/core';
import { describe, expect, it, vi } from 'vitest';
import { BatchingTickWriter, type BatchingTickWriterOptions } from './batching-tick-writer.ts';

const t0 = Date.UTC(2026, 10, 20, 4, 30);
const id = instrumentId('RELIANCE', 'NSE');

function ticks(from: number, n: number): InstrumentTick[] {
  return Array.from({ length: n }, (_, i) => ({
    instrumentId: id,
    tick: makeTick({ token: 1, tradable: true, mode: 'ltp', lastPricePaise: paise(from + i), tsInit: t0 }),
  }));
}

interface PendingAppend {
  readonly ticks: readonly InstrumentTick[];
  resolve(n: number): void;
  reject(e: Error): void;
}

/** A tick repository whose appends wait until the test completes or fails them, one by one. */
class ManualRepository implements TickRepository {
  readonly stored: InstrumentTick[] = [];
  readonly pending: PendingAppend[] = [];
  readonly sizes: number[] = [];
  inFlight = 0;
  maxInFlight = 0;

  append(_namespace: DataNamespace, batch: readonly InstrumentTick[]): Promise<number> {
    this.sizes.push(batch.length);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ ticks: [...batch], resolve, reject });
    }).finally(() => {
      this.inFlight -= 1;
    });
  }

  /** Completes the oldest append, storing its ticks (or reporting `count` rows). */
  async complete(count?: number): Promise<void> {
    await vi.waitFor(() => expect(this.pending.length).toBeGreaterThan(0));
    const next = this.pending.shift() as PendingAppend;
    if (count === undefined) this.stored.push(...next.ticks);
    next.resolve(count ?? next.ticks.length);
  }

  /** Fails the oldest append. */
  async fail(message: string): Promise<void> {
    await vi.waitFor(() => expect(this.pending.length).toBeGreaterThan(0));
    (this.pending.shift() as PendingAppend).reject(new Error(message));
  }

  read(_n: DataNamespace, _i: InstrumentId, _f: number, _t: number): Promise<InstrumentTick[]> {
    return Promise.resolve([...this.stored]);
  }

  ensureDayPartition(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

function setup(options: Partial<BatchingTickWriterOptions> = {}) {
  const clock = new TestClock(t0);
  const repository = new ManualRepository();
  const fatal: Error[] = [];
  const writer = new BatchingTickWriter({
    repository,
    namespace: 'simulated',
    clock,
    maxBatch: 4,
    maxPending: 10,
    flushIntervalMs: 200,
    retryBaseMs: 100,
    maxRetries: 2,
    onFatal: (e) => fatal.push(e),
    ...options,
  });
  return { clock, repository, writer, fatal };
}

const prices = (list: readonly InstrumentTick[]): number[] => list.map((t) => t.tick.lastPricePaise);

describe('BatchingTickWriter', () => {
  it('writes a full batch at once and a partial one after the flush interval on the clock', async () => {
    const { clock, repository, writer } = setup();
    writer.offer(ticks(0, 3));
    expect(repository.sizes).toEqual([]);
    clock.advanceBy(199);
    expect(repository.sizes).toEqual([]);
    clock.advanceBy(1);
    expect(repository.sizes).toEqual([3]);
    await repository.complete();
    await vi.waitFor(() => expect(writer.stats.pending).toBe(0));
    writer.offer(ticks(3, 5));
    expect(repository.sizes).toEqual([3, 4]);
    await repository.complete();
    await vi.waitFor(() => expect(clock.pendingTimers()).toHaveLength(1));
    clock.advanceBy(200);
    await repository.complete();
    await writer.flush();
    expect(prices(repository.stored)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(writer.stats).toEqual({ written: 8, pending: 0, batches: 3, retries: 0 });
  });

  it('applies backpressure with a slow store: false at the bound, writable after a drain, nothing lost, order kept', async () => {
    const { repository, writer } = setup();
    expect(writer.offer(ticks(0, 4))).toBe(true); // a full batch: written at once, 4 pending in flight
    expect(writer.offer(ticks(4, 4))).toBe(true); // 8 pending
    expect(writer.offer(ticks(8, 2))).toBe(false); // 10 pending: at the bound
    expect(writer.writable).toBe(false);
    expect(writer.stats.pending).toBe(10);
    let resumed = false;
    const writable = writer.whenWritable().then(() => {
      resumed = true;
    });
    await Promise.resolve();
    expect(resumed).toBe(false);
    await repository.complete(); // 6 pending
    await writable;
    expect(writer.writable).toBe(true);
    expect(writer.stats.pending).toBe(6);
    expect(writer.offer(ticks(10, 4))).toBe(false); // at the bound again
    const flushed = writer.flush();
    for (let i = 0; i < 3; i++) await repository.complete();
    await flushed;
    expect(prices(repository.stored)).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(repository.sizes).toEqual([4, 4, 4, 2]);
    expect(repository.maxInFlight).toBe(1);
    expect(writer.stats).toMatchObject({ written: 14, pending: 0 });
  });

  it('refuses an offer past the hard limit without taking any of it', () => {
    const { writer } = setup({ hardLimit: 12 });
    writer.offer(ticks(0, 10));
    expect(() => writer.offer(ticks(10, 3))).toThrow(
      /offering 3 items would make 13 pending, past the hard limit 12 \(the caller ignored backpressure at 10\)/,
    );
    expect(writer.stats.pending).toBe(10);
  });

  it('retries a failed batch with doubling backoff and then writes it once', async () => {
    const { clock, repository, writer, fatal } = setup();
    writer.offer(ticks(0, 4));
    await repository.fail('connection reset');
    await vi.waitFor(() => expect(clock.pendingTimers().map((t) => t.atMs)).toEqual([t0 + 100]));
    clock.advanceBy(100);
    await repository.fail('connection reset');
    await vi.waitFor(() => expect(clock.pendingTimers().map((t) => t.atMs)).toEqual([t0 + 100 + 200]));
    clock.advanceBy(200);
    await repository.complete();
    await writer.flush();
    expect(prices(repository.stored)).toEqual([0, 1, 2, 3]);
    expect(repository.sizes).toEqual([4, 4, 4]);
    expect(writer.stats).toEqual({ written: 4, pending: 0, batches: 1, retries: 2 });
    expect(fatal).toEqual([]);
  });

  it('fails for good after the retries, surfaces the error and refuses further work', async () => {
    const { clock, repository, writer, fatal } = setup();
    writer.offer(ticks(0, 4));
    writer.offer(ticks(4, 1));
    const flushed = writer.flush().catch((e: unknown) => e);
    const writable = writer.whenWritable();
    for (const wait of [100, 200]) {
      await repository.fail('disk full');
      await vi.waitFor(() => expect(clock.pendingTimers()).toHaveLength(1));
      clock.advanceBy(wait);
    }
    await repository.fail('disk full');
    await vi.waitFor(() => expect(fatal).toHaveLength(1));
    expect(fatal[0]?.message).toMatch(
      /ticks:simulated writer: a batch of 4 failed 3 times; 5 items pending are not written: disk full/,
    );
    expect(await flushed).toBe(fatal[0]);
    await expect(writable).resolves.toBeUndefined();
    await expect(writer.whenWritable()).rejects.toBe(fatal[0]);
    expect(() => writer.offer(ticks(5, 1))).toThrow(/writer has failed/);
    expect(repository.stored).toEqual([]);
    expect(writer.stats).toMatchObject({ written: 0, pending: 5, retries: 2 });
  });

  it('fails at once without retrying when the store reports a different row count', async () => {
    const { repository, writer, fatal } = setup();
    writer.offer(ticks(0, 4));
    await repository.complete(3);
    await vi.waitFor(() => expect(fatal).toHaveLength(1));
    expect(fatal[0]?.message).toMatch(/the store wrote 3 of a batch of 4/);
    expect(repository.sizes).toEqual([4]);
  });

  it('writes everything pending on close and then refuses offers', async () => {
    const { clock, repository, writer } = setup();
    writer.offer(ticks(0, 2));
    const closed = writer.close();
    await repository.complete();
    await closed;
    expect(prices(repository.stored)).toEqual([0, 1]);
    expect(clock.pendingTimers()).toEqual([]);
    expect(() => writer.offer(ticks(2, 1))).toThrow(/writer is closed; 1 items offered/);
  });
});
