// Runs walk-forward studies for the CLI and the API. A study is stored (configuration, hash, window count) before
// any backtest runs; its backtests run in a pool of worker threads sharing the bars; each window is saved the moment
// it is done; an interrupted study (abort, crash) resumes from the store, skipping the windows already done; the
// stitched out-of-sample result is computed from the stored windows — after a resume exactly as after one run —
// and stored as the study's summary when it finishes.
import { randomBytes } from 'node:crypto';
import {
  istDate,
  istToEpochMs,
  type AccountId,
  type JsonValue,
  type NseCalendar,
  type StoredWalkForwardStudy,
  type WalkForwardWindowRecord,
} from '@kitepilot/core';
import { barDays, barSeriesFromBars, type BacktestMetrics, type BarSeries } from '@kitepilot/research';
import type { Store } from '@kitepilot/store';
import { feeModelOf, fillOptionsOf, latencyOf } from '../backtest-spec.ts';
import { instrumentOf, loadBars, symbolOf, type LoadedBars } from '../backtest-service.ts';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import {
  barsFingerprint,
  candidatesOf,
  checkCandidates,
  studyConfigJson,
  studyConfigOf,
  WalkForwardSpecError,
  type StudyConfig,
  type WalkForwardSpec,
} from './walk-forward-spec.ts';
import {
  defaultWorkerCount,
  runWindows,
  shareBarSeries,
  stitchOutOfSample,
  walkForwardWindows,
  WorkerPool,
  type BacktestTask,
  type StitchedResult,
  type TestRunResult,
  type WindowEvaluator,
  type WindowOutcome,
} from './walk-forward-research.ts';
import type { StudyTaskData, StudyTaskResult } from './walk-forward-task.ts';

const DAY_MS = 86_400_000;
const WORKER = new URL('./walk-forward-worker.ts', import.meta.url);

/** What the studies need from their surroundings. */
export interface WalkForwardServices {
  readonly store: Store;
  readonly accountId: AccountId;
  /** The NSE calendar, for the warnings of the data check. */
  readonly calendar: NseCalendar;
  /** Returns the current epoch ms (the times a study and its windows are stored with). */
  readonly now: () => number;
  /** Returns a fresh study id (default: `wf_` + time and random digits). */
  readonly newStudyId?: () => string;
}

/** A study stored and ready to run, with its bars loaded. */
export interface PreparedStudy {
  readonly id: string;
  readonly config: StudyConfig;
  readonly series: BarSeries;
}

/** The summary a finished study is stored with. */
export interface WalkForwardSummary {
  readonly objective: string;
  readonly windowCount: number;
  readonly windowsDone: number;
  readonly windowsFailed: number;
  readonly stitched: {
    readonly periods: number;
    readonly metrics: BacktestMetrics;
    readonly daily: StitchedResult['daily'];
  };
  /** Per window: its days, the chosen parameters, the training score and the out-of-sample return. */
  readonly windows: readonly {
    readonly index: number;
    readonly status: 'done' | 'failed';
    readonly testFirstDay: string;
    readonly testLastDay: string;
    readonly bestParams: JsonValue;
    readonly trainScore: number | null;
    readonly outOfSampleReturnPct: number | null;
    readonly error: string | null;
  }[];
}

/** How a run of a study ended. */
export interface StudyRunResult {
  /** The study as stored at the end of the run. */
  readonly study: StoredWalkForwardStudy;
  readonly config: StudyConfig;
  /** Windows computed by this run (windows already stored are not counted). */
  readonly computed: number;
  /** True when the signal stopped the run: the study stays running and resumes later. */
  readonly interrupted: boolean;
  /** The stored summary (null when interrupted). */
  readonly summary: WalkForwardSummary | null;
}

/** What runWalkForwardStudy takes besides the id. */
export interface RunStudyOptions {
  /** Worker threads (default: CPUs − 1, at least 1). */
  readonly workers?: number;
  /** Stops the run after the windows in progress (unsaved); the study stays resumable. */
  readonly signal?: AbortSignal;
  /** The study as createWalkForwardStudy returned it (its bars are not read again). */
  readonly prepared?: PreparedStudy;
  /** Called after each window is stored. */
  readonly onWindow?: (record: WalkForwardWindowRecord, config: StudyConfig) => void;
  /** The module the worker threads run (default walk-forward-worker.ts; tests give a broken one). */
  readonly workerModule?: URL;
}

/** A study id that is not stored for the account. */
export class WalkForwardNotFoundError extends Error {
  override readonly name = 'WalkForwardNotFoundError';
}

/** Returns a new study id: `wf_`, the time in base 36 and 8 random hex digits. */
export function newWalkForwardStudyId(nowMs: number): string {
  return `wf_${nowMs.toString(36)}${randomBytes(4).toString('hex')}`;
}

