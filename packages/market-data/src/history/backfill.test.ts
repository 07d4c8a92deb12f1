import { PGlite } from '@electric-sql/pglite';
import {
  aNiftyFuture,
  anInstrument,
  istToEpochMs,
  makeBar,
  SequentialIdGenerator,
  TestClock,
  type Bar,
  type JobRunId,
  type JobRunRepository,
} from '@kitepilot/core';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backfill, BackfillChunkError, type BackfillOptions } from './backfill.ts';
import { chunkPhaseName } from './backfill-job.ts';
import { FakeCandleSource } from './fake-candle-source.ts';

const INFY = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065 });
const FROM = istToEpochMs('2026-01-05', '00:00');
const TO = istToEpochMs('2026-01-11', '23:59:59');
const DAY = 86_400_000;

let store: Store;
let clock: TestClock;
let source: FakeCandleSource;
let ids: SequentialIdGenerator;

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
  clock = new TestClock(istToEpochMs('2026-02-02', '10:00'));
  source = new FakeCandleSource(() => clock.now());
  ids = new SequentialIdGenerator();
});

function options(overrides: Partial<BackfillOptions> = {}): BackfillOptions {
  return {
    source,
    bars: store.bars,
    jobRuns: store.jobRuns,
    clock,
    ids,
    namespace: 'real',
    instrument: INFY,
    interval: '1m',
    fromMs: FROM,
    toMs: TO,
    chunkDays: 2,
    retry: { maxRetries: 2, delayMs: 0 },
    ...overrides,
  };
}

async function tableContents(): Promise<unknown[]> {
  const r = await store.driver.query(
    `SELECT namespace, instrument_id, bar_interval, start_at, open_paise, high_paise, low_paise, close_paise,
            volume, oi, origin FROM bars ORDER BY namespace, instrument_id, bar_interval, start_at`,
  );
  return r.rows;
}

const expectedMinutes = 7 * 375;

