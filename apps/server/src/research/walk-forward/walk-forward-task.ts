// One backtest of a walk-forward study: a candidate on a window's training or test period, run on the real kernel
// by runBacktest over the slice of the study's bars. Training runs answer only their metrics; test runs answer
// what the stitched out-of-sample result needs (daily equity, trades, totals) and what a person checks (counts,
// order-list hash, warnings). Runs of equal tasks on equal bars give equal answers, in whichever worker they run.
import { istDate, NseCalendar, paise, type Instrument } from '@kitepilot/core';
import { runBacktest, sliceBarSeries, type BacktestMetrics, type BarSeries } from '@kitepilot/research';
import { feeModelOf, fillOptionsOf, latencyOf, type BacktestSpec } from '../backtest-spec.ts';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import { runParams } from './walk-forward-spec.ts';
import type { BacktestTask, TestRunResult } from './walk-forward-research.ts';

/** What every backtest of a study shares (given once to each worker). */
export interface StudyTaskData {
  readonly studyId: string;
  /** The study's bars (columns in SharedArrayBuffers when handed to workers). */
  readonly series: BarSeries;
  readonly instrument: Instrument;
  readonly backtest: BacktestSpec;
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
}

/** The answer of a task: metrics for a training run, the whole out-of-sample result for a test run. */
export type StudyTaskResult = BacktestMetrics | TestRunResult;

const calendar = new NseCalendar();
const registry = builtinStrategies();

/** Runs one task; throws when the period has no bars or the backtest throws (e.g. parameters refused together). */
export async function runStudyTask(data: StudyTaskData, task: BacktestTask): Promise<StudyTaskResult> {
  const spec = data.backtest;
  const slice = sliceBarSeries(data.series, task.fromMs, task.toMs);
  if (slice === null) {
    throw new Error(`no bars from ${istDate(task.fromMs)} to the day before ${istDate(task.toMs)} (IST)`);
  }
  const latency = latencyOf(spec.latencyMs);
  const lossCap = spec.dailyLossCapRupees;
  const result = await runBacktest({
    runId: `run_wf${task.kind === 'train' ? 'tr' : 'te'}${task.window}c${task.candidate}`,
    series: slice,
    instrument: data.instrument,
    strategy: registry.get(spec.strategy) as never,
    params: runParams(spec, task.params),
    ...(spec.qty === undefined ? {} : { qty: spec.qty }),
    product: spec.product,
    startingCashPaise: Math.round(spec.cashRupees * 100),
    fees: feeModelOf(spec.charges),
    chargesLabel: spec.charges,
    fill: fillOptionsOf(spec),
    fillLabel: spec.fill,
    slippageLabel: spec.slippage,
    ...(latency === undefined ? {} : { latency, latencyLabel: `${spec.latencyMs}ms` }),
    ...(lossCap === undefined ? {} : { risk: { dailyLossCapPaise: paise(Math.round(lossCap * 100)) } }),
    referenceCalendar: calendar,
    data: { ...data.data, study: data.studyId, kind: task.kind, window: task.window },
    equityPoints: 2,
  });
  const m = result.metrics;
  if (task.kind === 'train') return m;
  return {
    startingCashPaise: m.startingCashPaise,
    daily: result.daily,
    trades: result.trades,
    chargesPaise: m.chargesPaise,
    tradedValuePaise: m.tradedValuePaise,
    bars: result.counts.bars,
    // exposurePct is barsInMarket / bars × 100 of integers: rounding recovers the count exactly.
    barsInMarket: Math.round((m.exposurePct * result.counts.bars) / 100),
    metrics: m,
    finalEquityPaise: result.finalEquityPaise,
    counts: result.counts,
    orderListHash: result.orderListHash,
    warnings: result.warnings,
  };
}