/** Loads the bars of a spec: files through the backtest loader, stored bars from the spec's namespace. */
async function loadStudyBars(spec: WalkForwardSpec, store: Store): Promise<LoadedBars> {
  const data = spec.backtest.data;
  if (data.kind !== 'store' || !spec.simulated) return loadBars(spec.backtest, store);
  const instrumentId = symbolOf(spec.backtest.symbol);
  const fromMs = istToEpochMs(data.from, '00:00');
  const toMs = istToEpochMs(data.to, '00:00') + DAY_MS;
  if (!(fromMs < toMs))
    throw new WalkForwardSpecError(`data.from ${data.from} must not be after data.to ${data.to}`);
  const bars = await store.bars.read('simulated', instrumentId, data.interval, fromMs, toMs);
  if (bars.length === 0) {
    throw new WalkForwardSpecError(
      `the simulated namespace has no ${data.interval} bars of ${instrumentId} from ${data.from} to ${data.to}`,
    );
  }
  return {
    series: barSeriesFromBars(bars),
    instrumentId,
    data: {
      source: 'store',
      namespace: 'simulated',
      symbol: instrumentId,
      interval: data.interval,
      from: data.from,
      to: data.to,
    },
    loadSeconds: 0,
  };
}

/**
 * Checks the spec, loads the bars, cuts the windows, makes the candidates and stores the study (status running).
 * Throws WalkForwardSpecError, BacktestSpecError, StrategyConfigError, WalkForwardConfigError or BarFileError,
 * each naming what is wrong, before anything is stored.
 */
export async function createWalkForwardStudy(
  spec: WalkForwardSpec,
  services: WalkForwardServices,
): Promise<PreparedStudy> {
  const definition = builtinStrategies().get(spec.backtest.strategy);
  feeModelOf(spec.backtest.charges);
  fillOptionsOf(spec.backtest);
  latencyOf(spec.backtest.latencyMs);
  const candidates = candidatesOf(spec.search);
  const loaded = await loadStudyBars(spec, services.store);
  const instrument = await instrumentOf(
    spec.backtest,
    loaded.instrumentId,
    services.store,
    istDate(loaded.series.start[0] as number),
  );
  checkCandidates(definition, spec.backtest, instrument.id, candidates);
  const windows = walkForwardWindows(barDays(loaded.series), spec.windows);
  const config: StudyConfig = {
    version: 1,
    spec,
    instrument,
    data: { ...loaded.data, namespace: spec.simulated ? 'simulated' : 'real' },
    dataFingerprint: barsFingerprint(loaded.series),
    windows,
    candidates,
  };
  const now = services.now();
  const { store, accountId } = services;
  if ((await store.accounts.get(accountId)) === null) {
    await store.accounts.create({ id: accountId, name: 'default', createdAt: now });
  }
  const id = services.newStudyId?.() ?? newWalkForwardStudyId(now);
  await store.walkForward.create(accountId, {
    id,
    strategy: definition.name,
    config: studyConfigJson(config),
    windowCount: windows.length,
    createdAt: now,
  });
  return { id, config: studyConfigOf(id, studyConfigJson(config)), series: loaded.series };
}

/** Returns the study, or throws WalkForwardNotFoundError. */
export async function getStudy(services: Pick<WalkForwardServices, 'store' | 'accountId'>, id: string) {
  const study = await services.store.walkForward.get(services.accountId, id);
  if (study === null)
    throw new WalkForwardNotFoundError(`there is no walk-forward study ${id} for ${services.accountId}`);
  return study;
}

function windowRecord(outcome: WindowOutcome, finishedAt: number): WalkForwardWindowRecord {
  const w = outcome.window;
  return {
    index: w.index,
    trainFrom: w.trainFromMs,
    trainTo: w.trainToMs,
    testFrom: w.testFromMs,
    testTo: w.testToMs,
    status: outcome.status,
    bestParams:
      outcome.bestParams === null ? null : (JSON.parse(JSON.stringify(outcome.bestParams)) as JsonValue),
    trainScore: outcome.trainScore,
    candidates: outcome.candidates,
    testResult: JSON.parse(
      JSON.stringify({
        best: outcome.best,
        scores: outcome.scores,
        failures: outcome.failures,
        outOfSample: outcome.test,
      }),
    ) as JsonValue,
    error: outcome.error,
    finishedAt,
  };
}

/** The part of a stored window's test result this module reads back. */
interface StoredTestResult {
  readonly best: number | null;
  readonly scores: readonly (number | null)[];
  readonly failures: readonly { readonly candidate: number; readonly error: string }[];
  readonly outOfSample: TestRunResult | null;
}

/** Returns the stored test result of a window (null when it has none). */
export function storedTestResult(record: WalkForwardWindowRecord): StoredTestResult | null {
  const json = record.testResult;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  return json as unknown as StoredTestResult;
}

/** Returns the out-of-sample periods of the done windows, in window order, chained from the study's cash. */
export function stitchStoredWindows(
  config: StudyConfig,
  windows: readonly WalkForwardWindowRecord[],
): StitchedResult {
  const periods = [...windows]
    .filter((w) => w.status === 'done')
    .sort((a, b) => a.index - b.index)
    .map((w) => {
      const oos = storedTestResult(w)?.outOfSample ?? null;
      if (oos === null)
        throw new WalkForwardSpecError(`window ${w.index} is done but has no out-of-sample result`);
      return oos;
    });
  return stitchOutOfSample(Math.round(config.spec.backtest.cashRupees * 100), periods);
}

