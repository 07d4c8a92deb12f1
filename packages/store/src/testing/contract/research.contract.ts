// Contract of the research repositories added with migration 0005: backtest result documents and walk-forward
// studies. Run on PGlite always and on PostgreSQL by store.contract.ts.
// Property: any JSON object jsonb can hold (no U+0000, no lone surrogate) comes back from save/get deep-equal.
import {
  parseAccountId,
  parseRunId,
  parseStrategyId,
  type AccountId,
  type JsonValue,
  type NewBacktestResult,
  type NewWalkForwardStudy,
  type RunId,
  type WalkForwardWindowRecord,
} from '@kitepilot/core';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreQueryError, StoreValueError } from '../../errors.ts';
import { canonicalJson } from '../../repositories/canonical-json.ts';
import { configHash } from '../../repositories/run-repository.ts';
import { createStore, type Store } from '../../store.ts';
import type { StoreTestBackend } from '../store-test-backend.ts';
import { useMigratedStore } from './migrated-store.ts';

const accountA = parseAccountId('acc_A');
const accountB = parseAccountId('acc_B');
const t0 = Date.UTC(2026, 10, 20, 10, 0);
const day = 86_400_000;
const hashA = 'a'.repeat(64);
const hashB = '0123456789abcdef'.repeat(4);

async function seed(store: Store): Promise<void> {
  for (const account of [accountA, accountB]) {
    await store.accounts.create({ id: account, name: `account ${account}`, createdAt: t0 });
  }
}

async function backtestRun(
  store: Store,
  account: AccountId,
  id: string,
  strategy = 'sma-cross',
): Promise<RunId> {
  const runId = parseRunId(id);
  await store.runs.create(account, {
    id: runId,
    environment: 'backtest',
    strategyId: parseStrategyId(`str_${strategy.replace(/[^0-9A-Za-z]/g, '')}`),
    config: { strategy, cashPaise: 100_000_000 },
    startedAt: t0,
  });
  return runId;
}

function aResult(runId: RunId, overrides: Partial<NewBacktestResult> = {}): NewBacktestResult {
  return {
    runId,
    strategy: 'sma-cross',
    params: { fast: 9, slow: 21 },
    metrics: { trades: 2, sharpe: 1.25, maxDrawdownPct: 3.5, profitFactor: null },
    result: { runId, trades: [], warnings: ['bars on 2026-11-14, a holiday'] },
    orderListHash: hashA,
    dataFrom: t0 - 30 * day,
    dataTo: t0,
    createdAt: t0,
    ...overrides,
  };
}

/** Returns a backtest result document of more than 1 MB with awkward values: fractions, unicode, nulls, nesting. */
function largeDocument(runId: RunId): { readonly [key: string]: JsonValue } {
  const trades: JsonValue[] = [];
  for (let i = 0; i < 6000; i += 1) {
    trades.push({
      strategyId: 'sma-cross',
      instrumentId: i % 3 === 0 ? 'RELIANCE.NSE' : 'NIFTY26NOVFUT.NFO',
      direction: i % 2 === 0 ? 'LONG' : 'SHORT',
      qty: 65 * ((i % 7) + 1),
      entryAtMs: t0 + i * 60_000,
      entryPricePaise: 245_035 + i / 3,
      exitAtMs: t0 + i * 60_000 + 45_000,
      exitPricePaise: 245_110.5 - i * 0.1,
      grossPnlPaise: (i % 5) * -1_234 + 0.30000000000000004,
      chargesPaise: 1e-7 * i,
      netPnlPaise: i % 11 === 0 ? null : -(i ** 2),
      note: i % 97 === 0 ? 'रिलायंस ₹ — 😀 "quoted" \\ back\nline\ttab' : '',
      bars: i,
    });
  }
  const daily: JsonValue[] = [];
  for (let d = 0; d < 500; d += 1)
    daily.push({ date: `2026-${String((d % 12) + 1).padStart(2, '0')}-01`, equityPaise: 1e8 + d });
  return {
    zLast: true,
    runId,
    counts: { bars: 123_456, orders: 12_000, fills: 12_001, denials: 3, rejections: 0 },
    trades,
    daily,
    equity: daily.map((d, i) => ({ atMs: t0 + i * day, point: d })),
    extremes: {
      maxSafe: Number.MAX_SAFE_INTEGER,
      minSafe: Number.MIN_SAFE_INTEGER,
      tiny: 5e-324,
      huge: 1.7976931348623157e308,
    },
    empty: { list: [], object: {}, text: '' },
    aFirst: [[[1, [2, [3]]]], null, false],
  };
}

