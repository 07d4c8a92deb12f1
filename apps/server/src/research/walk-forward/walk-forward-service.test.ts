import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NseCalendar, parseAccountId } from '@kitepilot/core';
import { StrategyConfigError } from '@kitepilot/engine';
import { createStore, migrate, PgliteDriver, type Store } from '@kitepilot/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalkForwardRequestBody } from '@kitepilot/api-contract';
import { WALK_FORWARD_OBJECTIVES } from '@kitepilot/api-contract';
import { studyBody } from './walk-forward-body.ts';
import { OBJECTIVES, WalkForwardConfigError } from './walk-forward-research.ts';
import {
  createWalkForwardStudy,
  runWalkForwardStudy,
  WalkForwardNotFoundError,
  type StudyRunResult,
  type WalkForwardServices,
} from './walk-forward-service.ts';
import { walkForwardSpecOf, WalkForwardSpecError } from './walk-forward-spec.ts';
import { writeRandomWalkCsv } from './testing.ts';

const account = parseAccountId('acc_default');
let dir: string;
let csv: string;
let store: Store;
let services: WalkForwardServices;
let ids = 0;
let clock = Date.UTC(2026, 10, 23, 5, 30);

/** sma-cross over 20 days: 3 rolling windows of 8 + 4 days; fast=30 slow=20 is refused by the strategy. */
function aRequest(overrides: Partial<WalkForwardRequestBody> = {}): WalkForwardRequestBody {
  return {
    data: csv,
    symbol: 'NSE:INFY',
    strategy: 'sma-cross',
    grid: { fast: [5, 30], slow: [20, 40] },
    params: { stopPct: '1' },
    qty: 10,
    trainDays: 8,
    testDays: 4,
    objective: 'sharpe',
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-walk-forward-'));
  csv = join(dir, 'infy-20d.csv');
  writeRandomWalkCsv(csv, 20);
  const driver = new PgliteDriver(await PGlite.create());
  await migrate(driver);
  store = createStore(driver);
  services = {
    store,
    accountId: account,
    calendar: new NseCalendar(),
    now: () => (clock += 1000),
    newStudyId: () => `wf_test${++ids}`,
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runFresh(workers: number, body = aRequest()): Promise<StudyRunResult> {
  const prepared = await createWalkForwardStudy(walkForwardSpecOf(body), services);
  return runWalkForwardStudy(prepared.id, services, { workers, prepared });
}

let reference: StudyRunResult;

describe('runWalkForwardStudy', () => {
  it(
    'stores every window and a summary, and gives the same result with 1 and 2 workers',
    { timeout: 120_000 },
    async () => {
      reference = await runFresh(1);
      const two = await runFresh(2);
      expect(reference.study.status).toBe('completed');
      expect(reference.computed).toBe(3);
      expect(reference.study.windows).toHaveLength(3);
      expect(reference.study.windowsDone).toBe(3);
      expect(reference.summary).not.toBeNull();
      expect(two.summary).toEqual(reference.summary);
      expect(two.study.summary).toEqual(reference.study.summary);
      expect(two.study.configHash).toBe(reference.study.configHash);
      const strip = (r: StudyRunResult) => r.study.windows.map(({ finishedAt: _, ...w }) => w);
      expect(strip(two)).toEqual(strip(reference));
      const summary = reference.summary!;
      expect(summary.windows.map((w) => [w.index, w.testFirstDay, w.testLastDay])).toEqual([
        [0, '2025-01-16', '2025-01-21'],
        [1, '2025-01-22', '2025-01-27'],
        [2, '2025-01-28', '2025-01-31'],
      ]);
      // The stitched curve has every test day once and as many trades as the test runs.
      expect(summary.stitched.periods).toBe(3);
      expect(summary.stitched.daily).toHaveLength(12);
      const body = studyBody(reference.study, false);
      const oosTrades = body.windows.reduce((n, w) => n + (w.outOfSample?.trades ?? 0), 0);
      expect(summary.stitched.metrics.trades).toBe(oosTrades);
      // fast=30 slow=20 is refused on every training period, recorded against its candidate.
      for (const w of body.windows) {
        expect(w.status).toBe('done');
        expect(w.candidates).toBe(4);
        expect(w.failedCandidates).toBe(1);
        expect(w.bestParams).not.toEqual({ fast: 30, slow: 20 });
      }
      const failures = (
        reference.study.windows[0]!.testResult as { failures: { candidate: number; error: string }[] }
      ).failures;
      expect(failures).toHaveLength(1);
      expect(failures[0]!.candidate).toBe(2);
      expect(failures[0]!.error).toMatch(/fast/);
    },
  );

  it(
    'resumes an interrupted study, computing only the windows not stored, to the same result',
    { timeout: 120_000 },
    async () => {
      const prepared = await createWalkForwardStudy(walkForwardSpecOf(aRequest()), services);
      const abort = new AbortController();
      const first = await runWalkForwardStudy(prepared.id, services, {
        workers: 2,
        prepared,
        signal: abort.signal,
        onWindow: () => abort.abort(),
      });
      expect(first.interrupted).toBe(true);
      expect(first.summary).toBeNull();
      expect(first.study.status).toBe('running');
      const stored = first.study.windows.length;
      expect(stored).toBeGreaterThanOrEqual(1);
      expect(stored).toBeLessThan(3);
      const savedBefore = new Map(first.study.windows.map((w) => [w.index, w.finishedAt]));

      const resumed = await runWalkForwardStudy(prepared.id, services, { workers: 2 });
      expect(resumed.computed).toBe(3 - stored);
      expect(resumed.study.status).toBe('completed');
      expect(resumed.summary).toEqual(reference.summary);
      expect(resumed.study.summary).toEqual(reference.study.summary);
      // The windows stored before the interruption were not computed again.
      for (const [index, finishedAt] of savedBefore) {
        expect(resumed.study.windows[index]!.finishedAt).toBe(finishedAt);
      }
    },
  );

  it('refuses to resume a finished or unknown study, or one whose bars changed', async () => {
    await expect(runWalkForwardStudy(reference.study.id, services)).rejects.toThrow(
      `walk-forward study ${reference.study.id} is already completed; only an unfinished study resumes`,
    );
    await expect(runWalkForwardStudy('wf_nothere', services)).rejects.toThrow(WalkForwardNotFoundError);
    const changed = join(dir, 'changing.csv');
    writeRandomWalkCsv(changed, 20, 1);
    const prepared = await createWalkForwardStudy(walkForwardSpecOf(aRequest({ data: changed })), services);
    writeRandomWalkCsv(changed, 20, 2);
    await expect(runWalkForwardStudy(prepared.id, services, { workers: 1 })).rejects.toThrow(
      /the bars of walk-forward study wf_test\d+ changed since it started .*a resume needs the same data/,
    );
  });

  it('stops, resumable, when its workers cannot start, instead of failing every window', async () => {
    const prepared = await createWalkForwardStudy(walkForwardSpecOf(aRequest()), services);
    const broken = new URL(
      '../../../../../packages/research/src/walk-forward/testing/broken-worker.ts',
      import.meta.url,
    );
    await expect(
      runWalkForwardStudy(prepared.id, services, { workers: 1, prepared, workerModule: broken }),
    ).rejects.toThrow(
      /^walk-forward study wf_test\d+ stopped \(resumable\): workers do not start \(exit code 1/,
    );
    const study = await store.walkForward.get(account, prepared.id);
    expect(study?.status).toBe('running');
    expect(study?.windows).toEqual([]);
  });

  it('fails a study whose windows all fail, keeping the errors', { timeout: 120_000 }, async () => {
    const result = await runFresh(1, aRequest({ grid: { fast: [30], slow: [20] } }));
    expect(result.study.status).toBe('failed');
    expect(result.summary?.windowsFailed).toBe(3);
    expect(result.summary?.stitched.periods).toBe(0);
    expect(result.study.windows[0]!.error).toMatch(
      /^all 1 candidates failed on the training period; candidate 0: /,
    );
  });
});

describe('createWalkForwardStudy', () => {
  it('refuses bad requests before storing anything, naming the problem', async () => {
    const before = (await store.walkForward.list(account, 100)).length;
    const create = (overrides: Partial<WalkForwardRequestBody>) =>
      createWalkForwardStudy(walkForwardSpecOf(aRequest(overrides)), services);
    await expect(create({ trainDays: 20 })).rejects.toThrow(
      'the data has 20 trading day(s); one window needs 20 train + 4 test = 24',
    );
    await expect(create({ trainDays: 20 })).rejects.toThrow(WalkForwardConfigError);
    await expect(create({ strategy: 'no-such' })).rejects.toThrow(StrategyConfigError);
    await expect(create({ grid: { fast: [0, 5] } })).rejects.toThrow(
      /^candidate 0 \(fast=0\): strategy sma-cross: parameter fast = 0 is below the minimum/,
    );
    await expect(create({ grid: { fastt: [5] } })).rejects.toThrow(/unknown parameter fastt/);
    await expect(create({ data: join(dir, 'missing.csv') })).rejects.toThrow(
      /cannot read --data .*missing\.csv: ENOENT/,
    );
    await expect(create({ charges: 'free' })).rejects.toThrow(
      '--charges "free" must be none, zerodha or pct:X',
    );
    expect(await store.walkForward.list(account, 100)).toHaveLength(before);
  });
});

describe('walkForwardSpecOf', () => {
  it('applies the defaults and reads file, store and random requests', () => {
    const spec = walkForwardSpecOf(aRequest({ data: 'bars/infy.parquet' }));
    expect(spec.backtest).toMatchObject({
      data: { kind: 'parquet', path: join(process.cwd(), 'bars/infy.parquet') },
      product: 'MIS',
      cashRupees: 1_000_000,
      charges: 'zerodha',
      fill: 'next-open',
      slippage: 'none',
      latencyMs: 0,
      params: { stopPct: '1' },
      qty: 10,
    });
    expect(spec.windows).toEqual({ trainDays: 8, testDays: 4, stepDays: 4, anchored: false });
    expect(spec.search).toEqual({
      kind: 'grid',
      grid: { fast: [5, 30], slow: [20, 40] },
      maxCandidates: 10_000,
    });
    const stored = walkForwardSpecOf(
      aRequest({ data: { kind: 'store', from: '2025-01-06', to: '2025-02-28' }, simulated: true }),
    );
    expect(stored.backtest.data).toEqual({
      kind: 'store',
      symbol: 'NSE:INFY',
      interval: '1m',
      from: '2025-01-06',
      to: '2025-02-28',
    });
    expect(stored.simulated).toBe(true);
    const random = walkForwardSpecOf(
      aRequest({ grid: { slow: [20, 40] }, ranges: { fast: { min: 3, max: 15 } }, random: 5, seed: 9 }),
    );
    expect(random.search).toEqual({
      kind: 'random',
      count: 5,
      seed: 9,
      ranges: { fast: { min: 3, max: 15 } },
      choices: { slow: [20, 40] },
      maxCandidates: 10_000,
    });
  });

  it('refuses contradictory or incomplete requests, naming the field', () => {
    expect(() => walkForwardSpecOf(aRequest({ ranges: { fast: { min: 1, max: 5 } } }))).toThrow(
      'ranges are drawn from by a random search: give random (how many sets) too',
    );
    expect(() => walkForwardSpecOf(aRequest({ grid: {} }))).toThrow('nothing to search');
    expect(() => walkForwardSpecOf(aRequest({ params: { fast: 5 } }))).toThrow(
      'parameter fast is both fixed (params) and searched; give it once',
    );
    expect(() => walkForwardSpecOf(aRequest({ simulated: true }))).toThrow('simulated reads stored bars');
    expect(() => walkForwardSpecOf(aRequest({ data: { kind: 'store', from: '2025-01-06' } }))).toThrow(
      'data: stored bars need from and to',
    );
    expect(() => walkForwardSpecOf(aRequest({ data: { kind: 'csv' } }))).toThrow(
      'data: a csv file needs its path',
    );
    expect(() => walkForwardSpecOf(aRequest({ stepDays: 2 }))).toThrow('stepDays 2 is less than testDays 4');
    expect(() => walkForwardSpecOf(aRequest({ objective: 'sharp' as 'sharpe' }))).toThrow(
      'objective "sharp"',
    );
    expect(() => walkForwardSpecOf(aRequest({ cashRupees: -1 }))).toThrow(WalkForwardSpecError);
  });

  it('offers the objectives the research package ranks by', () => {
    expect([...WALK_FORWARD_OBJECTIVES]).toEqual([...OBJECTIVES]);
  });
});
