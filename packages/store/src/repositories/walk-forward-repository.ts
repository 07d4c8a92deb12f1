import type {
  AccountId,
  JsonValue,
  NewWalkForwardStudy,
  StoredWalkForwardStudy,
  WalkForwardRepository,
  WalkForwardStudy,
  WalkForwardStudyStatus,
  WalkForwardWindowRecord,
  WalkForwardWindowStatus,
} from '@kitepilot/core';
import type { SqlExecutor } from '../driver/sql-driver.ts';
import { StoreValueError } from '../errors.ts';
import { limitParam, strictJsonParam } from './backtest-result-repository.ts';
import { configHash } from './run-repository.ts';
import { intParam, num, numOrNull, tsParam } from './sql-params.ts';

interface StudyRow {
  readonly id: string;
  readonly account_id: string;
  readonly strategy: string;
  readonly config: JsonValue;
  readonly config_hash: string;
  readonly status: string;
  readonly windows: number;
  readonly created_at: number;
  readonly finished_at: number | null;
  readonly summary: JsonValue | null;
  readonly windows_done: number;
  readonly windows_failed: number;
}

interface WindowRow {
  readonly window_index: number;
  readonly train_from: number;
  readonly train_to: number;
  readonly test_from: number;
  readonly test_to: number;
  readonly status: string;
  readonly best_params: JsonValue | null;
  readonly train_score: number | null;
  readonly candidates: number | null;
  readonly test_result: JsonValue | null;
  readonly error: string | null;
  readonly finished_at: number;
}

// The window counts are bigint (count(*)), which the drivers read as numbers.
const studyColumns = `s.id, s.account_id, s.strategy, s.config, s.config_hash, s.status, s.windows, s.created_at,
  s.finished_at, s.summary,
  (SELECT count(*) FROM walk_forward_windows w
     WHERE w.account_id = s.account_id AND w.study_id = s.id AND w.status = 'done') AS windows_done,
  (SELECT count(*) FROM walk_forward_windows w
     WHERE w.account_id = s.account_id AND w.study_id = s.id AND w.status = 'failed') AS windows_failed`;

const windowColumns = `window_index, train_from, train_to, test_from, test_to, status, best_params, train_score,
  candidates, test_result, error, finished_at`;

function toStudy(row: StudyRow): WalkForwardStudy {
  return {
    id: row.id,
    accountId: row.account_id as AccountId,
    strategy: row.strategy,
    config: row.config,
    configHash: row.config_hash,
    status: row.status as WalkForwardStudyStatus,
    windowCount: num(row.windows, 'walk_forward_studies.windows'),
    createdAt: num(row.created_at, 'walk_forward_studies.created_at'),
    finishedAt: numOrNull(row.finished_at, 'walk_forward_studies.finished_at'),
    summary: row.summary,
    windowsDone: num(row.windows_done, 'windows_done'),
    windowsFailed: num(row.windows_failed, 'windows_failed'),
  };
}

function toWindow(row: WindowRow): WalkForwardWindowRecord {
  return {
    index: num(row.window_index, 'walk_forward_windows.window_index'),
    trainFrom: num(row.train_from, 'walk_forward_windows.train_from'),
    trainTo: num(row.train_to, 'walk_forward_windows.train_to'),
    testFrom: num(row.test_from, 'walk_forward_windows.test_from'),
    testTo: num(row.test_to, 'walk_forward_windows.test_to'),
    status: row.status as WalkForwardWindowStatus,
    bestParams: row.best_params,
    trainScore: numOrNull(row.train_score, 'walk_forward_windows.train_score'),
    candidates: numOrNull(row.candidates, 'walk_forward_windows.candidates'),
    testResult: row.test_result,
    error: row.error,
    finishedAt: num(row.finished_at, 'walk_forward_windows.finished_at'),
  };
}