function aStudy(id: string, overrides: Partial<NewWalkForwardStudy> = {}): NewWalkForwardStudy {
  return {
    id,
    strategy: 'sma-cross',
    config: { windows: 3, trainDays: 60, testDays: 20, grid: { fast: [5, 9], slow: [21, 50] } },
    windowCount: 3,
    createdAt: t0,
    ...overrides,
  };
}

function aWindow(index: number, overrides: Partial<WalkForwardWindowRecord> = {}): WalkForwardWindowRecord {
  const trainFrom = t0 + index * 20 * day;
  return {
    index,
    trainFrom,
    trainTo: trainFrom + 60 * day,
    testFrom: trainFrom + 60 * day,
    testTo: trainFrom + 80 * day,
    status: 'done',
    bestParams: { fast: 9, slow: 21 + index },
    trainScore: 1.5 - index / 10,
    candidates: 4,
    testResult: { metrics: { sharpe: 0.75 + index, trades: 10 + index }, orderListHash: hashA },
    error: null,
    finishedAt: t0 + (index + 1) * 1000,
    ...overrides,
  };
}

async function count(store: Store, table: string): Promise<number> {
  const result = await store.driver.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return result.rows[0]?.n ?? -1;
}

/** JSON objects jsonb can hold: no U+0000, no lone surrogates, finite numbers, no −0 (JSON writes it as 0). */
const jsonbObject: fc.Arbitrary<{ readonly [key: string]: JsonValue }> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
    fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000')),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object'),
  ),
  object: fc.dictionary(
    fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !s.includes('\u0000')),
    tie('value'),
    { maxKeys: 5 },
  ),
})).object as fc.Arbitrary<{ readonly [key: string]: JsonValue }>;

