// The walk-forward loop over windows, independent of where backtests run: for each window, every candidate is
// backtested on the training period, the best by the objective is backtested on the test period, and the outcome
// is handed to `onWindow` (which stores it) before the window counts as done. A candidate whose backtest throws
// fails alone (recorded with its message); a window fails only when every candidate failed or its test run
// failed. A few windows run at once so that the backtests of one window's stragglers overlap the next window's.
import type { BacktestMetrics, BacktestResult } from '../backtest/backtest-result.ts';
import { bestCandidate, objectiveScore, type Objective } from './objective.ts';
import type { ParamSet } from './param-candidates.ts';
import type { OutOfSampleResult } from './stitch-out-of-sample.ts';
import type { WalkForwardWindow } from './walk-forward-windows.ts';

/** One backtest of a study: a candidate on a window's training or test period [fromMs, toMs). */
export interface BacktestTask {
  readonly kind: 'train' | 'test';
  readonly window: number;
  readonly candidate: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly params: ParamSet;
}

/** The out-of-sample backtest of a window's chosen parameters. */
export interface TestRunResult extends OutOfSampleResult {
  readonly metrics: BacktestMetrics;
  readonly finalEquityPaise: number;
  readonly counts: BacktestResult['counts'];
  readonly orderListHash: string;
  readonly warnings: readonly string[];
}

/** Runs the backtests of a study (in worker threads, or in-process in tests). */
export interface WindowEvaluator {
  /** Returns the metrics of a training run; rejects when the backtest throws. */
  train(task: BacktestTask): Promise<BacktestMetrics>;
  /** Returns the result of a test run; rejects when the backtest throws. */
  test(task: BacktestTask): Promise<TestRunResult>;
}

/** A candidate whose training run threw. */
export interface CandidateFailure {
  readonly candidate: number;
  readonly error: string;
}

/** What became of one window. */
export interface WindowOutcome {
  readonly window: WalkForwardWindow;
  readonly status: 'done' | 'failed';
  /** How many candidates were tried. */
  readonly candidates: number;
  /** The training score of every candidate by index (null when undefined or failed). */
  readonly scores: readonly (number | null)[];
  readonly failures: readonly CandidateFailure[];
  /** The chosen candidate (null when every candidate failed). */
  readonly best: number | null;
  readonly bestParams: ParamSet | null;
  readonly trainScore: number | null;
  /** The test run of the chosen candidate (null when the window failed). */
  readonly test: TestRunResult | null;
  /** Why the window failed (null when done). */
  readonly error: string | null;
}

/** What runWindows takes. */
export interface RunWindowsOptions {
  readonly windows: readonly WalkForwardWindow[];
  readonly candidates: readonly ParamSet[];
  readonly objective: Objective;
  readonly evaluator: WindowEvaluator;
  /** Indexes of windows already done (stored): they are not run again. */
  readonly skip?: ReadonlySet<number>;
  /** Stores a finished window; called one at a time, in the order windows finish. */
  readonly onWindow: (outcome: WindowOutcome) => Promise<void>;
  /** When aborted, no further window starts and windows still running are dropped unsaved. */
  readonly signal?: AbortSignal;
  /** How many windows run at once (default 2). */
  readonly concurrentWindows?: number;
}

/** How a runWindows call ended. */
export interface RunWindowsResult {
  /** Windows run and handed to onWindow by this call. */
  readonly ran: number;
  /** True when the signal stopped the run before every window was done. */
  readonly interrupted: boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runWindow(window: WalkForwardWindow, options: RunWindowsOptions): Promise<WindowOutcome> {
  const { candidates, evaluator, objective } = options;
  const settled = await Promise.allSettled(
    candidates.map((params, candidate) =>
      evaluator.train({
        kind: 'train',
        window: window.index,
        candidate,
        fromMs: window.trainFromMs,
        toMs: window.trainToMs,
        params,
      }),
    ),
  );
  const failures: CandidateFailure[] = [];
  const ranked = settled.map((s, candidate) => {
    if (s.status === 'fulfilled') return objectiveScore(s.value, objective);
    failures.push({ candidate, error: messageOf(s.reason) });
    return undefined;
  });
  const scores = ranked.map((s) => s ?? null);
  const failed = (best: number | null, error: string): WindowOutcome => ({
    window,
    status: 'failed',
    candidates: candidates.length,
    scores,
    failures,
    best,
    bestParams: best === null ? null : (candidates[best] as ParamSet),
    trainScore: best === null ? null : (scores[best] ?? null),
    test: null,
    error,
  });
  const best = bestCandidate(ranked, objective);
  if (best === -1) {
    const first = failures[0];
    return failed(
      null,
      `all ${candidates.length} candidates failed on the training period${first === undefined ? '' : `; candidate ${first.candidate}: ${first.error}`}`,
    );
  }
  const params = candidates[best] as ParamSet;
  let test: TestRunResult;
  try {
    test = await evaluator.test({
      kind: 'test',
      window: window.index,
      candidate: best,
      fromMs: window.testFromMs,
      toMs: window.testToMs,
      params,
    });
  } catch (error) {
    return failed(best, `the test run of candidate ${best} failed: ${messageOf(error)}`);
  }
  return {
    window,
    status: 'done',
    candidates: candidates.length,
    scores,
    failures,
    best,
    bestParams: params,
    trainScore: scores[best] ?? null,
    test,
    error: null,
  };
}

/**
 * Runs every window not in `skip` and hands each outcome to `onWindow`. Resolves when all are stored or the signal
 * stopped the run; rejects with the first error of `onWindow` (no further window starts then).
 */
export async function runWindows(options: RunWindowsOptions): Promise<RunWindowsResult> {
  const concurrent = options.concurrentWindows ?? 2;
  if (!Number.isSafeInteger(concurrent) || concurrent < 1) {
    throw new RangeError(`concurrentWindows ${concurrent} must be a whole number ≥ 1`);
  }
  if (options.candidates.length === 0)
    throw new RangeError('a walk-forward study needs at least one candidate');
  const skip = options.skip ?? new Set<number>();
  const todo = options.windows.filter((w) => !skip.has(w.index));
  let next = 0;
  let ran = 0;
  let failure: { readonly error: unknown } | null = null;
  let saving: Promise<void> = Promise.resolve();
  const stopped = (): boolean => options.signal?.aborted === true || failure !== null;
  const lane = async (): Promise<void> => {
    while (!stopped() && next < todo.length) {
      const window = todo[next++] as WalkForwardWindow;
      const outcome = await runWindow(window, options);
      if (stopped()) return;
      saving = saving.then(() => options.onWindow(outcome));
      try {
        await saving;
      } catch (error) {
        failure ??= { error };
        return;
      }
      ran++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrent, Math.max(todo.length, 1)) }, lane));
  if (failure !== null) throw (failure as { readonly error: unknown }).error;
  return { ran, interrupted: ran < todo.length };
}