describe('backfill', () => {
  it('splits the range into chunks of the given days and stores every minute with origin historical', async () => {
    const result = await backfill(options());
    expect(source.requests.map((r) => [r.fromMs, r.toMs])).toEqual([
      [FROM, FROM + 2 * DAY - 1000],
      [FROM + 2 * DAY, FROM + 4 * DAY - 1000],
      [FROM + 4 * DAY, FROM + 6 * DAY - 1000],
      [FROM + 6 * DAY, TO],
    ]);
    expect(result).toMatchObject({ resumed: false, candles: expectedMinutes, inserted: expectedMinutes });
    expect(result.written).toBe(expectedMinutes);
    const bars = await store.bars.read('real', INFY.id, '1m', FROM, TO + 1);
    expect(bars).toHaveLength(expectedMinutes);
    expect(bars.every((b) => b.origin === 'historical')).toBe(true);
    expect(bars[0]).toEqual(source.candle(INFY, '1m', istToEpochMs('2026-01-05', '09:15')));
    const phases = await store.jobRuns.listByRun(result.jobRunId);
    // The test clock stands still, so phases with equal start times list by name.
    expect(phases.map((p) => p.phase).sort()).toEqual([
      'chunk 0001',
      'chunk 0002',
      'chunk 0003',
      'chunk 0004',
      'done',
      'plan',
    ]);
    expect(phases.every((p) => p.job === 'backfill' && p.finishedAt !== null && !p.isError)).toBe(true);
    expect(JSON.parse(phases.find((p) => p.phase === 'chunk 0001')?.message ?? '')).toMatchObject({
      candles: 750,
      inserted: 750,
      written: 750,
    });
  });

  it('uses Kite’s per-interval caps by default: 60 days per minute request', async () => {
    const from = istToEpochMs('2026-01-01', '00:00');
    const to = istToEpochMs('2026-01-01', '23:59:59') + 61 * DAY;
    const { chunkDays: _chunkDays, ...byCaps } = options({ fromMs: from, toMs: to });
    const result = await backfill({ ...byCaps, interval: '1d' });
    expect(source.requests).toHaveLength(1);
    expect(result.chunks).toHaveLength(1);
    source.requests.length = 0;
    await backfill(byCaps);
    expect(source.requests.map((r) => r.toMs - r.fromMs + 1000)).toEqual([60 * DAY, 2 * DAY]);
  });

  it('changes nothing on a second run: same table contents, nothing written', async () => {
    await backfill(options());
    const before = await tableContents();
    const second = await backfill(options());
    expect(second.resumed).toBe(false);
    expect(second).toMatchObject({ written: 0, inserted: 0, unchanged: expectedMinutes });
    expect(await tableContents()).toEqual(before);
  });

  it('resumes a run that failed mid-way from the failed chunk, keeping the error on record', async () => {
    source.failNext(3, () => new Error('HTTP 503 from the broker'), 3);
    const failure = await backfill(options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackfillChunkError);
    const jobRunId = (failure as BackfillChunkError).jobRunId;
    expect((failure as BackfillChunkError).chunk.index).toBe(3);
    let phases = await store.jobRuns.listByRun(jobRunId);
    const failed = phases.find((p) => p.phase === chunkPhaseName(3));
    expect(failed).toMatchObject({ isError: true, retries: 2, message: 'HTTP 503 from the broker' });
    expect(phases.some((p) => p.phase === 'done')).toBe(false);
    expect(await store.bars.read('real', INFY.id, '1m', FROM, TO + 1)).toHaveLength(4 * 375);

    source.requests.length = 0;
    const resumed = await backfill(options());
    expect(resumed.jobRunId).toBe(jobRunId);
    expect(resumed.resumed).toBe(true);
    expect(source.requests.map((r) => r.fromMs)).toEqual([FROM + 4 * DAY, FROM + 6 * DAY]);
    expect(resumed.chunks.map((c) => c.skipped)).toEqual([true, true, false, false]);
    phases = await store.jobRuns.listByRun(jobRunId);
    expect(phases.find((p) => p.phase === `${chunkPhaseName(3)} run 2`)).toMatchObject({ isError: false });
    expect(phases.some((p) => p.phase === 'done')).toBe(true);
    expect(await store.bars.read('real', INFY.id, '1m', FROM, TO + 1)).toHaveLength(expectedMinutes);
  });

  it('resumes after a crash that left a chunk started but unrecorded, under the same job id', async () => {
    let crashOn: string | null = chunkPhaseName(2);
    const crashing: JobRunRepository = {
      startPhase: (p) => store.jobRuns.startPhase(p),
      finishPhase: (id, phase, outcome) => {
        if (phase === crashOn) return Promise.reject(new Error('process killed'));
        return store.jobRuns.finishPhase(id, phase, outcome);
      },
      listByRun: (id) => store.jobRuns.listByRun(id),
      listRecent: (job, limit) => store.jobRuns.listRecent(job, limit),
    };
    const jobRunId = 'job_crash1' as JobRunId;
    await expect(backfill(options({ jobRuns: crashing, jobRunId }))).rejects.toThrow('process killed');
    const open = (await store.jobRuns.listByRun(jobRunId)).find((p) => p.phase === chunkPhaseName(2));
    expect(open?.finishedAt).toBeNull();

    crashOn = null;
    source.requests.length = 0;
    const before = await tableContents();
    const resumed = await backfill(options({ jobRuns: crashing, jobRunId }));
    expect(resumed.resumed).toBe(true);
    expect(source.requests.map((r) => r.fromMs)).toEqual([FROM + 2 * DAY, FROM + 4 * DAY, FROM + 6 * DAY]);
    // The crashed chunk had been written: redoing it writes nothing.
    expect(resumed.chunks[1]).toMatchObject({ unchanged: 750, written: 0 });
    const phases = await store.jobRuns.listByRun(jobRunId);
    expect(phases.find((p) => p.phase === chunkPhaseName(2))).toMatchObject({ isError: false, retries: 1 });
    expect((await tableContents()).length).toBe(expectedMinutes);
    expect(before.length).toBe(4 * 375);
  });

  it('retries a failing chunk and records the retries on success', async () => {
    source.failNext(2, () => new Error('HTTP 502'), 1);
    const result = await backfill(options());
    expect(result.chunks[0]?.retries).toBe(2);
    const phases = await store.jobRuns.listByRun(result.jobRunId);
    expect(phases.find((p) => p.phase === chunkPhaseName(1))).toMatchObject({ isError: false, retries: 2 });
  });

  it('does not retry an error the broker says will fail again', async () => {
    const rejected = Object.assign(new Error('InputException: invalid token'), { retryable: false });
    source.failNext(1, () => rejected);
    const failure = await backfill(options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackfillChunkError);
    expect(source.requests).toHaveLength(1);
    const phases = await store.jobRuns.listByRun((failure as BackfillChunkError).jobRunId);
    expect(phases.find((p) => p.phase === chunkPhaseName(1))).toMatchObject({ isError: true, retries: 0 });
  });

  it('replaces a differing live bar, counting it, and keeps an equal one as it is', async () => {
    const at = istToEpochMs('2026-01-05', '09:20');
    const equal = { ...source.candle(INFY, '1m', at), origin: 'live' as const };
    const good = source.candle(INFY, '1m', at + 60_000);
    const partial: Bar = makeBar({ ...good, volume: good.volume + 1, origin: 'live' });
    await store.bars.upsert('real', [equal, partial]);
    const result = await backfill(options());
    expect(result.replaced).toEqual({ live: 1, historical: 0, repaired: 0 });
    expect(result.unchanged).toBe(1);
    const [a, b] = await store.bars.read('real', INFY.id, '1m', at, at + 120_000);
    expect(a).toEqual(equal);
    expect(b).toEqual(good);
  });

  it('does not store the running interval, and stores it once it has ended', async () => {
    clock = new TestClock(istToEpochMs('2026-01-11', '10:00:30'));
    source = new FakeCandleSource(() => clock.now());
    const first = await backfill(options());
    expect(first.chunks[3]?.open).toBe(1);
    const last = await store.bars.read('real', INFY.id, '1m', istToEpochMs('2026-01-11', '09:59'), TO + 1);
    expect(last.map((b) => b.start)).toEqual([istToEpochMs('2026-01-11', '09:59')]);
    clock.advanceBy(60_000);
    const second = await backfill(options());
    expect(second.inserted).toBe(1);
  });

  it('stops before the next chunk when aborted and resumes from there', async () => {
    const abort = new AbortController();
    const run = backfill(
      options({
        signal: abort.signal,
        onChunk: (c) => {
          if (c.index === 2) abort.abort(new Error('shutting down'));
        },
      }),
    );
    await expect(run).rejects.toThrow('shutting down');
    expect(source.requests).toHaveLength(2);
    source.requests.length = 0;
    const resumed = await backfill(options());
    expect(resumed.resumed).toBe(true);
    expect(source.requests.map((r) => r.fromMs)).toEqual([FROM + 4 * DAY, FROM + 6 * DAY]);
  });

  it('asks for open interest for futures and options only', async () => {
    await backfill(options({ instrument: aNiftyFuture(), chunkDays: 7 }));
    await backfill(options({ chunkDays: 7 }));
    expect(source.requests.map((r) => r.options)).toEqual([{ oi: true }, {}]);
  });

  it('refuses to resume a job id recorded with other parameters', async () => {
    const { jobRunId } = await backfill(options());
    await expect(backfill(options({ jobRunId, interval: '5m' }))).rejects.toThrow(/cannot be resumed/);
  });

  it('refuses 1-second bars: the broker has no such candles', async () => {
    const { chunkDays: _chunkDays, ...byCaps } = options({ interval: '1s' });
    await expect(backfill(byCaps)).rejects.toThrow('interval 1s has no historical candles at the broker');
  });
});
