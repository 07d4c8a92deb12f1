import { describe, expect, it } from 'vitest';
import type { BacktestMetrics } from '../backtest/backtest-result.ts';
import { computeMetrics } from '../metrics/compute-metrics.ts';
import { gridCandidates } from './param-candidates.ts';
import {
  runWindows,
  type BacktestTask,
  type TestRunResult,
  type WindowEvaluator,
  type WindowOutcome,
} from './run-walk-forward.ts';
import { walkForwardWindows } from './walk-forward-windows.ts';

const DAYS = Array.from({ length: 12 }, (_, i) => `2025-02-${String(i + 3).padStart(2, '0')}`);
const WINDOWS = walkForwardWindows(DAYS, { trainDays: 4, testDays: 2 });

function metricsReturning(netPnlPaise: number): BacktestMetrics {
  return computeMetrics({
    startingCashPaise: 1_000_000,
    daily: [{ date: '2025-02-03', equityPaise: 1_000_000 + netPnlPaise }],
    trades: [],
    chargesPaise: 0,
    tradedValuePaise: 0,
    bars: 1,
    barsInMarket: 0,
  });
}

function aTestRun(netPnlPaise: number): TestRunResult {
  const metrics = metricsReturning(netPnlPaise);
  return {
    startingCashPaise: 1_000_000,
    daily: [{ date: '2025-02-03', equityPaise: 1_000_000 + netPnlPaise }],
    trades: [],
    chargesPaise: 0,
    tradedValuePaise: 0,
    bars: 1,
    barsInMarket: 0,
    metrics,
    finalEquityPaise: metrics.finalEquityPaise,
    counts: { bars: 1, orders: 0, fills: 0, denials: 0, rejections: 0 },
    orderListHash: 'h',
    warnings: [],
  };
}

/** Scores candidates by fast × window (train); fails fast = 20 on window 1; tests return the window index. */
class FakeEvaluator implements WindowEvaluator {
  readonly tasks: BacktestTask[] = [];
  failTest = -1;
  async train(task: BacktestTask): Promise<BacktestMetrics> {
    this.tasks.push(task);
    const fast = task.params['fast'] as number;
    if (task.window === 1 && fast === 20) throw new Error('fast 20 halts on window 1');
    if (task.window === 2) throw new Error(`nothing trades on window 2 (candidate ${task.candidate})`);
    return metricsReturning(fast * (task.window === 3 ? -1 : 1));
  }
  async test(task: BacktestTask): Promise<TestRunResult> {
    this.tasks.push(task);
    if (task.window === this.failTest) throw new Error('the test period has no bars');
    return aTestRun(100 * (task.window + 1));
  }
}

const candidates = gridCandidates({ fast: [5, 10, 20] });

describe('runWindows', () => {
  it('chooses the best candidate per window, records failed candidates and failed windows', async () => {
    const evaluator = new FakeEvaluator();
    const outcomes: WindowOutcome[] = [];
    const result = await runWindows({
      windows: WINDOWS,
      candidates,
      objective: 'netPnlPaise',
      evaluator,
      onWindow: async (o) => {
        outcomes.push(o);
      },
    });
    expect(result).toEqual({ ran: 4, interrupted: false });
    const byIndex = [...outcomes].sort((a, b) => a.window.index - b.window.index);
    expect(byIndex.map((o) => [o.window.index, o.status, o.best, o.trainScore])).toEqual([
      [0, 'done', 2, 20],
      [1, 'done', 1, 10],
      [2, 'failed', null, null],
      [3, 'done', 0, -5],
    ]);
    const w1 = byIndex[1]!;
    expect(w1.failures).toEqual([{ candidate: 2, error: 'fast 20 halts on window 1' }]);
    expect(w1.scores).toEqual([5, 10, null]);
    expect(w1.bestParams).toEqual({ fast: 10 });
    expect(w1.test?.metrics.netPnlPaise).toBe(200);
    expect(byIndex[2]!.error).toBe(
      'all 3 candidates failed on the training period; candidate 0: nothing trades on window 2 (candidate 0)',
    );
    const tests = evaluator.tasks.filter((t) => t.kind === 'test');
    expect(tests.map((t) => [t.window, t.candidate, t.fromMs, t.toMs])).toEqual(
      [0, 1, 3].map((w) => [w, byIndex[w]!.best, WINDOWS[w]!.testFromMs, WINDOWS[w]!.testToMs]),
    );
    for (const t of evaluator.tasks.filter((t) => t.kind === 'train')) {
      expect([t.fromMs, t.toMs]).toEqual([WINDOWS[t.window]!.trainFromMs, WINDOWS[t.window]!.trainToMs]);
    }
  });

  it('fails a window whose test run throws, keeping the chosen candidate', async () => {
    const evaluator = new FakeEvaluator();
    evaluator.failTest = 0;
    const outcomes: WindowOutcome[] = [];
    await runWindows({
      windows: WINDOWS.slice(0, 1),
      candidates,
      objective: 'netPnlPaise',
      evaluator,
      onWindow: async (o) => {
        outcomes.push(o);
      },
    });
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      best: 2,
      bestParams: { fast: 20 },
      trainScore: 20,
      test: null,
      error: 'the test run of candidate 2 failed: the test period has no bars',
    });
  });

  it('skips stored windows and stops starting windows once aborted', async () => {
    const evaluator = new FakeEvaluator();
    const abort = new AbortController();
    const saved: number[] = [];
    const result = await runWindows({
      windows: WINDOWS,
      candidates,
      objective: 'netPnlPaise',
      evaluator,
      skip: new Set([0]),
      concurrentWindows: 1,
      signal: abort.signal,
      onWindow: async (o) => {
        saved.push(o.window.index);
        abort.abort();
      },
    });
    expect(saved).toEqual([1]);
    expect(result).toEqual({ ran: 1, interrupted: true });
    expect(new Set(evaluator.tasks.map((t) => t.window))).toEqual(new Set([1]));
  });

  it('rejects with the error of onWindow and starts no further window', async () => {
    const evaluator = new FakeEvaluator();
    await expect(
      runWindows({
        windows: WINDOWS,
        candidates,
        objective: 'sharpe',
        evaluator,
        concurrentWindows: 1,
        onWindow: () => Promise.reject(new Error('the store is gone')),
      }),
    ).rejects.toThrow('the store is gone');
    expect(new Set(evaluator.tasks.map((t) => t.window))).toEqual(new Set([0]));
  });

  it('refuses no candidates and a bad concurrency', async () => {
    const base = {
      windows: WINDOWS,
      objective: 'sharpe' as const,
      evaluator: new FakeEvaluator(),
      onWindow: async () => {},
    };
    await expect(runWindows({ ...base, candidates: [] })).rejects.toThrow('needs at least one candidate');
    await expect(runWindows({ ...base, candidates, concurrentWindows: 0 })).rejects.toThrow(
      'concurrentWindows 0 must be a whole number ≥ 1',
    );
  });
});