/** Returns the summary of a study from its stored windows. */
export function summarizeStudy(
  config: StudyConfig,
  windows: readonly WalkForwardWindowRecord[],
): WalkForwardSummary {
  const stitched = stitchStoredWindows(config, windows);
  return {
    objective: config.spec.objective,
    windowCount: config.windows.length,
    windowsDone: windows.filter((w) => w.status === 'done').length,
    windowsFailed: windows.filter((w) => w.status === 'failed').length,
    stitched: { periods: stitched.periods, metrics: stitched.metrics, daily: stitched.daily },
    windows: [...windows]
      .sort((a, b) => a.index - b.index)
      .map((w) => {
        const cut = config.windows[w.index];
        return {
          index: w.index,
          status: w.status,
          testFirstDay: cut?.testFirstDay ?? istDate(w.testFrom),
          testLastDay: cut?.testLastDay ?? istDate(w.testTo - 1),
          bestParams: w.bestParams,
          trainScore: w.trainScore,
          outOfSampleReturnPct: storedTestResult(w)?.outOfSample?.metrics.totalReturnPct ?? null,
          error: w.error,
        };
      }),
  };
}

/**
 * Runs (or resumes) the study: the windows not stored as done are computed in `workers` threads and saved one by
 * one; when all are stored the study is finished — completed, or failed when a window failed — with its summary.
 * Throws WalkForwardNotFoundError for an unknown id and WalkForwardSpecError for a finished study or changed data.
 */
export async function runWalkForwardStudy(
  id: string,
  services: WalkForwardServices,
  options: RunStudyOptions = {},
): Promise<StudyRunResult> {
  const { store, accountId } = services;
  const stored = await getStudy(services, id);
  if (stored.status !== 'running') {
    throw new WalkForwardSpecError(
      `walk-forward study ${id} is already ${stored.status}; only an unfinished study resumes`,
    );
  }
  const config = studyConfigOf(id, stored.config);
  const done = new Set(stored.windows.filter((w) => w.status === 'done').map((w) => w.index));
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new WalkForwardSpecError(`workers ${workers} must be a whole number ≥ 1`);
  }
  let computed = 0;
  let interrupted = false;
  if (done.size < config.windows.length) {
    const series =
      options.prepared?.id === id
        ? options.prepared.series
        : (await loadStudyBars(config.spec, store)).series;
    const fingerprint = barsFingerprint(series);
    if (fingerprint !== config.dataFingerprint) {
      throw new WalkForwardSpecError(
        `the bars of walk-forward study ${id} changed since it started (fingerprint ${fingerprint.slice(0, 12)}…, ` +
          `stored ${config.dataFingerprint.slice(0, 12)}…): a resume needs the same data`,
      );
    }
    const data: StudyTaskData = {
      studyId: id,
      series: shareBarSeries(series),
      instrument: config.instrument,
      backtest: config.spec.backtest,
      data: { symbol: config.instrument.id, interval: series.interval },
    };
    const pool = new WorkerPool<BacktestTask, StudyTaskResult>({
      module: options.workerModule ?? WORKER,
      size: workers,
      data,
    });
    // Workers that cannot start are no fault of the candidates: the run stops (the study stays resumable) instead
    // of failing every window.
    const broken = new AbortController();
    const signal =
      options.signal === undefined ? broken.signal : AbortSignal.any([options.signal, broken.signal]);
    const run = async <R>(task: BacktestTask, urgent: boolean): Promise<R> => {
      try {
        return (await pool.run(task, { urgent })) as R;
      } catch (error) {
        if (pool.failure !== null) broken.abort(pool.failure);
        throw error;
      }
    };
    const evaluator: WindowEvaluator = {
      train: (task) => run<BacktestMetrics>(task, false),
      test: (task) => run<TestRunResult>(task, true),
    };
    try {
      const result = await runWindows({
        windows: config.windows,
        candidates: config.candidates,
        objective: config.spec.objective,
        evaluator,
        skip: done,
        signal,
        concurrentWindows: Math.max(2, Math.ceil((2 * workers) / config.candidates.length)),
        onWindow: async (outcome) => {
          const record = windowRecord(outcome, services.now());
          await store.walkForward.saveWindow(accountId, id, record);
          options.onWindow?.(record, config);
        },
      });
      computed = result.ran;
      interrupted = result.interrupted;
    } finally {
      await pool.close();
    }
    if (pool.failure !== null) {
      throw new Error(`walk-forward study ${id} stopped (resumable): ${pool.failure.message}`, {
        cause: pool.failure,
      });
    }
  }
  if (interrupted)
    return { study: await getStudy(services, id), config, computed, interrupted, summary: null };
  const windows = (await getStudy(services, id)).windows;
  const summary = summarizeStudy(config, windows);
  const status = summary.windowsFailed > 0 ? 'failed' : 'completed';
  await store.walkForward.finish(accountId, id, status, summary as unknown as JsonValue, services.now());
  return { study: await getStudy(services, id), config, computed, interrupted: false, summary };
}
