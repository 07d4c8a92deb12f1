// What a walk-forward study maximises on each training period: one field of BacktestMetrics. The best candidate
// has the best score; a null score (an undefined ratio, e.g. Sharpe without variance) ranks below every number; a
// failed candidate ranks below everything; ties go to the earlier candidate, so the choice is deterministic.
import type { BacktestMetrics } from '../backtest/backtest-result.ts';
import { WalkForwardConfigError } from './walk-forward-config-error.ts';

/** The metrics a study can optimise. */
export const OBJECTIVES = [
  'sharpe',
  'sortino',
  'calmar',
  'totalReturnPct',
  'annualisedReturnPct',
  'profitFactor',
  'netPnlPaise',
  'expectancyPaise',
  'winRatePct',
  'maxDrawdownPct',
] as const;

/** One optimisable metric. */
export type Objective = (typeof OBJECTIVES)[number];

/** Metrics where lower is better (every other objective is maximised). */
const MINIMISED: ReadonlySet<Objective> = new Set(['maxDrawdownPct']);

/** Returns true when `objective` is minimised (a drawdown) rather than maximised. */
export function isMinimised(objective: Objective): boolean {
  return MINIMISED.has(objective);
}

/** Returns the objective named `text`; throws WalkForwardConfigError listing the choices. */
export function objectiveOf(text: string): Objective {
  if ((OBJECTIVES as readonly string[]).includes(text)) return text as Objective;
  throw new WalkForwardConfigError(
    `objective ${JSON.stringify(text)} must be one of ${OBJECTIVES.join(', ')}`,
  );
}

/** Returns the score of a run: the objective's metric, or null when the metric is undefined for it. */
export function objectiveScore(metrics: BacktestMetrics, objective: Objective): number | null {
  const value = metrics[objective];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Returns the index of the best candidate by `objective`: scores are null when undefined and undefined when the
 * candidate failed. Returns -1 when every candidate failed (or there is none).
 */
export function bestCandidate(scores: readonly (number | null | undefined)[], objective: Objective): number {
  const sign = isMinimised(objective) ? -1 : 1;
  let best = -1;
  let bestScore: number | null | undefined;
  scores.forEach((score, i) => {
    if (score === undefined) return;
    if (best === -1) {
      best = i;
      bestScore = score;
      return;
    }
    if (score === null) return;
    if (bestScore === null || bestScore === undefined || sign * score > sign * bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}
