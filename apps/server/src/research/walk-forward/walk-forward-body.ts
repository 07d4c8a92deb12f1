// The API form of a stored study (also what `kitepilot walk-forward show --json` prints): every window with its days,
// chosen parameters, training score and out-of-sample metrics, and the stitched out-of-sample result — the stored
// summary once finished, computed from the windows stored so far while running.
import type {
  WalkForwardRowBody,
  WalkForwardStitchedBody,
  WalkForwardStudyBody,
  WalkForwardWindowBody,
} from '@kitepilot/api-contract';
import { formatIst, type StoredWalkForwardStudy, type WalkForwardStudy } from '@kitepilot/core';
import { studyConfigOf, type StudyConfig } from './walk-forward-spec.ts';
import { stitchStoredWindows, storedTestResult, type WalkForwardSummary } from './walk-forward-service.ts';

function summaryOf(study: WalkForwardStudy): WalkForwardSummary | null {
  const s = study.summary;
  if (typeof s !== 'object' || s === null || Array.isArray(s) || !('stitched' in s)) return null;
  return s as unknown as WalkForwardSummary;
}

function isSimulated(config: StudyConfig): boolean {
  return config.spec.simulated || config.data['namespace'] === 'simulated';
}

/** Returns the stitched result of a study: its summary's when finished, else from the windows stored so far. */
export function stitchedBody(
  study: StoredWalkForwardStudy,
  config: StudyConfig,
): WalkForwardStitchedBody | null {
  const summary = summaryOf(study);
  if (summary !== null) {
    const { periods, metrics, daily } = summary.stitched;
    return { periods, metrics, daily: [...daily] };
  }
  if (!study.windows.some((w) => w.status === 'done')) return null;
  const stitched = stitchStoredWindows(config, study.windows);
  return { periods: stitched.periods, metrics: stitched.metrics, daily: [...stitched.daily] };
}

/** Returns the API form of a stored study; `active` says whether this process is computing it now. */
export function studyBody(study: StoredWalkForwardStudy, active: boolean): WalkForwardStudyBody {
  const config = studyConfigOf(study.id, study.config);
  const stored = new Map(study.windows.map((w) => [w.index, w]));
  const windows = config.windows.map((cut): WalkForwardWindowBody => {
    const w = stored.get(cut.index);
    const test = w === undefined ? null : storedTestResult(w);
    return {
      index: cut.index,
      status: w?.status ?? 'pending',
      trainFirstDay: cut.trainFirstDay,
      trainLastDay: cut.trainLastDay,
      testFirstDay: cut.testFirstDay,
      testLastDay: cut.testLastDay,
      trainDays: cut.trainDays,
      testDays: cut.testDays,
      bestParams: (w?.bestParams ?? null) as WalkForwardWindowBody['bestParams'],
      trainScore: w?.trainScore ?? null,
      candidates: w?.candidates ?? null,
      failedCandidates: test?.failures.length ?? 0,
      outOfSample: test?.outOfSample?.metrics ?? null,
      error: w?.error ?? null,
      finishedAt: w === undefined ? null : formatIst(w.finishedAt),
    };
  });
  const search = config.spec.search;
  return {
    ...rowFields(study, config, active),
    configHash: study.configHash,
    search: { kind: search.kind, candidates: config.candidates.length },
    windowOptions: { ...config.spec.windows },
    spec: JSON.parse(JSON.stringify(config.spec)) as WalkForwardStudyBody['spec'],
    data: { ...config.data },
    windows,
    stitched: stitchedBody(study, config),
  };
}

function rowFields(study: WalkForwardStudy, config: StudyConfig, active: boolean) {
  return {
    id: study.id,
    strategy: study.strategy,
    symbol: config.instrument.id as string,
    status: study.status,
    active,
    objective: config.spec.objective,
    simulated: isSimulated(config),
    createdAt: formatIst(study.createdAt),
    finishedAt: study.finishedAt === null ? null : formatIst(study.finishedAt),
    windowCount: study.windowCount,
    windowsDone: study.windowsDone,
    windowsFailed: study.windowsFailed,
  };
}

/** Returns the list form of a study (its stitched key figures once finished). */
export function studyRow(study: WalkForwardStudy, active: boolean): WalkForwardRowBody {
  const config = studyConfigOf(study.id, study.config);
  const m = summaryOf(study)?.stitched.metrics ?? null;
  return {
    ...rowFields(study, config, active),
    stitched:
      m === null
        ? null
        : {
            netPnlPaise: m.netPnlPaise,
            totalReturnPct: m.totalReturnPct,
            sharpe: m.sharpe,
            maxDrawdownPct: m.maxDrawdownPct,
            trades: m.trades,
          },
  };
}
