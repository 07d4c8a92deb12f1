import type { AccountId, RunId } from '../model/ids.ts';
import type { JsonValue } from './repositories.ts';

// Store ports of research: backtest result documents and walk-forward studies. Core does not know the research
// types, so their documents are JsonValue here. Every call is scoped to one account and never sees another
// account's rows; times are epoch ms (UTC).

/** The full result of one backtest run, to be stored beside its row in runs. */
export interface NewBacktestResult {
  /** The run (environment `backtest`) the result belongs to; it must exist for the account. */
  readonly runId: RunId;
  /** The strategy's name. */
  readonly strategy: string;
  /** The strategy parameters the run used (a JSON object). */
  readonly params: JsonValue;
  /** The run's statistics (a JSON object). */
  readonly metrics: JsonValue;
  /** The whole result document (a JSON object): trades, daily equity, equity curve, counts, warnings, metrics. */
  readonly result: JsonValue;
  /** The sha256 (hex) of the run's canonical order list. */
  readonly orderListHash: string;
  /** The time span of the data the run replayed, when known. */
  readonly dataFrom: number | null;
  readonly dataTo: number | null;
  readonly createdAt: number;
}

/** A stored backtest result without its result document: what a list of results shows. */
export interface BacktestResultSummary extends Omit<NewBacktestResult, 'result'> {
  readonly accountId: AccountId;
}

/** A stored backtest result with its result document. */
export interface StoredBacktestResult extends BacktestResultSummary {
  readonly result: JsonValue;
}

/** Options of BacktestResultRepository.list. */
export interface BacktestResultListOptions {
  /** The most results returned (a non-negative integer). */
  readonly limit: number;
  /** Only results of the strategy with this name. */
  readonly strategy?: string;
}

/** Stores the result documents of backtest runs, one per run. */
export interface BacktestResultRepository {
  /**
   * Stores the result of a run of the account, replacing the result stored for it before; throws when the account
   * has no such run.
   */
  save(accountId: AccountId, record: NewBacktestResult): Promise<void>;
  /** Returns the result of the run, or null. */
  get(accountId: AccountId, runId: RunId): Promise<StoredBacktestResult | null>;
  /** Returns the account's results without their documents, newest first (by createdAt, then run id). */
  list(accountId: AccountId, options: BacktestResultListOptions): Promise<BacktestResultSummary[]>;
  /** Deletes the result of the run (not the run); returns false when there was none. */
  delete(accountId: AccountId, runId: RunId): Promise<boolean>;
}

/** The state of a walk-forward study. */
export type WalkForwardStudyStatus = 'running' | 'completed' | 'failed';

/** The outcome of one walk-forward window. */
export type WalkForwardWindowStatus = 'done' | 'failed';

/** A walk-forward study to be started. */
export interface NewWalkForwardStudy {
  /** `wf_` followed by 1–40 letters or digits. */
  readonly id: string;
  /** The strategy's name. */
  readonly strategy: string;
  /** The study's whole configuration; the store keeps the sha256 of its canonical JSON beside it. */
  readonly config: JsonValue;
  /** How many train/test windows the study has (at least 1). */
  readonly windowCount: number;
  readonly createdAt: number;
}

/** A stored walk-forward study without its windows: what a list of studies shows. */
export interface WalkForwardStudy extends NewWalkForwardStudy {
  readonly accountId: AccountId;
  /** The sha256 (hex) of the canonical JSON of `config` (keys sorted): equal configurations have equal hashes. */
  readonly configHash: string;
  readonly status: WalkForwardStudyStatus;
  readonly finishedAt: number | null;
  readonly summary: JsonValue | null;
  /** How many windows are stored as done, and as failed. */
  readonly windowsDone: number;
  readonly windowsFailed: number;
}

/** One finished window of a study. */
export interface WalkForwardWindowRecord {
  /** The window's position in the study, from 0 to windowCount − 1. */
  readonly index: number;
  /** The training period [trainFrom, trainTo) and the test period [testFrom, testTo); trainTo ≤ testFrom. */
  readonly trainFrom: number;
  readonly trainTo: number;
  readonly testFrom: number;
  readonly testTo: number;
  readonly status: WalkForwardWindowStatus;
  /** The parameters chosen on the training period; required when done. */
  readonly bestParams: JsonValue | null;
  /** The training score of the chosen parameters (finite), when there is one. */
  readonly trainScore: number | null;
  /** How many parameter sets were tried on the training period. */
  readonly candidates: number | null;
  /** The out-of-sample result on the test period; required when done. */
  readonly testResult: JsonValue | null;
  /** Why the window failed; required when failed. */
  readonly error: string | null;
  readonly finishedAt: number;
}

/** A stored walk-forward study with its stored windows, by index. */
export interface StoredWalkForwardStudy extends WalkForwardStudy {
  readonly windows: readonly WalkForwardWindowRecord[];
}

/** Stores walk-forward studies and their finished windows, so that a study resumes after a crash. */
export interface WalkForwardRepository {
  /** Stores a new study in status `running`, computing its config hash; throws when the id exists. */
  create(accountId: AccountId, study: NewWalkForwardStudy): Promise<void>;
  /** Returns the study with its stored windows by index, or null. */
  get(accountId: AccountId, id: string): Promise<StoredWalkForwardStudy | null>;
  /**
   * Stores a finished window of a running study, replacing the row of the same index (saving a window twice keeps
   * one row); throws when the study is unknown or finished, or the index is outside the study.
   */
  saveWindow(accountId: AccountId, studyId: string, window: WalkForwardWindowRecord): Promise<void>;
  /**
   * Marks a running study finished; `completed` requires a stored window for every index. Throws when the study is
   * unknown or already finished.
   */
  finish(
    accountId: AccountId,
    id: string,
    status: Exclude<WalkForwardStudyStatus, 'running'>,
    summary: JsonValue | null,
    finishedAt: number,
  ): Promise<void>;
  /** Returns the account's studies without their windows, newest first (by createdAt, then id). */
  list(accountId: AccountId, limit: number): Promise<WalkForwardStudy[]>;
}