/** Stores walk-forward studies and their finished windows in SQL. */
export class SqlWalkForwardRepository implements WalkForwardRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async create(accountId: AccountId, study: NewWalkForwardStudy): Promise<void> {
    await this.#sql.query(
      `INSERT INTO walk_forward_studies (id, account_id, strategy, config, config_hash, status, windows, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, 'running', $6, $7::timestamptz)`,
      [
        study.id,
        accountId,
        study.strategy,
        strictJsonParam(study.config, `walk-forward study ${study.id}: config`),
        configHash(study.config),
        intParam(study.windowCount, `walk-forward study ${study.id}: window count`),
        tsParam(study.createdAt),
      ],
    );
  }

  async get(accountId: AccountId, id: string): Promise<StoredWalkForwardStudy | null> {
    const studies = await this.#sql.query<StudyRow>(
      `SELECT ${studyColumns} FROM walk_forward_studies s WHERE s.account_id = $1 AND s.id = $2`,
      [accountId, id],
    );
    const row = studies.rows[0];
    if (row === undefined) return null;
    const windows = await this.#sql.query<WindowRow>(
      `SELECT ${windowColumns} FROM walk_forward_windows WHERE account_id = $1 AND study_id = $2
       ORDER BY window_index`,
      [accountId, id],
    );
    return { ...toStudy(row), windows: windows.rows.map(toWindow) };
  }

  async saveWindow(accountId: AccountId, studyId: string, window: WalkForwardWindowRecord): Promise<void> {
    const what = `window ${window.index} of walk-forward study ${studyId}`;
    if (window.trainScore !== null && !Number.isFinite(window.trainScore)) {
      throw new StoreValueError(`${what}: train score ${window.trainScore} is not a finite number`);
    }
    // INSERT … SELECT from the study, locked FOR SHARE: the window is written only while the study is running (a
    // concurrent finish waits for it) and only into a study of this account.
    const result = await this.#sql.query<{ window_index: number }>(
      `INSERT INTO walk_forward_windows (account_id, study_id, ${windowColumns})
       SELECT account_id, id, $3::integer, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7::timestamptz,
              $8::text, $9::jsonb, $10::double precision, $11::integer, $12::jsonb, $13::text, $14::timestamptz
       FROM walk_forward_studies
       WHERE account_id = $1 AND id = $2 AND status = 'running' AND $3::integer < windows
       FOR SHARE
       ON CONFLICT (study_id, window_index) DO UPDATE SET
         train_from = EXCLUDED.train_from, train_to = EXCLUDED.train_to, test_from = EXCLUDED.test_from,
         test_to = EXCLUDED.test_to, status = EXCLUDED.status, best_params = EXCLUDED.best_params,
         train_score = EXCLUDED.train_score, candidates = EXCLUDED.candidates, test_result = EXCLUDED.test_result,
         error = EXCLUDED.error, finished_at = EXCLUDED.finished_at
       RETURNING window_index`,
      [
        accountId,
        studyId,
        intParam(window.index, `${what}: index`),
        tsParam(window.trainFrom),
        tsParam(window.trainTo),
        tsParam(window.testFrom),
        tsParam(window.testTo),
        window.status,
        window.bestParams === null ? null : strictJsonParam(window.bestParams, `${what}: best params`),
        window.trainScore,
        window.candidates === null ? null : intParam(window.candidates, `${what}: candidates`),
        window.testResult === null ? null : strictJsonParam(window.testResult, `${what}: test result`),
        window.error,
        tsParam(window.finishedAt),
      ],
    );
    if (result.rows.length > 0) return;
    const study = await this.get(accountId, studyId);
    if (study === null) {
      throw new StoreValueError(`cannot store the ${what}: account ${accountId} has no such study`);
    }
    if (study.status !== 'running') {
      throw new StoreValueError(`cannot store the ${what}: the study is already ${study.status}`);
    }
    throw new StoreValueError(
      `cannot store the ${what}: the study has ${study.windowCount} windows (indices 0 to ${study.windowCount - 1})`,
    );
  }

  async finish(
    accountId: AccountId,
    id: string,
    status: Exclude<WalkForwardStudyStatus, 'running'>,
    summary: JsonValue | null,
    finishedAt: number,
  ): Promise<void> {
    const result = await this.#sql.query<{ id: string }>(
      `UPDATE walk_forward_studies s SET status = $3::text, summary = $4::jsonb, finished_at = $5::timestamptz
       WHERE s.account_id = $1 AND s.id = $2 AND s.status = 'running'
         AND ($3::text <> 'completed' OR s.windows =
           (SELECT count(*) FROM walk_forward_windows w WHERE w.account_id = s.account_id AND w.study_id = s.id))
       RETURNING s.id`,
      [
        accountId,
        id,
        status,
        summary === null ? null : strictJsonParam(summary, `walk-forward study ${id}: summary`),
        tsParam(finishedAt),
      ],
    );
    if (result.rows.length > 0) return;
    const study = await this.get(accountId, id);
    if (study === null) {
      throw new StoreValueError(`walk-forward study ${id} does not exist for account ${accountId}`);
    }
    if (study.status !== 'running') {
      throw new StoreValueError(
        `walk-forward study ${id} is already ${study.status}; cannot mark it ${status}`,
      );
    }
    throw new StoreValueError(
      `walk-forward study ${id} cannot be completed: ${study.windows.length} of its ${study.windowCount} windows ` +
        `are stored`,
    );
  }

  async list(accountId: AccountId, limit: number): Promise<WalkForwardStudy[]> {
    const result = await this.#sql.query<StudyRow>(
      `SELECT ${studyColumns} FROM walk_forward_studies s WHERE s.account_id = $1
       ORDER BY s.created_at DESC, s.id DESC LIMIT $2`,
      [accountId, limitParam(limit)],
    );
    return result.rows.map(toStudy);
  }
}