/** Runs the backtest result and walk-forward repository contract. */
export function researchContract(backend: StoreTestBackend): void {
  const store = useMigratedStore(backend);

  beforeEach(async () => {
    await seed(store());
  });

  describe(`SqlBacktestResultRepository (${backend.kind})`, () => {
    it('stores a result document of more than 1 MB and reads it back exactly', async () => {
      const { backtests } = store();
      const runId = await backtestRun(store(), accountA, 'run_big');
      const result = largeDocument(runId);
      expect(JSON.stringify(result).length).toBeGreaterThan(1_000_000);
      const record = aResult(runId, { result, metrics: { sharpe: 0.1 + 0.2, trades: 6000 } });
      await backtests.save(accountA, record);

      const stored = await backtests.get(accountA, runId);
      expect(stored).toEqual({ ...record, accountId: accountA });
      expect(canonicalJson(stored?.result ?? null)).toBe(canonicalJson(result));
      expect(stored?.metrics).toEqual({ sharpe: 0.30000000000000004, trades: 6000 });
    });

    it('round-trips any JSON object jsonb can hold', async () => {
      const { backtests } = store();
      const runId = await backtestRun(store(), accountA, 'run_prop');
      await fc.assert(
        fc.asyncProperty(jsonbObject, jsonbObject, async (params, result) => {
          await backtests.save(accountA, aResult(runId, { params, result }));
          const stored = await backtests.get(accountA, runId);
          expect(stored?.params).toEqual(params);
          expect(stored?.result).toEqual(result);
        }),
        { numRuns: 40 },
      );
    });

    it('replaces the stored result when a run is saved again, keeping one row', async () => {
      const { backtests } = store();
      const runId = await backtestRun(store(), accountA, 'run_again');
      await backtests.save(accountA, aResult(runId));
      const second = aResult(runId, {
        metrics: { trades: 5 },
        orderListHash: hashB,
        dataFrom: null,
        dataTo: null,
        createdAt: t0 + 1,
      });
      await backtests.save(accountA, second);
      expect(await backtests.get(accountA, runId)).toEqual({ ...second, accountId: accountA });
      expect(await count(store(), 'backtest_results')).toBe(1);
    });

    it('lists results newest first without their documents, filtered by strategy and limited', async () => {
      const { backtests } = store();
      const r1 = await backtestRun(store(), accountA, 'run_1');
      const r2 = await backtestRun(store(), accountA, 'run_2', 'orb');
      const r3 = await backtestRun(store(), accountA, 'run_3');
      const r4 = await backtestRun(store(), accountA, 'run_4');
      await backtests.save(accountA, aResult(r1, { createdAt: t0 + 1 }));
      await backtests.save(accountA, aResult(r2, { strategy: 'orb', createdAt: t0 + 2 }));
      await backtests.save(accountA, aResult(r3, { createdAt: t0 + 3 }));
      // Same creation time as r3: the run id breaks the tie, descending.
      await backtests.save(accountA, aResult(r4, { createdAt: t0 + 3 }));

      const all = await backtests.list(accountA, { limit: 10 });
      expect(all.map((r) => r.runId)).toEqual([r4, r3, r2, r1]);
      expect(all.every((r) => !('result' in r))).toBe(true);
      expect(all[2]).toEqual({
        runId: r2,
        accountId: accountA,
        strategy: 'orb',
        params: { fast: 9, slow: 21 },
        metrics: { trades: 2, sharpe: 1.25, maxDrawdownPct: 3.5, profitFactor: null },
        orderListHash: hashA,
        dataFrom: t0 - 30 * day,
        dataTo: t0,
        createdAt: t0 + 2,
      });
      expect((await backtests.list(accountA, { limit: 2 })).map((r) => r.runId)).toEqual([r4, r3]);
      expect(
        (await backtests.list(accountA, { limit: 10, strategy: 'sma-cross' })).map((r) => r.runId),
      ).toEqual([r4, r3, r1]);
      expect((await backtests.list(accountA, { limit: 10, strategy: 'orb' })).map((r) => r.runId)).toEqual([
        r2,
      ]);
      expect(await backtests.list(accountA, { limit: 10, strategy: 'nope' })).toEqual([]);
      expect(await backtests.list(accountA, { limit: 0 })).toEqual([]);
    });

    it("never returns, replaces or deletes another account's result", async () => {
      const { backtests } = store();
      const runA = await backtestRun(store(), accountA, 'run_A');
      const runB = await backtestRun(store(), accountB, 'run_B');
      const stored = aResult(runA);
      await backtests.save(accountA, stored);
      await backtests.save(accountB, aResult(runB, { strategy: 'orb' }));

      expect(await backtests.get(accountB, runA)).toBeNull();
      expect((await backtests.list(accountB, { limit: 10 })).map((r) => r.runId)).toEqual([runB]);
      expect((await backtests.list(accountA, { limit: 10 })).map((r) => r.runId)).toEqual([runA]);
      await expect(backtests.save(accountB, aResult(runA, { metrics: { hijacked: true } }))).rejects.toThrow(
        'cannot store the backtest result of run run_A: account acc_B has no run run_A',
      );
      expect(await backtests.delete(accountB, runA)).toBe(false);
      expect(await backtests.get(accountA, runA)).toEqual({ ...stored, accountId: accountA });
    });

    it('refuses a result for an unknown run with an error naming the run and account', async () => {
      const { backtests } = store();
      const error = await backtests
        .save(accountA, aResult(parseRunId('run_missing')))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreValueError);
      expect((error as Error).message).toBe(
        'cannot store the backtest result of run run_missing: account acc_A has no run run_missing',
      );
      expect(await count(store(), 'backtest_results')).toBe(0);
    });

    it('deletes a result but not its run, and deleting the run deletes its result', async () => {
      const { backtests, runs, driver } = store();
      const r1 = await backtestRun(store(), accountA, 'run_1');
      const r2 = await backtestRun(store(), accountA, 'run_2');
      await backtests.save(accountA, aResult(r1));
      await backtests.save(accountA, aResult(r2));

      expect(await backtests.delete(accountA, r1)).toBe(true);
      expect(await backtests.get(accountA, r1)).toBeNull();
      expect(await backtests.delete(accountA, r1)).toBe(false);
      expect(await runs.get(accountA, r1)).not.toBeNull();

      await driver.query('DELETE FROM runs WHERE account_id = $1 AND id = $2', [accountA, r2]);
      expect(await backtests.get(accountA, r2)).toBeNull();
      expect(await count(store(), 'backtest_results')).toBe(0);
    });

    it('refuses values it cannot store as given, writing nothing', async () => {
      const { backtests } = store();
      const runId = await backtestRun(store(), accountA, 'run_bad');
      await expect(backtests.save(accountA, aResult(runId, { orderListHash: 'ABC' }))).rejects.toThrow(
        "backtest result of run run_bad: order list hash 'ABC' is not 64 lowercase hex digits",
      );
      await expect(
        backtests.save(accountA, aResult(runId, { metrics: { sharpe: Number.NaN } })),
      ).rejects.toThrow("backtest result of run run_bad: metrics: the number at key 'sharpe' is NaN");
      await expect(
        backtests.save(accountA, aResult(runId, { result: { daily: [1, Number.POSITIVE_INFINITY] } })),
      ).rejects.toThrow("the number at key '1' is Infinity");
      await expect(
        backtests.save(accountA, aResult(runId, { result: { note: 'a\u0000b' } })),
      ).rejects.toThrow("the string at key 'note' holds U+0000 or a lone surrogate");
      await expect(
        backtests.save(accountA, aResult(runId, { result: { broken: '\ud83d' } })),
      ).rejects.toThrow(StoreValueError);
      const withUndefined = { trades: undefined } as unknown as JsonValue;
      await expect(backtests.save(accountA, aResult(runId, { result: withUndefined }))).rejects.toThrow(
        "the value at key 'trades' is undefined",
      );
      await expect(backtests.save(accountA, aResult(runId, { params: [1, 2] }))).rejects.toMatchObject({
        code: 'CHECK_VIOLATION',
      });
      await expect(
        backtests.save(accountA, aResult(runId, { dataFrom: t0, dataTo: t0 - 1 })),
      ).rejects.toBeInstanceOf(StoreQueryError);
      await expect(backtests.save(accountA, aResult(runId, { strategy: '' }))).rejects.toMatchObject({
        code: 'CHECK_VIOLATION',
      });
      await expect(backtests.list(accountA, { limit: -1 })).rejects.toThrow('limit -1 is negative');
      await expect(backtests.list(accountA, { limit: 1.5 })).rejects.toThrow(
        'limit 1.5 is not a safe integer',
      );
      expect(await count(store(), 'backtest_results')).toBe(0);
    });
  });

  describe(`SqlWalkForwardRepository (${backend.kind})`, () => {
    it('creates a study, saves windows (one twice), returns them by index and finishes it', async () => {
      const { walkForward } = store();
      const study = aStudy('wf_1');
      await walkForward.create(accountA, study);
      expect(await walkForward.get(accountA, 'wf_1')).toEqual({
        ...study,
        accountId: accountA,
        configHash: configHash({
          windows: 3,
          testDays: 20,
          trainDays: 60,
          grid: { slow: [21, 50], fast: [5, 9] },
        }),
        status: 'running',
        finishedAt: null,
        summary: null,
        windowsDone: 0,
        windowsFailed: 0,
        windows: [],
      });

      const failedFirst = aWindow(0, {
        status: 'failed',
        bestParams: null,
        trainScore: null,
        candidates: null,
        testResult: null,
        error: 'no bars in the test period',
      });
      await walkForward.saveWindow(accountA, 'wf_1', failedFirst);
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(2));
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(1));
      const mid = await walkForward.get(accountA, 'wf_1');
      expect(mid?.windows).toEqual([failedFirst, aWindow(1), aWindow(2)]);
      expect(mid).toMatchObject({ windowsDone: 2, windowsFailed: 1, status: 'running' });

      // Window 0 recomputed after a resume: the same index replaces the failed row.
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(0));
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(0));
      expect(await count(store(), 'walk_forward_windows')).toBe(3);

      await walkForward.finish(accountA, 'wf_1', 'completed', { meanTestSharpe: 1.75 }, t0 + day);
      const done = await walkForward.get(accountA, 'wf_1');
      expect(done?.windows).toEqual([aWindow(0), aWindow(1), aWindow(2)]);
      expect(done).toMatchObject({
        status: 'completed',
        finishedAt: t0 + day,
        summary: { meanTestSharpe: 1.75 },
        windowsDone: 3,
        windowsFailed: 0,
      });
    });

    it('keeps the finished windows for a resume in a new process', async () => {
      const { walkForward } = store();
      await walkForward.create(accountA, aStudy('wf_resume'));
      await walkForward.saveWindow(accountA, 'wf_resume', aWindow(0));
      await walkForward.saveWindow(accountA, 'wf_resume', aWindow(1));

      const restarted = createStore(await backend.openSecondDriver()).walkForward;
      const resumed = await restarted.get(accountA, 'wf_resume');
      expect(resumed?.status).toBe('running');
      expect(resumed?.windows.map((w) => w.index)).toEqual([0, 1]);
      await restarted.saveWindow(accountA, 'wf_resume', aWindow(2));
      await restarted.finish(accountA, 'wf_resume', 'completed', null, t0 + day);
      expect(await walkForward.get(accountA, 'wf_resume')).toMatchObject({
        status: 'completed',
        windowsDone: 3,
      });
    });

    it('returns null for an unknown study and never shows or changes a study of another account', async () => {
      const { walkForward } = store();
      await walkForward.create(accountA, aStudy('wf_a'));
      await walkForward.create(accountB, aStudy('wf_b', { strategy: 'orb' }));
      await walkForward.saveWindow(accountA, 'wf_a', aWindow(0));

      expect(await walkForward.get(accountA, 'wf_nope')).toBeNull();
      expect(await walkForward.get(accountA, 'not an id')).toBeNull();
      expect(await walkForward.get(accountB, 'wf_a')).toBeNull();
      expect((await walkForward.list(accountB, 10)).map((s) => s.id)).toEqual(['wf_b']);
      await expect(walkForward.saveWindow(accountB, 'wf_a', aWindow(1))).rejects.toThrow(
        'cannot store the window 1 of walk-forward study wf_a: account acc_B has no such study',
      );
      await expect(walkForward.finish(accountB, 'wf_a', 'failed', null, t0)).rejects.toThrow(
        'walk-forward study wf_a does not exist for account acc_B',
      );
      await expect(walkForward.create(accountB, aStudy('wf_a'))).rejects.toMatchObject({
        code: 'UNIQUE_VIOLATION',
      });
      expect(await walkForward.get(accountA, 'wf_a')).toMatchObject({ status: 'running', windowsDone: 1 });
    });

    it('lists studies newest first with their window counts, limited', async () => {
      const { walkForward } = store();
      await walkForward.create(accountA, aStudy('wf_1', { createdAt: t0 + 1 }));
      await walkForward.create(accountA, aStudy('wf_2', { createdAt: t0 + 3 }));
      await walkForward.create(accountA, aStudy('wf_3', { createdAt: t0 + 2, windowCount: 1 }));
      await walkForward.saveWindow(accountA, 'wf_3', aWindow(0));
      await walkForward.finish(accountA, 'wf_3', 'completed', { score: 2 }, t0 + 10);

      const listed = await walkForward.list(accountA, 10);
      expect(listed.map((s) => s.id)).toEqual(['wf_2', 'wf_3', 'wf_1']);
      expect(listed.every((s) => !('windows' in s))).toBe(true);
      expect(listed[1]).toEqual({
        ...aStudy('wf_3', { createdAt: t0 + 2, windowCount: 1 }),
        accountId: accountA,
        configHash: configHash(aStudy('wf_3').config),
        status: 'completed',
        finishedAt: t0 + 10,
        summary: { score: 2 },
        windowsDone: 1,
        windowsFailed: 0,
      });
      expect((await walkForward.list(accountA, 1)).map((s) => s.id)).toEqual(['wf_2']);
      await expect(walkForward.list(accountA, -5)).rejects.toThrow('limit -5 is negative');
    });

    it('finishes a running study once, completing it only when every window is stored', async () => {
      const { walkForward } = store();
      await walkForward.create(accountA, aStudy('wf_1'));
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(0));
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(2));
      await expect(walkForward.finish(accountA, 'wf_1', 'completed', null, t0 + day)).rejects.toThrow(
        'walk-forward study wf_1 cannot be completed: 2 of its 3 windows are stored',
      );
      await walkForward.finish(accountA, 'wf_1', 'failed', { error: 'data gap' }, t0 + day);
      await expect(walkForward.finish(accountA, 'wf_1', 'completed', null, t0 + day)).rejects.toThrow(
        'walk-forward study wf_1 is already failed; cannot mark it completed',
      );
      await expect(walkForward.saveWindow(accountA, 'wf_1', aWindow(1))).rejects.toThrow(
        'cannot store the window 1 of walk-forward study wf_1: the study is already failed',
      );
      await expect(walkForward.finish(accountA, 'wf_none', 'failed', null, t0)).rejects.toThrow(
        'walk-forward study wf_none does not exist for account acc_A',
      );
      expect(await walkForward.get(accountA, 'wf_1')).toMatchObject({
        status: 'failed',
        summary: { error: 'data gap' },
        windowsDone: 2,
      });
    });

    it('refuses bad studies and windows, writing nothing', async () => {
      const { walkForward } = store();
      await expect(walkForward.create(accountA, aStudy('study_1'))).rejects.toMatchObject({
        code: 'CHECK_VIOLATION',
      });
      await expect(walkForward.create(accountA, aStudy('wf_0', { windowCount: 0 }))).rejects.toMatchObject({
        code: 'CHECK_VIOLATION',
      });
      await expect(
        walkForward.create(accountA, aStudy('wf_nan', { config: { step: Number.NaN } })),
      ).rejects.toThrow("walk-forward study wf_nan: config: the number at key 'step' is NaN");
      await expect(walkForward.create(parseAccountId('acc_nobody'), aStudy('wf_x'))).rejects.toMatchObject({
        code: 'FOREIGN_KEY_VIOLATION',
      });
      expect(await count(store(), 'walk_forward_studies')).toBe(0);

      await walkForward.create(accountA, aStudy('wf_1'));
      await expect(walkForward.saveWindow(accountA, 'wf_1', aWindow(3))).rejects.toThrow(
        'cannot store the window 3 of walk-forward study wf_1: the study has 3 windows (indices 0 to 2)',
      );
      await expect(walkForward.saveWindow(accountA, 'wf_1', aWindow(-1))).rejects.toMatchObject({
        code: 'CHECK_VIOLATION',
      });
      await expect(
        walkForward.saveWindow(accountA, 'wf_1', aWindow(0, { testResult: null })),
      ).rejects.toMatchObject({ code: 'CHECK_VIOLATION' });
      await expect(
        walkForward.saveWindow(accountA, 'wf_1', aWindow(0, { status: 'failed', error: null })),
      ).rejects.toMatchObject({ code: 'CHECK_VIOLATION' });
      await expect(
        walkForward.saveWindow(accountA, 'wf_1', aWindow(0, { testFrom: t0 + 10 * day })),
      ).rejects.toMatchObject({ code: 'CHECK_VIOLATION' });
      await expect(
        walkForward.saveWindow(accountA, 'wf_1', aWindow(0, { candidates: -1 })),
      ).rejects.toMatchObject({ code: 'CHECK_VIOLATION' });
      await expect(
        walkForward.saveWindow(accountA, 'wf_1', aWindow(0, { trainScore: Number.POSITIVE_INFINITY })),
      ).rejects.toThrow('window 0 of walk-forward study wf_1: train score Infinity is not a finite number');
      await expect(
        walkForward.saveWindow(accountA, 'wf_1', aWindow(0, { bestParams: { fast: Number.NaN } })),
      ).rejects.toThrow(StoreValueError);
      await expect(walkForward.saveWindow(accountA, 'wf_1', aWindow(0.5))).rejects.toThrow(
        'window 0.5 of walk-forward study wf_1: index 0.5 is not a safe integer',
      );
      expect(await count(store(), 'walk_forward_windows')).toBe(0);
    });

    it('deletes the windows of a deleted study', async () => {
      const { walkForward, driver } = store();
      await walkForward.create(accountA, aStudy('wf_1'));
      await walkForward.create(accountA, aStudy('wf_2'));
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(0));
      await walkForward.saveWindow(accountA, 'wf_1', aWindow(1));
      await walkForward.saveWindow(accountA, 'wf_2', aWindow(0));
      await driver.query('DELETE FROM walk_forward_studies WHERE id = $1', ['wf_1']);
      expect(await walkForward.get(accountA, 'wf_1')).toBeNull();
      expect(await count(store(), 'walk_forward_windows')).toBe(1);
      expect((await walkForward.get(accountA, 'wf_2'))?.windows.map((w) => w.index)).toEqual([0]);
    });
  });
}
